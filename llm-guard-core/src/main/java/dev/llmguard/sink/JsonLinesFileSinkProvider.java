package dev.llmguard.sink;

import dev.llmguard.spi.EventSink;
import dev.llmguard.spi.EventSinkProvider;
import dev.llmguard.spi.SinkConfig;
import java.nio.file.Path;

/** Provider of the {@code jsonl} sink. Setting: {@code path} (default {@value #DEFAULT_PATH}). */
public final class JsonLinesFileSinkProvider implements EventSinkProvider {
  public static final String DEFAULT_PATH = "llm-guard-events.jsonl";

  @Override
  public String id() {
    return "jsonl";
  }

  @Override
  public EventSink create(SinkConfig config) {
    return new JsonLinesFileSink(Path.of(config.getString("path", DEFAULT_PATH)));
  }
}
