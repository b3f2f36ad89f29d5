package dev.llmguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

  @Test
  void printsOneLinePerInputKindAndSize() {
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    int code =
        cl.execute(
            "bench", "--detectors", "prompt-injection", "--sizes", "64,128", "--millis", "1");
    assertThat(code).isEqualTo(Main.OK);
    String[] lines = out.toString().split("\n");
    assertThat(lines[0]).isEqualTo("detectors: prompt-injection");
    int kinds = BenchCommand.inputs(64).size();
    assertThat(lines).hasSize(2 + 2 * kinds);
    assertThat(lines[2]).startsWith("prose").contains(" 64 ");
    assertThat(lines[2 + kinds]).startsWith("prose").contains(" 128 ");
  }
}
