package dev.llmguard.cli;

import static dev.llmguard.cli.EvalCommandTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.detect.jailbreak.JailbreakModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainJailbreakCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path dir;

  private int run(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static List<String> texts(String label) throws IOException {
    return Files.readAllLines(Path.of(resource("/train/tiny-jailbreaks.jsonl"))).stream()
        .filter(l -> l.contains("\"label\": \"" + label + "\""))
        .map(TrainJailbreakCommandTest::text)
        .toList();
  }

  private static String text(String jsonLine) {
    try {
      return JsonLines.mapper().readTree(jsonLine).get("text").asText();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aTrainedModelSeparatesItsTrainingRowsAndIsWrittenWithItsProvenance() throws IOException {
    Path model = dir.resolve("models/jb.bin");
    int code =
        run("train-jailbreak", "--out", model.toString(), resource("/train/tiny-jailbreaks.jsonl"));

    assertThat(code).as(err.toString()).isEqualTo(Main.OK);
    JailbreakModel m = JailbreakModel.read(model);
    assertThat(m.dimBits()).isEqualTo(16);
    assertThat(m.maxChars()).isEqualTo(2048);
    assertThat(m.provenance())
        .startsWith("llm-guard train-jailbreak on tiny-jailbreaks.jsonl sha256=")
        .contains("30 rows, dim-bits 16, max-chars 2048");
    double lowestAttack =
        texts("jailbreak").stream().mapToDouble(m::probability).min().orElseThrow();
    double highestBenign = texts("benign").stream().mapToDouble(m::probability).max().orElseThrow();
    assertThat(lowestAttack).isGreaterThan(highestBenign);
    assertThat(out.toString())
        .contains("31 rows (14 jailbreak, 16 benign or harmful, 1 injection scored only)")
        .contains("detector on rows the model did not see (score >= 0.5):")
        .containsPattern("jailbreak +both +14 ")
        .containsPattern("benign +both +14 ")
        .contains("wrote " + model);
  }

  @Test
  void trainingIsDeterministic() throws IOException {
    Path a = dir.resolve("a.bin");
    Path b = dir.resolve("b.bin");
    String data = resource("/train/tiny-jailbreaks.jsonl");
    assertThat(run("train-jailbreak", "--iterations", "50", "--out", a.toString(), data)).isZero();
    assertThat(run("train-jailbreak", "--iterations", "50", "--out", b.toString(), data)).isZero();
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
  }

  @Test
  void theOptionsReachTheModel() throws IOException {
    Path model = dir.resolve("small.bin");
    assertThat(
            run(
                "train-jailbreak",
                "--dim-bits",
                "10",
                "--max-chars",
                "300",
                "--out",
                model.toString(),
                resource("/train/tiny-jailbreaks.jsonl")))
        .isZero();
    JailbreakModel m = JailbreakModel.read(model);
    assertThat(m.dimBits()).isEqualTo(10);
    assertThat(m.maxChars()).isEqualTo(300);
    assertThat(Files.size(model)).isLessThan(2000);
  }

  @Test
  void withoutOutOnlyTheReportIsPrinted() {
    assertThat(run("train-jailbreak", resource("/train/tiny-jailbreaks.jsonl"))).isZero();
    assertThat(out.toString()).contains("rules + learned").doesNotContain("wrote ");
  }

  @Test
  void aBadLabelFailsWithFileAndLine() {
    String file = resource("/train/bad-label.jsonl");
    assertThat(run("train-jailbreak", file)).isEqualTo(Main.DATA_ERROR);
    assertThat(err.toString())
        .contains(
            file
                + ":3: field \"label\" must be one of injection|jailbreak|benign|harmful but was"
                + " null");
  }

  @Test
  void dataWithoutJailbreaksIsAUsageErrorThatSaysWhatIsMissing() {
    assertThat(run("train-jailbreak", resource("/train/only-benign.jsonl"))).isEqualTo(Main.USAGE);
    assertThat(err.toString())
        .contains(
            "needs rows labelled jailbreak and rows labelled benign or harmful; found 0 and 14");
  }

  @Test
  void optionsOutOfRangeAreUsageErrors() {
    String data = resource("/train/tiny-jailbreaks.jsonl");
    assertThat(run("train-jailbreak", "--dim-bits", "30", data)).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("--dim-bits must be between 4 and 24 but was 30");
    assertThat(run("train-jailbreak", "--quantile", "0", data)).isEqualTo(Main.USAGE);
    assertThat(run("train-jailbreak", "--l2", "-1", data)).isEqualTo(Main.USAGE);
  }
}
