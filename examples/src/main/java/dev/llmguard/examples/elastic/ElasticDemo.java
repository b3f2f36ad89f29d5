package dev.llmguard.examples.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.ChatRequest;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.GuardrailViolationException;
import dev.llmguard.Policy;
import dev.llmguard.elastic.DetectionRules;
import dev.llmguard.elastic.ElasticsearchEventSink;
import dev.llmguard.elastic.ElasticsearchSinkConfig;
import dev.llmguard.event.GuardEvents;
import dev.llmguard.examples.ScriptedLlm;
import dev.llmguard.spi.SinkConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends the offline demo's benign and malicious prompts through {@link GuardedChatClient} into a
 * local Elasticsearch (data stream {@code logs-llm_guard.events-demo}) and prints which of the
 * shipped detection rules would fire on them.
 *
 * <pre>
 * ELASTIC_URL=http://localhost:9200 [ELASTIC_USER=… ELASTIC_PASSWORD=…] \
 *   java -cp examples/target/llm-guard-demo.jar dev.llmguard.examples.elastic.ElasticDemo
 * </pre>
 *
 * <p>The user needs the sink's roles (llm_guard_writer, llm_guard_setup) plus read on {@code
 * logs-llm_guard.events-*} to run the rule queries. Plain HTTP, or HTTPS with a certificate the JVM
 * trusts.
 */
public final class ElasticDemo {

  private static final String NAMESPACE = "demo";

  private ElasticDemo() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    env.putIfAbsent("ELASTIC_URL", ElasticsearchSinkConfig.DEFAULT_URL);
    ElasticsearchSinkConfig config =
        ElasticsearchSinkConfig.from(new SinkConfig("elasticsearch", Map.of(), env)).toBuilder()
            .namespace(NAMESPACE)
            .spoolPath(Files.createTempDirectory("llm-guard-elastic-demo"))
            .failFast(true)
            .build();
    String runId = "demo-" + Instant.now().toEpochMilli();
    List<JsonNode> script = loadScript();
    Map<String, String> answers = new LinkedHashMap<>();
    script.forEach(c -> answers.put(c.path("prompt").asText(), c.path("answer").asText()));

    System.out.printf(
        "Sending %d conversations to %s (%s)%n%n",
        script.size(), config.urls(), config.dataStream());
    ElasticsearchEventSink sink = ElasticsearchEventSink.create(config);
    try (GuardedChatClient guard =
        GuardedChatClient.builder(new ScriptedLlm(answers))
            .policy(Policy.monitor())
            .serviceName("llm-guard-elastic-demo")
            .namespace(NAMESPACE)
            .label("run", runId)
            .sinks(sink)
            .build()) {
      System.out.printf("detectors: %s%n%n", guard.detectors().stream().map(d -> d.id()).toList());
      for (JsonNode c : script) {
        ChatRequest request =
            ChatRequest.builder()
                .userId(c.path("user").asText())
                .user(c.path("prompt").asText())
                .build();
        try {
          guard.chat(request);
          System.out.printf(
              "  sent  %-16s %s%n",
              c.path("label").asText(), abbreviate(c.path("prompt").asText()));
        } catch (GuardrailViolationException e) {
          System.out.printf("  block %-16s %s%n", c.path("label").asText(), e.getMessage());
        }
      }
    }
    System.out.printf("%nsink: %s%n%n", sink.stats());

    Search search = new Search(config);
    search.call("POST", "/" + config.dataStream() + "/_refresh", null);
    System.out.printf("%-62s %-12s %s%n", "shipped rule", "OWASP", "fires on");
    for (DetectionRules.Rule rule : DetectionRules.load()) {
      ObjectNode filter = GuardEvents.mapper().createObjectNode();
      filter.putObject("term").put("labels.run", runId);
      ObjectNode body = rule.searchBody(filter);
      JsonNode answer =
          GuardEvents.mapper()
              .readTree(
                  search.call("POST", "/" + config.dataStream() + "/_search", body.toString()));
      List<String> hits = new ArrayList<>();
      if (rule.isThreshold()) {
        for (JsonNode b : answer.path("aggregations").path("groups").path("buckets")) {
          hits.add(
              rule.thresholdField()
                  + "="
                  + b.path("key").asText()
                  + " ("
                  + b.path("doc_count").asLong()
                  + ")");
        }
      } else {
        for (JsonNode h : answer.path("hits").path("hits")) {
          hits.add("user " + h.path("_source").path("user").path("id").asText());
        }
      }
      System.out.printf(
          "%-62s %-12s %s%n",
          rule.name(),
          String.join(",", rule.owaspIds()),
          hits.isEmpty() ? "-" : String.join(", ", hits));
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 70 ? s : s.substring(0, 67) + "...";
  }

  private static List<JsonNode> loadScript() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (InputStream in =
        ElasticDemo.class.getClassLoader().getResourceAsStream("demo/conversations.jsonl")) {
      if (in == null) {
        throw new IllegalStateException("demo/conversations.jsonl is missing from the classpath");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          out.add(GuardEvents.mapper().readTree(line));
        }
      }
    }
    return out;
  }

  /** Minimal REST calls for the rule queries (the sink itself never reads). */
  private static final class Search {
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    Search(ElasticsearchSinkConfig config) {
      this.base = config.urls().get(0);
      if (config.apiKey().isPresent()) {
        authorization = "ApiKey " + config.apiKey().get();
      } else if (config.bearerToken().isPresent()) {
        authorization = "Bearer " + config.bearerToken().get();
      } else if (config.username().isPresent()) {
        authorization =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (config.username().get() + ":" + config.password().orElse(""))
                            .getBytes(StandardCharsets.UTF_8));
      } else {
        authorization = null;
      }
    }

    String call(String method, String path, String json) throws IOException, InterruptedException {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Content-Type", "application/json")
              .method(
                  method,
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json));
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IOException(
            method + " " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    }
  }
}
