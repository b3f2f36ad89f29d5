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
  static final JsonNode EXPECTED = DemoExpectations.OUTCOMES;

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
    report
        .results()
        .forEach(
            r -> {
              if (!names.contains(DemoExpectations.base(r.name()))) {
                names.add(DemoExpectations.base(r.name()));
              }
            });
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
      JsonNode exp = EXPECTED.get(DemoExpectations.base(r.name()));
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
      DemoExpectations.assertEvent(r, events.get(r.requestId()));
    }
  }

  @Test
  void blockedRequestsNeverReachTheModelAndRedactedSecretsReachItOnlyAsPlaceholders() {
    long reaching =
        report.results().stream()
            .filter(
                r ->
                    !EXPECTED
                        .get(DemoExpectations.base(r.name()))
                        .path("reaches_model")
                        .isBoolean())
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
        .containsEntry("content_safety", 2L);
    assertThat(printed)
        .contains("Detections by category:")
        .contains("  prompt_injection: 3")
        .contains("Events: 18 emitted, 18 delivered to JSON lines in")
        .contains("set ELASTIC_URL");
    assertThat(report.documentsIndexed()).isEqualTo(-1);
  }
}
