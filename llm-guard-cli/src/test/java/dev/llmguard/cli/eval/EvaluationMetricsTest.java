package dev.llmguard.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmguard.cli.JsonLines;
import dev.llmguard.cli.Runner;
import dev.llmguard.spi.Detector;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class EvaluationMetricsTest {

  private static final EvalSettings SETTINGS =
      new EvalSettings(0.5, true, 100, 80, 0, EvalSettings.DEFAULT_PII_TYPES);

  private static Evaluation evaluate(String resource, List<Detector> detectors) {
    BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                Objects.requireNonNull(
                    EvaluationMetricsTest.class.getResourceAsStream("/eval/" + resource)),
                StandardCharsets.UTF_8));
    JsonLines lines = new JsonLines(resource, reader);
    Evaluation e = Evaluation.of(lines, lines.readAll(), SETTINGS);
    e.run(new Runner(detectors));
    return e;
  }

  private static List<Detector> markers() {
    return List.of(
        new MarkerDetector("prompt-injection", "\\[\\[INJ]]", 0.9, "INJECTION"),
        new MarkerDetector("jailbreak", "\\[\\[JB]]", 0.7, "JAILBREAK"),
        // Below the threshold: must never count.
        new MarkerDetector("jailbreak", "Pretend", 0.3, "JAILBREAK"));
  }

  @Test
  void promptTasksCountInjectionJailbreakAndAnyAttackAgainstBenignOnly() {
    JsonNode j = evaluate("tiny-prompts.jsonl", markers()).toJson();

    JsonNode inj = j.at("/tasks/injection");
    assertThat(inj.get("tp").asLong()).isEqualTo(3);
    assertThat(inj.get("fn").asLong()).isEqualTo(1);
    assertThat(inj.get("fp").asLong()).isEqualTo(1);
    assertThat(inj.get("tn").asLong()).isEqualTo(3);
    assertThat(inj.get("precision").asDouble()).isEqualTo(0.75);
    assertThat(inj.get("recall").asDouble()).isEqualTo(0.75);
    assertThat(inj.get("f1").asDouble()).isEqualTo(0.75);
    assertThat(inj.get("fpr").asDouble()).isEqualTo(0.25);

    JsonNode jb = j.at("/tasks/jailbreak");
    assertThat(List.of(jb.get("tp").asLong(), jb.get("fn").asLong(), jb.get("fp").asLong()))
        .containsExactly(1L, 1L, 0L);
    assertThat(jb.get("precision").asDouble()).isEqualTo(1.0);
    assertThat(jb.get("recall").asDouble()).isEqualTo(0.5);
    assertThat(jb.get("f1").asDouble()).isCloseTo(0.6667, within(1e-4));
    assertThat(jb.get("fpr").asDouble()).isEqualTo(0.0);

    JsonNode any = j.at("/tasks/any_attack");
    assertThat(any.get("tp").asLong()).isEqualTo(4);
    assertThat(any.get("fn").asLong()).isEqualTo(2);
    assertThat(any.get("precision").asDouble()).isEqualTo(0.8);
    assertThat(any.get("f1").asDouble()).isCloseTo(0.7273, within(1e-4));

    assertThat(j.at("/tasks_by_group/injection"))
        .as("rows without a group are their own group")
        .isEqualTo(j.at("/tasks/injection"));

    assertThat(j.at("/labels/harmful/n").asLong()).isEqualTo(2);
    assertThat(j.at("/labels/harmful/any").asLong()).isEqualTo(1);
    assertThat(j.at("/sources/alpha/injection/prompt-injection").asLong()).isEqualTo(2);
    assertThat(j.at("/sources/gamma/benign/any").asLong()).isEqualTo(1);
    assertThat(j.at("/throughput/texts").asLong()).isEqualTo(12);
    assertThat(j.get("errors")).hasSize(3);
  }

  @Test
  void nearDuplicateGroupsCountOnceInTheGroupedFigures() {
    JsonNode j = evaluate("grouped-prompts.jsonl", markers()).toJson();
    assertThat(j.at("/tasks/injection/recall").asDouble()).isEqualTo(0.75);
    JsonNode grouped = j.at("/tasks_by_group/injection");
    assertThat(grouped.get("tp").asLong()).isEqualTo(1);
    assertThat(grouped.get("fn").asLong()).isEqualTo(1);
    assertThat(grouped.get("recall").asDouble()).isEqualTo(0.5);
  }

  @Test
  void piiSpansMatchByOverlapPerTypeWithCodePointOffsetsConverted() {
    Detector emails = new MarkerDetector("pii", "[\\w.]+@[\\w.]+\\w", 0.95, "EMAIL");
    JsonNode j = evaluate("tiny-pii.jsonl", List.of(emails)).toJson();

    JsonNode email = j.at("/per_type/EMAIL_ADDRESS");
    assertThat(email.get("gold").asLong()).isEqualTo(3);
    assertThat(email.get("found").asLong()).isEqualTo(3);
    assertThat(email.get("exact").asLong())
        .as("code-point offsets after emoji must map onto UTF-16 spans exactly")
        .isEqualTo(3);
    assertThat(email.get("predicted").asLong()).isEqualTo(4);
    assertThat(email.get("false_positives").asLong()).isEqualTo(1);
    assertThat(j.at("/per_type/PHONE_NUMBER/missed").asLong()).isEqualTo(1);
    assertThat(j.at("/per_type").has("PERSON")).as("uncovered types are ignored").isFalse();
    JsonNode all = j.get("overall");
    assertThat(all.get("precision").asDouble()).isEqualTo(0.75);
    assertThat(all.get("recall").asDouble()).isEqualTo(0.75);
    assertThat(all.get("f1").asDouble()).isEqualTo(0.75);
  }

  @Test
  void textReportNamesEveryTaskAndTheThroughput() {
    Evaluation e = evaluate("tiny-prompts.jsonl", markers());
    StringWriter sw = new StringWriter();
    e.print(new PrintWriter(sw, true));
    assertThat(sw.toString())
        .contains("injection (prompt-injection) vs benign")
        .contains("any attack detector vs benign")
        .contains("harmful (reported separately) flagged by an attack detector: 1/2 (50.0%)")
        .contains("missed injection (1):")
        .contains("tiny-prompts.jsonl:4 ")
        .contains("throughput: 12 texts");
  }
}
