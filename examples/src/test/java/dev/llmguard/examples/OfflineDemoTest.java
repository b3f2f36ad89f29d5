package dev.llmguard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.Policy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineDemoTest {
  @TempDir Path dir;

  @Test
  void theDemoPrintsOneRowPerConversationAndWritesOneEventEach() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Path events = dir.resolve("events.jsonl");
    List<OfflineDemo.Row> rows =
        OfflineDemo.run(
            Policy.Mode.MONITOR, events, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    int n = OfflineDemo.loadScript().size();
    assertThat(rows).hasSize(n);
    assertThat(Files.readAllLines(events)).hasSize(n);
    assertThat(out)
        .contains(
            "scenario",
            "Detections by category",
            "Events: " + n + " emitted, " + n + " delivered, 0 dropped, 0 failed");
    OfflineDemo.Row competitor =
        rows.stream()
            .filter(r -> r.conversation().label().equals("competitor"))
            .findFirst()
            .orElseThrow();
    assertThat(competitor.event().genAi().policy().name()).contains("competitor-mention");
    OfflineDemo.Row benign = rows.get(0);
    assertThat(benign.outcome()).startsWith("answered: We are open");
  }

  @Test
  void blockModeStopsTheCompetitorQuestionBeforeTheModel() {
    List<OfflineDemo.Row> rows =
        OfflineDemo.run(
            Policy.Mode.BLOCK,
            dir.resolve("e.jsonl"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    OfflineDemo.Row competitor =
        rows.stream()
            .filter(r -> r.conversation().label().equals("competitor"))
            .findFirst()
            .orElseThrow();
    assertThat(competitor.outcome()).isEqualTo("BLOCKED (prompt)");
    assertThat(competitor.event().event().type()).containsExactly("denied");
  }
}
