package dev.llmguard.sink;

import dev.llmguard.spi.EventSink;
import dev.llmguard.testkit.EventSinkContractTest;
import java.util.ArrayList;
import java.util.List;

/** The log sink keeps nothing to read back, so the kit checks it through a recording wrapper. */
class LogSinkTest extends EventSinkContractTest {
  private final List<String> seen = new ArrayList<>();

  @Override
  protected EventSink createSink() {
    LogSink log = new LogSink(true);
    return new EventSink() {
      @Override
      public String id() {
        return log.id();
      }

      @Override
      public synchronized void publish(List<dev.llmguard.event.GuardEvent> events) {
        log.publish(events);
        events.forEach(e -> seen.add(e.id()));
      }
    };
  }

  @Override
  protected synchronized List<String> storedEventIds(EventSink sink) {
    return new ArrayList<>(seen);
  }

  @Override
  protected String providerId() {
    return "log";
  }
}
