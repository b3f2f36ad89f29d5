package dev.llmguard.spi;

import java.util.Map;

/**
 * Settings of one event sink, from the builder, {@code llm-guard.properties} ({@code
 * llmguard.sink.<id>.<key>}) or the environment ({@code LLMGUARD_SINK_<ID>_<KEY>}). A sink may also
 * read the raw environment for well-known variables (e.g. {@code ELASTIC_URL}) via {@link #env}.
 */
public final class SinkConfig extends ComponentConfig {
  public static final String PREFIX = "llmguard.sink.";
  private final String sinkId;
  private final Map<String, String> env;

  public SinkConfig(String sinkId, Map<String, String> values, Map<String, String> env) {
    super(PREFIX + sinkId + ".", values);
    this.sinkId = sinkId;
    this.env = Map.copyOf(env);
  }

  public static SinkConfig of(String sinkId, Map<String, String> values) {
    return new SinkConfig(sinkId, values, Map.of());
  }

  public String sinkId() {
    return sinkId;
  }

  /** The process environment as seen at configuration time (a copy; tests may supply their own). */
  public Map<String, String> env() {
    return env;
  }
}
