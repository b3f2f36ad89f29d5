package dev.llmguard.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmguard.event.GuardEvents;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionRulesTest {

  @Test
  void everyRuleOfTheIssueIsShippedWithItsOwaspMappingAndATriageNote() {
    List<DetectionRules.Rule> rules = DetectionRules.load();
    assertThat(rules)
        .extracting(DetectionRules.Rule::ruleId)
        .containsExactly(
            "llm-guard-prompt-injection",
            "llm-guard-jailbreak",
            "llm-guard-secret-in-exchange",
            "llm-guard-personal-data-to-model",
            "llm-guard-repeated-violations",
            "llm-guard-token-flooding",
            "llm-guard-provider-content-filter",
            "llm-guard-system-prompt-leak");
    for (DetectionRules.Rule r : rules) {
      assertThat(r.owaspIds())
          .as(r.ruleId())
          .isNotEmpty()
          .allMatch(id -> id.matches("LLM(0[1-9]|10)"));
      assertThat(r.source().path("note").asText()).as(r.ruleId()).startsWith("## Triage");
      assertThat(r.source().path("language").asText()).isEqualTo("lucene");
      assertThat(r.source().path("index").get(0).asText()).isEqualTo("logs-llm_guard.events-*");
    }
    assertThat(rules.stream().filter(DetectionRules.Rule::isThreshold))
        .extracting(DetectionRules.Rule::thresholdField)
        .containsOnly("user.id");
  }

  @Test
  void eachRuleFileIsTheSameRuleAsInTheBundle() throws Exception {
    for (DetectionRules.Rule r : DetectionRules.load()) {
      String file = "detection-rules/" + r.ruleId() + ".json";
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(file)) {
        assertThat(in).as(file).isNotNull();
        JsonNode single = GuardEvents.mapper().readTree(in);
        assertThat(single).as(file).isEqualTo(r.source());
      }
    }
  }
}
