package dev.llmguard.proxy.demo;

import dev.llmguard.event.GuardEvent;
import dev.llmguard.spi.EventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the demo's events in memory, by their {@code labels.request_id}, so the summary can show
 * each request's verdict. Bounded: at most {@value #MAX_EVENTS} events are kept (the demo sends a
 * few dozen). Thread-safe.
 */
public final class EventRecorder implements EventSink {

  /** Most events kept: {@value}. */
  public static final int MAX_EVENTS = 10_000;

  private final Map<String, GuardEvent> byRequestId = new ConcurrentHashMap<>();

  @Override
  public String id() {
    return "demo-recorder";
  }

  @Override
  public void publish(List<GuardEvent> events) {
    for (GuardEvent e : events) {
      if (byRequestId.size() >= MAX_EVENTS) {
        return;
      }
      String rid = e.labels() == null ? null : e.labels().get("request_id");
      if (rid != null) {
        byRequestId.put(rid, e);
      }
    }
  }

  /** The event of the request with this id, or {@code null}. */
  public GuardEvent byRequestId(String requestId) {
    return byRequestId.get(requestId);
  }

  public List<GuardEvent> all() {
    return new ArrayList<>(byRequestId.values());
  }
}
