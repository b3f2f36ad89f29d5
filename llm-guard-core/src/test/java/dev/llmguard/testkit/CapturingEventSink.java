package dev.llmguard.testkit;

import dev.llmguard.event.GuardEvent;
import dev.llmguard.spi.EventSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event it receives, in order. Thread-safe. */
public final class CapturingEventSink implements EventSink {
  private final List<GuardEvent> events = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  @Override
  public String id() {
    return "capture";
  }

  @Override
  public void publish(List<GuardEvent> batch) {
    events.addAll(batch);
  }

  @Override
  public void close() {
    closed = true;
  }

  public List<GuardEvent> events() {
    return events;
  }

  /** The only event; fails when there is not exactly one. */
  public GuardEvent single() {
    if (events.size() != 1) {
      throw new AssertionError("expected exactly one event but got " + events.size());
    }
    return events.get(0);
  }

  public boolean closed() {
    return closed;
  }
}
