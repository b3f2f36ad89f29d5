package dev.llmguard.sink;

import dev.llmguard.event.GuardEvent;
import dev.llmguard.event.GuardEvents;
import dev.llmguard.spi.EventSink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each event as JSON through SLF4J (logger {@value #LOGGER}): alerts at WARN, other events at
 * DEBUG (or at INFO with {@code all-at-info}). Thread-safe.
 */
public final class LogSink implements EventSink {
  public static final String LOGGER = "dev.llmguard.events";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private final boolean allAtInfo;

  public LogSink(boolean allAtInfo) {
    this.allAtInfo = allAtInfo;
  }

  @Override
  public String id() {
    return "log";
  }

  @Override
  public void publish(List<GuardEvent> events) {
    for (GuardEvent e : events) {
      boolean alert = e.event() != null && "alert".equals(e.event().kind());
      if (alert && LOG.isWarnEnabled()) {
        LOG.warn(GuardEvents.toJson(e));
      } else if (allAtInfo && LOG.isInfoEnabled()) {
        LOG.info(GuardEvents.toJson(e));
      } else if (LOG.isDebugEnabled()) {
        LOG.debug(GuardEvents.toJson(e));
      }
    }
  }
}
