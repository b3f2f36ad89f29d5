package dev.llmguard.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.llmguard.elastic.testing.ElasticsearchExtension;
import dev.llmguard.elastic.testing.ElasticsearchServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** An application killed with events in its spool; the next start replays them. */
@ExtendWith(ElasticsearchExtension.class)
class ReplayAfterKillIT {

  @TempDir Path dir;

  @Test
  void eventsSpooledByAKilledProcessAreReplayedByTheNextSinkOverTheSameSpool(ElasticsearchServer es)
      throws Exception {
    Path spool = dir.resolve("spool");
    Path idsFile = dir.resolve("ids.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process app =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                SpoolingProcess.class.getName(),
                spool.toString(),
                idsFile.toString(),
                "750")
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      StringBuilder seen = new StringBuilder();
      while ((line = out.readLine()) != null && !line.startsWith("SPOOLED")) {
        seen.append(line).append('\n');
      }
      assertThat(line).as("child output:\n" + seen).isEqualTo("SPOOLED 750");
      app.destroyForcibly();
      assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    List<String> ids = Files.readAllLines(idsFile);
    assertThat(ids).hasSize(750);

    ElasticsearchSinkConfig config =
        ElasticsearchSinkConfig.builder()
            .url(es.url())
            .namespace("replay")
            .spoolPath(spool)
            .build();
    try (ElasticsearchEventSink sink = ElasticsearchEventSink.create(config)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> sink.stats().spoolBytes() == 0);
      assertThat(sink.stats().replayed()).isEqualTo(750);
      assertThat(sink.stats().delivered()).isEqualTo(750);
    }
    Map<String, Long> counts = IndexedEvents.countsByEventId(es, config.dataStream());
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(new HashSet<>(counts.values())).containsExactly(1L);
  }
}
