package dev.llmguard.proxy.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.elastic.testing.ElasticsearchExtension;
import dev.llmguard.elastic.testing.ElasticsearchServer;
import dev.llmguard.proxy.Json;
import dev.llmguard.proxy.OpenAiWire;
import dev.llmguard.proxy.TestGuards;
import dev.llmguard.proxy.demo.Demo;
import dev.llmguard.proxy.demo.DemoReport;
import dev.llmguard.proxy.demo.DemoTestAccess;
import dev.llmguard.proxy.demo.ElasticQueries;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo with events in a real Elasticsearch (started by llm-guard-elastic's JUnit extension):
 * one document per request with the expected fields, and the shipped detection rules firing on
 * exactly the expected requests.
 */
@ExtendWith(ElasticsearchExtension.class)
class DemoOnElasticsearchIT {

  static final String NAMESPACE = "proxy_demo";

  @TempDir Path spool;

  @Test
  void everyRequestIsOneDocumentWithTheExpectedFieldsAndTheShippedRulesFireAsExpected(
      ElasticsearchServer es) throws Exception {
    Map<String, String> env =
        Map.of(
            "ELASTIC_URL", es.url(),
            "ELASTIC_NAMESPACE", NAMESPACE,
            "ELASTIC_SPOOL_PATH", spool.toString());
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DemoReport report;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      report = new Demo(env, out, TestGuards::engineTestDetectors).run();
    }
    String printed = buf.toString(StandardCharsets.UTF_8);

    assertThat(report.documentsIndexed()).isEqualTo(report.results().size());
    assertThat(report.eventsDelivered()).isEqualTo(report.results().size());
    ElasticQueries q = ElasticQueries.fromEnvironment(env, "logs-llm_guard.events-" + NAMESPACE);
    for (DemoReport.Result r : report.results()) {
      ObjectNode search = OpenAiWire.MAPPER.createObjectNode();
      search.putObject("query").putObject("term").put("labels.request_id", r.requestId());
      JsonNode hits = q.call("POST", q.dataStream() + "/_search", search).at("/hits/hits");
      assertThat(hits.size()).as(r.name()).isEqualTo(1);
      JsonNode doc = hits.get(0);
      assertThat(doc.path("_id").asText()).isEqualTo(doc.at("/_source/event/id").asText());
      DemoTestAccess.assertEvent(r, doc.get("_source"));
    }

    JsonNode expected = Json.resource("expected-rule-hits.json");
    Map<String, List<String>> expectedHits = new TreeMap<>();
    expected
        .properties()
        .forEach(
            e -> {
              if (!e.getKey().startsWith("_")) {
                List<String> names = new ArrayList<>();
                e.getValue().forEach(n -> names.add(n.asText()));
                expectedHits.put(e.getKey(), names);
              }
            });
    assertThat(report.ruleHits()).isEqualTo(expectedHits);
    assertThat(printed)
        .contains("Documents in Elasticsearch for this run: " + report.results().size())
        .contains("LLM Guard: prompt injection detected: 3 hit(s)");
  }
}
