package dev.llmguard.spi;

/**
 * Factory for an {@link EventSink}, found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/dev.llmguard.spi.EventSinkProvider}. Selected by id with {@code
 * llmguard.sinks}; when that is unset, every provider whose {@link #enabledByDefault} says so is
 * used.
 */
public interface EventSinkProvider {

  /** Configuration name of the sink ({@code log}, {@code jsonl}, {@code elasticsearch}). */
  String id();

  /**
   * Creates the sink.
   *
   * @throws dev.llmguard.GuardConfigurationException naming the key when {@code config} is invalid
   */
  EventSink create(SinkConfig config);

  /** Whether to use this sink when the application did not choose sinks. Default {@code false}. */
  default boolean enabledByDefault(SinkConfig config) {
    return false;
  }
}
