package dev.llmguard.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmguard.elastic.testing.ElasticsearchExtension;
import dev.llmguard.elastic.testing.ElasticsearchServer;
import dev.llmguard.event.GuardEvent;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ElasticsearchExtension.class)
class MappingIT {

  @TempDir Path spool;

  @Test
  void everySchemaFieldHasItsIntendedTypeInTheRealIndex(ElasticsearchServer es) throws Exception {
    ElasticsearchSinkConfig config =
        ElasticsearchSinkConfig.builder()
            .url(es.url())
            .namespace("mapping")
            .spoolPath(spool)
            .build();
    GuardEvent full = TestEvents.event("full-alert");
    try (ElasticsearchEventSink sink = ElasticsearchEventSink.create(config)) {
      sink.publish(List.of(full));
      sink.flush();
      assertThat(sink.stats().delivered()).isEqualTo(1);
    }

    JsonNode mapping =
        IndexedEvents.read(es.request("GET", "/" + config.dataStream() + "/_mapping", null).body());
    JsonNode properties = mapping.elements().next().path("mappings");
    Map<String, String> actual = new LinkedHashMap<>();
    flatten("", properties, actual);

    Properties expected = new Properties();
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("expected-field-types.properties")) {
      expected.load(in);
    }
    assertThat(expected).hasSizeGreaterThan(60);
    for (String field : expected.stringPropertyNames()) {
      assertThat(actual.get(field)).as(field).isEqualTo(expected.getProperty(field));
    }
  }

  @Test
  void findingsAreStoredButKeptOutOfTheSearchableFields(ElasticsearchServer es) {
    ElasticsearchSinkConfig config =
        ElasticsearchSinkConfig.builder()
            .url(es.url())
            .namespace("findings")
            .spoolPath(spool)
            .build();
    try (ElasticsearchEventSink sink = ElasticsearchEventSink.create(config)) {
      sink.publish(List.of(TestEvents.event("full-alert")));
      sink.flush();
    }
    String ds = config.dataStream();
    await().atMost(Duration.ofSeconds(10)).until(() -> IndexedEvents.count(es, ds) == 1);

    JsonNode byFinding =
        IndexedEvents.read(
            es.request(
                    "POST",
                    "/" + ds + "/_search",
                    "{\"query\":{\"term\":{\"gen_ai.analysis.findings.detector\":\"prompt-injection\"}}}")
                .body());
    assertThat(byFinding.path("hits").path("total").path("value").asLong()).isZero();
    JsonNode stored =
        IndexedEvents.read(
            es.request("POST", "/" + ds + "/_search", "{\"query\":{\"match_all\":{}}}").body());
    assertThat(
            stored
                .path("hits")
                .path("hits")
                .get(0)
                .path("_source")
                .path("gen_ai")
                .path("analysis")
                .path("findings")
                .get(0)
                .path("detector")
                .asText())
        .isEqualTo("prompt-injection");
  }

  @Test
  void installingTheTemplateTwiceLeavesOneUnchangedTemplate(ElasticsearchServer es) {
    ElasticsearchSinkConfig config =
        ElasticsearchSinkConfig.builder()
            .url(es.url())
            .namespace("template")
            .spoolPath(spool)
            .failFast(true)
            .build();
    ElasticsearchEventSink.create(config).close();
    JsonNode first =
        IndexedEvents.read(
            es.request("GET", "/_index_template/" + ElasticsearchConnection.TEMPLATE_NAME, null)
                .body());
    ElasticsearchEventSink.create(config).close();
    JsonNode second =
        IndexedEvents.read(
            es.request("GET", "/_index_template/" + ElasticsearchConnection.TEMPLATE_NAME, null)
                .body());
    assertThat(second).isEqualTo(first);
    assertThat(second.path("index_templates")).hasSize(1);
    assertThat(
            second
                .path("index_templates")
                .get(0)
                .path("index_template")
                .path("data_stream")
                .isObject())
        .isTrue();
  }

  /** field path → type, {@code object(enabled=false)} for disabled objects. */
  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    JsonNode props = node.path("properties");
    props
        .properties()
        .forEach(
            e -> {
              String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
              JsonNode field = e.getValue();
              if (field.has("type") && !"object".equals(field.path("type").asText())) {
                out.put(path, field.path("type").asText());
              } else if (field.has("enabled") && !field.path("enabled").asBoolean(true)) {
                out.put(path, "object(enabled=false)");
              } else {
                flatten(path, field, out);
              }
            });
  }
}
