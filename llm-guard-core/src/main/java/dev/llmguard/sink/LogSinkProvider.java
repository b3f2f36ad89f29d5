package dev.llmguard.sink;

import dev.llmguard.spi.EventSink;
import dev.llmguard.spi.EventSinkProvider;
import dev.llmguard.spi.SinkConfig;

/**
 * Provider of the {@code log} sink, used by default when no sink is chosen. Setting: {@code
 * all-at-info} (default false).
 */
public final class LogSinkProvider implements EventSinkProvider {
  @Override
  public String id() {
    return "log";
  }

  @Override
  public EventSink create(SinkConfig config) {
    return new LogSink(config.getBoolean("all-at-info", false));
  }

  @Override
  public boolean enabledByDefault(SinkConfig config) {
    return true;
  }
}
