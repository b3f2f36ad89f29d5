package dev.llmguard.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.llmguard.ChatRequest;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.Policy;
import dev.llmguard.elastic.testing.ElasticsearchExtension;
import dev.llmguard.elastic.testing.ElasticsearchServer;
import dev.llmguard.testkit.CapturingEventSink;
import dev.llmguard.testkit.ScriptedChatClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Elasticsearch is stopped for 30 s in the middle of a stream of guarded calls and started again:
 * every event arrives exactly once, and the calls during the outage are not slower.
 */
@ExtendWith(ElasticsearchExtension.class)
class OutageIT {

  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @TempDir Path spool;

  private final List<Long> upNanos = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> downNanos = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean down;

  @Test
  void anOutageOfThirtySecondsLosesNothingDuplicatesNothingAndDoesNotSlowTheCallers(
      ElasticsearchServer es) throws Exception {
    ElasticsearchSinkConfig config =
        ElasticsearchSinkConfig.builder()
            .url(es.url())
            .namespace("outage")
            .spoolPath(spool)
            .retryMaxBackoff(Duration.ofSeconds(2))
            .build();
    ElasticsearchEventSink sink = ElasticsearchEventSink.create(config);
    CapturingEventSink capture = new CapturingEventSink();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try (GuardedChatClient guard =
        GuardedChatClient.builder(ScriptedChatClient.answering("Your parcel arrives on Tuesday."))
            .ignoreExternalConfiguration()
            .detectors(List.of())
            .policy(Policy.monitor())
            .serviceName("outage-test")
            .sinks(sink, capture)
            .build()) {
      Future<?> calls = caller.submit(() -> callUntil(guard, stop));
      try {
        Thread.sleep(5_000);
        down = true;
        es.stop();
        Thread.sleep(OUTAGE.toMillis());
        assertThat(sink.state()).isNotEqualTo(ElasticsearchEventSink.State.UP);
        assertThat(sink.stats().spooled()).isPositive();
        down = false;
        es.restart();
        Thread.sleep(3_000);
      } finally {
        stop.set(true);
        calls.get();
        if (!es.isRunning()) {
          es.restart();
        }
      }
      guard.flush();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> sink.stats().spoolBytes() == 0 && sink.stats().pending() == 0);
    } finally {
      caller.shutdownNow();
    }

    List<String> ids = new ArrayList<>();
    capture.events().forEach(e -> ids.add(e.id()));
    Map<String, Long> counts = IndexedEvents.countsByEventId(es, config.dataStream());
    assertThat(ids).hasSizeGreaterThan(1_000);
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(new HashSet<>(counts.values())).containsExactly(1L);
    assertThat(sink.stats().replayed()).isPositive();
    assertThat(sink.stats().dropped()).isZero();

    long upMedian = percentile(upNanos, 50);
    long downMedian = percentile(downNanos, 50);
    long upP99 = percentile(upNanos, 99);
    long downP99 = percentile(downNanos, 99);
    System.out.printf(
        "call latency up: p50 %d µs p99 %d µs (%d calls); down: p50 %d µs p99 %d µs (%d calls)%n",
        upMedian / 1000,
        upP99 / 1000,
        upNanos.size(),
        downMedian / 1000,
        downP99 / 1000,
        downNanos.size());
    assertThat(downMedian)
        .as("median call time during the outage")
        .isLessThanOrEqualTo(upMedian * 3 / 2 + 200_000);
    assertThat(downP99)
        .as("p99 call time during the outage")
        .isLessThanOrEqualTo(upP99 * 2 + 2_000_000);
  }

  private void callUntil(GuardedChatClient guard, AtomicBoolean stop) {
    int i = 0;
    while (!stop.get()) {
      ChatRequest req =
          ChatRequest.builder()
              .userId("u-" + (i % 50))
              .user("Where is my order " + (40_000 + i) + "?")
              .build();
      boolean wasDown = down;
      long t0 = System.nanoTime();
      guard.chat(req);
      long took = System.nanoTime() - t0;
      (wasDown ? downNanos : upNanos).add(took);
      i++;
      try {
        Thread.sleep(4);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static long percentile(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
