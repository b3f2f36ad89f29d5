package dev.llmguard.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.llmguard.elastic.testing.ElasticsearchExtension;
import dev.llmguard.elastic.testing.ElasticsearchServer;
import dev.llmguard.event.GuardEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ElasticsearchExtension.class)
class DeliveryIT {

  @TempDir Path spool;

  private ElasticsearchSinkConfig config(ElasticsearchServer es, String namespace) {
    return ElasticsearchSinkConfig.builder()
        .url(es.url())
        .namespace(namespace)
        .spoolPath(spool)
        .build();
  }

  @Test
  void tenThousandEventsAreDeliveredExactlyOnceAndResendingThemAddsNothing(ElasticsearchServer es)
      throws Exception {
    ElasticsearchSinkConfig config = config(es, "exactly_once");
    List<GuardEvent> events = TestEvents.copies("full-alert", 10_000);

    try (ElasticsearchEventSink sink = ElasticsearchEventSink.create(config)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sink.state() == ElasticsearchEventSink.State.UP);
      for (int i = 0; i < events.size(); i += 100) {
        sink.publish(events.subList(i, i + 100));
      }
      sink.flush();
      assertThat(sink.stats().delivered()).isEqualTo(10_000);

      for (int i = 0; i < events.size(); i += 500) {
        sink.publish(events.subList(i, i + 500));
      }
      sink.flush();
      assertThat(sink.stats().delivered()).isEqualTo(20_000);
      assertThat(sink.stats().deadLettered()).isZero();
      assertThat(sink.stats().spooled()).isZero();
    }

    Map<String, Long> counts = IndexedEvents.countsByEventId(es, config.dataStream());
    assertThat(counts).hasSize(10_000);
    assertThat(new HashSet<>(counts.values())).containsExactly(1L);
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(TestEvents.ids(events));
  }

  @Test
  void onePoisonedDocumentIsDeadLetteredWithItsReasonAndTheRestOfTheBatchIsDelivered(
      ElasticsearchServer es) throws Exception {
    ElasticsearchSinkConfig config = config(es, "poisoned");
    List<GuardEvent> good = TestEvents.copies("benign-chat", 99);
    GuardEvent poisoned = TestEvents.event("poisoned-timestamp");
    List<GuardEvent> batch = new java.util.ArrayList<>(good);
    batch.add(50, poisoned);

    try (ElasticsearchEventSink sink = ElasticsearchEventSink.create(config)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sink.state() == ElasticsearchEventSink.State.UP);
      sink.publish(batch);
      sink.flush();
      assertThat(sink.stats().delivered()).isEqualTo(99);
      assertThat(sink.stats().deadLettered()).isEqualTo(1);
    }

    Map<String, Long> counts = IndexedEvents.countsByEventId(es, config.dataStream());
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(TestEvents.ids(good));
    assertThat(new HashSet<>(counts.values())).containsExactly(1L);
    List<String> deadLetters = Files.readAllLines(config.deadLetterPath());
    assertThat(deadLetters).hasSize(1);
    assertThat(deadLetters.get(0))
        .contains("\"event_id\":\"" + poisoned.id() + "\"")
        .contains("\"status\":400")
        .contains("@timestamp")
        .contains("\"document\":{");
  }
}
