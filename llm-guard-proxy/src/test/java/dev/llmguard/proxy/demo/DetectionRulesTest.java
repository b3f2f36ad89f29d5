package dev.llmguard.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionRulesTest {

  private static DetectionRules read(String file) throws Exception {
    try (InputStream in = DetectionRulesTest.class.getResourceAsStream("/rules/" + file)) {
      return DetectionRules.of(file, in);
    }
  }

  @Test
  void theShippedRulesAreFoundOnTheClasspathAndAllCanRunHere() {
    DetectionRules shipped = DetectionRules.loadShipped();

    List<String> names = new ArrayList<>();
    shipped.rules().forEach(r -> names.add(r.name()));
    assertThat(names)
        .contains(
            "LLM Guard: prompt injection detected",
            "LLM Guard: repeated policy violations by one user",
            "LLM Guard: token flooding by one user");
    assertThat(shipped.skipped()).isEmpty();
    for (DetectionRules.Rule r : shipped.rules()) {
      assertThat(r.query().has("query_string")).as(r.name()).isTrue();
    }
  }

  @Test
  void aThresholdRuleKeepsItsFieldAndValue() throws Exception {
    DetectionRules.Rule r = read("threshold-rule.json").rules().get(0);

    assertThat(r.name()).isEqualTo("ACME: repeated blocked prompts by one user");
    assertThat(r.thresholdField()).isEqualTo("user.id");
    assertThat(r.threshold()).isEqualTo(4);
    assertThat(r.query().at("/query_string/query").asText())
        .isEqualTo("event.dataset:\"llm_guard.events\" AND event.type:\"denied\"");
  }

  @Test
  void aKqlRuleInTomlIsRunAsLuceneWithUpperCaseOperators() throws Exception {
    DetectionRules.Rule r = read("kql-rule.toml").rules().get(0);

    assertThat(r.name()).isEqualTo("ACME: secrets in answers");
    assertThat(r.thresholdField()).isNull();
    assertThat(r.query().at("/query_string/query").asText())
        .isEqualTo(
            "event.dataset:\"llm_guard.events\" AND gen_ai.policy.name:\"secrets\" AND NOT"
                + " event.type:\"denied\"");
  }

  @Test
  void anEqlRuleIsSkippedWithTheReason() throws Exception {
    DetectionRules rules = read("eql-rule.json");

    assertThat(rules.rules()).isEmpty();
    assertThat(rules.skipped())
        .containsExactly("eql-rule.json: eql rules cannot run on the demo's Elasticsearch");
  }
}
