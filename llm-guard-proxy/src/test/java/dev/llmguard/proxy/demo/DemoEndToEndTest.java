package dev.llmguard.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmguard.proxy.Json;
import dev.llmguard.proxy.TestGuards;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end: the real proxy in front of the HTTPS Azure-wire stand-in, through the real
 * Azure SDK, with events in a JSON-lines file. Every scripted request is checked against {@code
 * expected-demo-outcomes.json}: the HTTP answer, the event and its fields.
 */
class DemoEndToEndTest {

  @TempDir static Path dir;

  static DemoReport report;
  static Map<String, JsonNode> events;
  static String printed;
  static final JsonNode EXPECTED = Json.resource("expected-demo-outcomes.json");

  @BeforeAll
  static void runTheDemoOnce() throws Exception {
    Path file = dir.resolve("events.jsonl");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      report =
          new Demo(
                  Map.of("LLMGUARD_PROXY_EVENTS_FILE", file.toString()),
                  out,
                  TestGuards::engineTestDetectors)
              .run();
    }
    printed = buf.toString(StandardCharsets.UTF_8);
    events = Json.eventsByRequestId(file);
  }

  @Test
  void everyScriptedRequestHasAnExpectedOutcomeAndViceVersa() {
    List<String> names = new ArrayList<>();
    report.results().forEach(r -> names.add(r.name()));
    List<String> expected = new ArrayList<>();
    EXPECTED
        .fieldNames()
        .forEachRemaining(
            n -> {
              if (!n.startsWith("_")) {
                expected.add(n);
              }
            });
    assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void everyRequestGetsTheExpectedHttpAnswer() {
    for (DemoReport.Result r : report.results()) {
      JsonNode exp = EXPECTED.get(r.name());
      assertThat(r.status()).as(r.name()).isEqualTo(exp.get("status").asInt());
      assertThat(r.verdict()).as(r.name()).isEqualTo(exp.get("verdict").asText());
      if (exp.has("error_code")) {
        assertThat(r.errorCode()).as(r.name()).isEqualTo(exp.get("error_code").asText());
      } else {
        assertThat(r.errorCode()).as(r.name()).isNull();
      }
      if (exp.has("answer")) {
        assertThat(r.answer()).as(r.name()).isEqualTo(exp.get("answer").asText());
      }
      if (exp.has("answer_includes")) {
        assertThat(r.answer()).as(r.name()).contains(exp.get("answer_includes").asText());
      }
      if (exp.has("answer_excludes")) {
        assertThat(r.answer()).as(r.name()).doesNotContain(exp.get("answer_excludes").asText());
      }
    }
  }

  @Test
  void everyRequestLeavesExactlyOneEventWithTheExpectedFields() {
    assertThat(events).hasSize(report.results().size());
    for (DemoReport.Result r : report.results()) {
      JsonNode exp = EXPECTED.get(r.name());
      JsonNode e = events.get(r.requestId());
      assertThat(e).as(r.name()).isNotNull();
      assertThat(e.at("/event/type/0").asText())
          .as(r.name())
          .isEqualTo(exp.get("event_type").asText());
      assertThat(e.at("/event/action").asText()).isEqualTo("chat");
      assertThat(e.at("/service/name").asText()).isEqualTo("llm-guard-proxy");
      assertThat(e.at("/user/id").asText()).as(r.name()).isEqualTo(exp.get("user").asText());
      assertThat(e.at("/gen_ai/provider/name").asText()).isEqualTo("azure.ai.openai");
      assertThat(e.at("/gen_ai/request/model").asText()).isEqualTo(Demo.DEPLOYMENT);
      List<String> categories = new ArrayList<>();
      e.at("/gen_ai/threat/category").forEach(c -> categories.add(c.asText()));
      List<String> expectedCategories = new ArrayList<>();
      exp.get("categories").forEach(c -> expectedCategories.add(c.asText()));
      assertThat(categories).as(r.name()).isEqualTo(expectedCategories);
      assertThat(e.at("/gen_ai/threat/detected").asBoolean())
          .as(r.name())
          .isEqualTo(!expectedCategories.isEmpty());
      if (exp.has("input_tokens")) {
        assertThat(e.at("/gen_ai/usage/input_tokens").asLong())
            .as(r.name())
            .isEqualTo(exp.get("input_tokens").asLong());
        assertThat(e.at("/gen_ai/usage/output_tokens").asLong())
            .as(r.name())
            .isEqualTo(exp.get("output_tokens").asLong());
        assertThat(e.at("/gen_ai/response/model").asText()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(e.at("/gen_ai/response/finish_reasons/0").asText()).isEqualTo("stop");
      }
      if (exp.has("min_input_tokens")) {
        assertThat(e.at("/gen_ai/usage/input_tokens").asLong())
            .as(r.name())
            .isGreaterThanOrEqualTo(exp.get("min_input_tokens").asLong());
      }
      if (exp.has("provider_error_code")) {
        assertThat(e.at("/gen_ai/response/error_code").asText())
            .as(r.name())
            .isEqualTo(exp.get("provider_error_code").asText());
      }
      if (exp.has("provider_filter")) {
        JsonNode hate = e.at("/gen_ai/provider_filter/hate");
        assertThat(hate.path("filtered").asBoolean()).isTrue();
        assertThat(hate.path("severity").asText()).isEqualTo("high");
      }
      if (exp.has("never_sent_to_model")) {
        String secret = exp.get("never_sent_to_model").asText();
        assertThat(e.toString()).as(r.name()).doesNotContain(secret);
      }
    }
  }

  @Test
  void blockedRequestsNeverReachTheModelAndRedactedSecretsReachItOnlyAsPlaceholders() {
    long reaching =
        report.results().stream()
            .filter(r -> !EXPECTED.get(r.name()).path("reaches_model").isBoolean())
            .count();
    assertThat(report.modelReceived()).hasSize((int) reaching);
    assertThat(String.join("\n", report.modelReceived()))
        .doesNotContainIgnoringCase("ignore all previous instructions")
        .doesNotContain("AKIAQ3EGRV5NJ7XP2LQM")
        .doesNotContain("maria.jensen@example.org");
  }

  @Test
  void aBlockedAnswerNamesCategoriesAndEventButNeverTheDetectedText() {
    DemoReport.Result blocked = report.result("instruction-override");
    JsonNode e = events.get(blocked.requestId());
    assertThat(e.at("/event/id").asText()).isNotBlank();
    assertThat(printed).contains("instruction-override").contains("BLOCK");
  }

  @Test
  void theStreamedAnswerIsServerSentEventsEndingInDone() {
    DemoReport.Result s = report.result("return-policy-stream");
    assertThat(s.sseEvents()).isGreaterThan(3);
  }

  @Test
  void theSummaryListsEveryRequestDetectionsByCategoryAndEventsDelivered() {
    for (DemoReport.Result r : report.results()) {
      assertThat(printed).contains(r.name());
    }
    assertThat(report.eventsEmitted()).isEqualTo(report.results().size());
    assertThat(report.eventsDelivered()).isEqualTo(report.results().size());
    assertThat(report.detectionsByCategory())
        .containsEntry("prompt_injection", 3L)
        .containsEntry("sensitive_information", 3L)
        .containsEntry("content_safety", 1L);
    assertThat(printed)
        .contains("Detections by category:")
        .contains("  prompt_injection: 3")
        .contains("Events: 15 emitted, 15 delivered to JSON lines in")
        .contains("set ELASTIC_URL");
    assertThat(report.documentsIndexed()).isEqualTo(-1);
  }
}
