package dev.llmguard.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.llmguard.elastic.testing.ElasticsearchExtension;
import dev.llmguard.elastic.testing.ElasticsearchServer;
import dev.llmguard.elastic.testing.Profile;
import dev.llmguard.event.GuardEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain test server has one write thread and a write queue of {@value Profile#WRITE_QUEUE}: a
 * sink with eight concurrent bulk requests meets per-document {@code 429} answers.
 */
@ExtendWith(ElasticsearchExtension.class)
class ThrottledServerIT {

  @TempDir Path spool;

  @Test
  void documentsAnsweredWith429AreRetriedAndNoneIsLost(ElasticsearchServer es) {
    ElasticsearchSinkConfig config =
        ElasticsearchSinkConfig.builder()
            .url(es.url())
            .namespace("throttled")
            .spoolPath(spool)
            .bulkMaxOperations(25)
            .bulkConcurrentRequests(8)
            .retryInitialBackoff(Duration.ofMillis(20))
            .retryMaxBackoff(Duration.ofMillis(500))
            .retryMaxAttempts(30)
            .build();
    List<GuardEvent> events = TestEvents.copies("full-alert", 3_000);

    ElasticsearchSinkStats stats;
    try (ElasticsearchEventSink sink = ElasticsearchEventSink.create(config)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sink.state() == ElasticsearchEventSink.State.UP);
      for (int i = 0; i < events.size(); i += 200) {
        sink.publish(events.subList(i, i + 200));
      }
      sink.flush();
      await().atMost(Duration.ofSeconds(60)).until(() -> sink.stats().spoolBytes() == 0);
      stats = sink.stats();
    }

    assertThat(stats.retried()).as("429 answers retried").isPositive();
    assertThat(stats.delivered()).isEqualTo(3_000);
    assertThat(stats.deadLettered()).isZero();
    assertThat(stats.dropped()).isZero();
    Map<String, Long> counts = IndexedEvents.countsByEventId(es, config.dataStream());
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(TestEvents.ids(events));
    assertThat(new HashSet<>(counts.values())).containsExactly(1L);
  }
}
