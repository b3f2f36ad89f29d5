package dev.llmguard.elastic;

import dev.llmguard.spi.EventSink;
import dev.llmguard.spi.EventSinkProvider;
import dev.llmguard.spi.SinkConfig;

/**
 * Makes the Elasticsearch sink discoverable as {@value #ID}: select it with {@code
 * llmguard.sinks=elasticsearch}, or set {@code ELASTIC_URL} (or {@code ELASTIC_CLOUD_ID}) and it is
 * used when the application chose no sinks.
 */
public final class ElasticsearchEventSinkProvider implements EventSinkProvider {

  /** The sink id: {@value}. */
  public static final String ID = "elasticsearch";

  @Override
  public String id() {
    return ID;
  }

  /**
   * @throws dev.llmguard.GuardConfigurationException naming the key of a malformed setting
   */
  @Override
  public EventSink create(SinkConfig config) {
    return ElasticsearchEventSink.create(ElasticsearchSinkConfig.from(config));
  }

  /** On by default when {@code ELASTIC_URL}, {@code ELASTIC_CLOUD_ID} or {@code url} is set. */
  @Override
  public boolean enabledByDefault(SinkConfig config) {
    return config.get("url").isPresent()
        || config.get("cloud-id").isPresent()
        || notBlank(config.env().get("ELASTIC_URL"))
        || notBlank(config.env().get("ELASTIC_CLOUD_ID"));
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
