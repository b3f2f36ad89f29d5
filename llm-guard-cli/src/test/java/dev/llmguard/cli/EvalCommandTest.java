package dev.llmguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EvalCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  static String resource(String name) {
    try {
      return Path.of(Objects.requireNonNull(EvalCommandTest.class.getResource(name)).toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aLineThatIsNotJsonFailsWithItsLineNumberAndTheDataErrorExitCode() {
    String file = resource("/eval/malformed-secrets.jsonl");
    int code = run("eval", file);
    assertThat(code).isEqualTo(Main.DATA_ERROR);
    assertThat(err.toString()).startsWith("llm-guard: " + file + ":3: not valid JSON: ");
    assertThat(out.toString()).doesNotContain("secret vs");
  }

  @Test
  void anUnknownLabelFailsWithItsLineNumber() {
    String file = resource("/eval/bad-label-prompts.jsonl");
    assertThat(run("eval", file)).isEqualTo(Main.DATA_ERROR);
    assertThat(err.toString())
        .contains(
            file
                + ":3: field \"label\" must be one of injection|jailbreak|benign|harmful but was"
                + " friendly");
  }

  @Test
  void aMissingFileIsAnInputOutputError() {
    assertThat(run("eval", "/nonexistent/prompts.jsonl")).isEqualTo(Main.IO_ERROR);
    assertThat(err.toString()).contains("/nonexistent/prompts.jsonl");
  }

  @Test
  void anUnknownDetectorIsAUsageErrorNamingTheAvailableOnes() {
    int code = run("eval", "--detectors", "no-such-detector", resource("/eval/tiny-pii.jsonl"));
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("Unknown detector 'no-such-detector'; available: ");
  }

  @Test
  void jsonFormatGivesOneDocumentWithEveryFile() throws Exception {
    int code =
        run(
            "eval",
            "--format",
            "json",
            "--warmup",
            "0",
            resource("/eval/tiny-prompts.jsonl"),
            resource("/eval/tiny-pii.jsonl"));
    assertThat(code).isEqualTo(Main.OK);
    var doc = JsonLines.mapper().readTree(out.toString());
    assertThat(doc.get("files")).hasSize(2);
    assertThat(doc.at("/files/0/format").asText()).isEqualTo("prompts");
    assertThat(doc.at("/files/1/format").asText()).isEqualTo("pii");
    assertThat(doc.at("/files/0/tasks/injection/tp").isNumber()).isTrue();
  }
}
