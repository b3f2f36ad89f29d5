package dev.llmguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ScanCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private List<JsonNode> outputLines() throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String l : out.toString().split("\n")) {
      nodes.add(JsonLines.mapper().readTree(l));
    }
    return nodes;
  }

  @Test
  void writesOneJsonLineOfFindingsPerInputLineKeepingLineNumbersAndIds() throws Exception {
    int code =
        run(
            "scan",
            "--detectors",
            "prompt-injection,jailbreak",
            EvalCommandTest.resource("/scan/conversations.jsonl"));
    assertThat(code).as(err.toString()).isEqualTo(Main.OK);
    List<JsonNode> lines = outputLines();
    assertThat(lines).hasSize(3);

    JsonNode first = lines.get(0);
    assertThat(first.get("line").asInt()).isEqualTo(1);
    assertThat(first.get("id").asText()).isEqualTo("req-1");
    JsonNode finding = null;
    double max = 0;
    for (JsonNode f : first.get("findings")) {
      max = Math.max(max, f.get("score").asDouble());
      if (f.get("detector").asText().equals("prompt-injection")) {
        finding = f;
      }
    }
    assertThat(finding).as("a prompt-injection finding in %s", first).isNotNull();
    assertThat(finding.get("category").asText()).isEqualTo("prompt_injection");
    assertThat(finding.get("score").asDouble()).isBetween(0.5, 1.0);
    assertThat(finding.get("spans").get(0)).hasSize(2);
    assertThat(first.get("max_score").asDouble()).isEqualTo(max);

    JsonNode benign = lines.get(1);
    assertThat(benign.get("id").asText()).isEqualTo("req-2");
    assertThat(benign.get("findings")).isEmpty();
    assertThat(benign.get("max_score").asDouble()).isEqualTo(0.0);

    JsonNode multiTurn = lines.get(2);
    assertThat(multiTurn.get("line").asInt())
        .as("blank lines are skipped, not renumbered")
        .isEqualTo(4);
    assertThat(multiTurn.get("findings").findValuesAsText("detector")).contains("jailbreak");
  }

  @Test
  void aMessagesLineWithoutRolesIsRejectedWithItsLineNumber() throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("scan", ".jsonl");
    try {
      java.nio.file.Files.writeString(
          f, "{\"text\": \"fine\"}\n{\"messages\": [{\"content\": \"who am I?\"}]}\n");
      assertThat(run("scan", "--detectors", "prompt-injection", f.toString()))
          .isEqualTo(Main.DATA_ERROR);
      assertThat(err.toString()).contains(f + ":2: each message needs a string \"role\"");
      assertThat(out.toString().trim().split("\n")).hasSize(1);
    } finally {
      java.nio.file.Files.delete(f);
    }
  }
}
