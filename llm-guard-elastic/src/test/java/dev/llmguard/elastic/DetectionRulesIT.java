package dev.llmguard.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.Policy;
import dev.llmguard.elastic.RuleScenarios.Scenario;
import dev.llmguard.elastic.testing.ElasticsearchExtension;
import dev.llmguard.elastic.testing.ElasticsearchServer;
import dev.llmguard.event.GuardEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped detection rule, run as query DSL on the real server over events that the real
 * guarded pipeline produced for the scenarios of {@code rules/scenarios.jsonl}: it fires on the
 * malicious scenario written for it and on none of the benign ones.
 */
@ExtendWith(ElasticsearchExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DetectionRulesIT {

  private static final String NAMESPACE = "rules";
  private ElasticsearchServer es;
  private final List<Scenario> scenarios = RuleScenarios.load();

  @BeforeAll
  void playEveryScenarioThroughTheGuardedClient(ElasticsearchServer es) throws Exception {
    this.es = es;
    Path spool = Files.createTempDirectory("rules-spool");
    ElasticsearchEventSink sink =
        ElasticsearchEventSink.create(
            ElasticsearchSinkConfig.builder()
                .url(es.url())
                .namespace(NAMESPACE)
                .spoolPath(spool)
                .build());
    try (GuardedChatClient guard =
        GuardedChatClient.builder(new RuleScenarios.ScenarioModel(scenarios))
            .ignoreExternalConfiguration()
            .detectors(RuleScenarios.detectors())
            // No time budget: a cold first call must not turn a finding into detector_error.
            .policy(Policy.custom().detectorTimeout(java.time.Duration.ZERO).build())
            .serviceName("support-bot")
            .namespace(NAMESPACE)
            .sinks(sink)
            .build()) {
      for (Scenario s : scenarios) {
        for (int i = 0; i < s.repeat(); i++) {
          try {
            guard.chat(RuleScenarios.request(s));
          } catch (RuleScenarios.ContentFiltered expected) {
            // the provider refused; the event records it
          }
        }
      }
    }
    assertThat(sink.stats().delivered())
        .isEqualTo(scenarios.stream().mapToInt(Scenario::repeat).sum());
  }

  @BeforeAll
  void makeEverythingSearchable() {
    assertThat(
            es.request(
                    "POST", "/" + ElasticsearchSinkConfig.DATA_STREAM_PREFIX + "*/_refresh", null)
                .ok())
        .isTrue();
  }

  Stream<DetectionRules.Rule> rules() {
    return DetectionRules.load().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void firesOnItsMaliciousScenarioAndOnNoBenignOne(DetectionRules.Rule rule) {
    Map<String, Boolean> fired = new LinkedHashMap<>();
    for (Scenario s : scenarios) {
      fired.put(s.name(), fires(rule, s));
    }
    List<String> own =
        scenarios.stream()
            .filter(s -> rule.ruleId().equals(s.fires()))
            .map(Scenario::name)
            .toList();
    List<String> benign = scenarios.stream().filter(Scenario::benign).map(Scenario::name).toList();
    assertThat(own).as("scenarios written for " + rule.ruleId()).isNotEmpty();
    List<String> firedOn = new ArrayList<>();
    fired.forEach(
        (k, v) -> {
          if (v) firedOn.add(k);
        });
    assertThat(firedOn)
        .as(rule.ruleId() + " fired on; events of its scenarios: " + sources(own))
        .containsAll(own)
        .doesNotContainAnyElementsOf(benign);
  }

  private String sources(List<String> scenarioNames) {
    StringBuilder sb = new StringBuilder();
    for (String name : scenarioNames) {
      String q = "{\"size\":2,\"query\":{\"term\":{\"labels.scenario\":\"" + name + "\"}}}";
      sb.append(
          es.request("POST", "/" + ElasticsearchSinkConfig.DATA_STREAM_PREFIX + "*/_search", q)
              .body());
    }
    return sb.toString();
  }

  private boolean fires(DetectionRules.Rule rule, Scenario s) {
    ObjectNode filter = GuardEvents.mapper().createObjectNode();
    filter.putObject("term").put("labels.scenario", s.name());
    ElasticsearchServer.RestResponse r =
        es.request(
            "POST",
            "/" + ElasticsearchSinkConfig.DATA_STREAM_PREFIX + "*/_search",
            rule.searchBody(filter).toString());
    assertThat(r.ok()).as(r.body()).isTrue();
    JsonNode answer = IndexedEvents.read(r.body());
    if (rule.isThreshold()) {
      return answer.path("aggregations").path("groups").path("buckets").size() > 0;
    }
    return answer.path("hits").path("total").path("value").asLong() > 0;
  }
}
