package dev.llmguard.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.spi.EventSink;
import dev.llmguard.testkit.CapturingEventSink;
import dev.llmguard.testkit.EventSinkContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventDispatcherTest {
  @TempDir Path dir;

  private static List<GuardEvent> events(int n) {
    return EventSinkContractTest.sample(n);
  }

  @Test
  void aSinkThatThrowsIsIsolatedAndCounted() {
    CapturingEventSink good = new CapturingEventSink();
    EventSink bad =
        new EventSink() {
          @Override
          public String id() {
            return "bad";
          }

          @Override
          public void publish(List<GuardEvent> events) {
            throw new IllegalStateException("disk full");
          }
        };
    EventDispatcher d = EventDispatcher.builder().sink(bad).sink(good).build();
    events(5).forEach(d::publish);
    d.close();
    assertThat(good.events()).hasSize(5);
    EventDispatcher.Stats s = d.stats();
    assertThat(s.emitted()).isEqualTo(5);
    assertThat(s.failed()).isEqualTo(5);
    assertThat(s.delivered()).isZero();
  }

  @Test
  void aFullQueueDropsAndCountsWithoutBlockingTheCaller() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    EventSink slow =
        new EventSink() {
          @Override
          public String id() {
            return "slow";
          }

          @Override
          public void publish(List<GuardEvent> events) throws InterruptedException {
            release.await();
          }
        };
    EventDispatcher d =
        EventDispatcher.builder()
            .sink(slow)
            .queueCapacity(3)
            .batchSize(1)
            .linger(Duration.ZERO)
            .build();
    List<GuardEvent> evs = events(10);
    long t0 = System.nanoTime();
    evs.forEach(d::publish);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    release.countDown();
    d.close();
    EventDispatcher.Stats s = d.stats();
    assertThat(s.emitted()).isEqualTo(10);
    assertThat(s.dropped()).isGreaterThanOrEqualTo(6);
    assertThat(s.delivered() + s.dropped() + s.failed() + s.spooled()).isEqualTo(10);
  }

  @Test
  void overflowGoesToTheOverflowFileWhenOneIsSet() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CapturingEventSink capture = new CapturingEventSink();
    EventSink slow =
        new EventSink() {
          @Override
          public String id() {
            return "slow";
          }

          @Override
          public void publish(List<GuardEvent> events) throws InterruptedException {
            release.await();
            capture.publish(events);
          }
        };
    Path overflow = dir.resolve("overflow.jsonl");
    EventDispatcher d =
        EventDispatcher.builder()
            .sink(slow)
            .queueCapacity(2)
            .batchSize(1)
            .linger(Duration.ZERO)
            .overflowFile(overflow)
            .build();
    List<GuardEvent> evs = events(8);
    evs.forEach(d::publish);
    release.countDown();
    d.close();
    EventDispatcher.Stats s = d.stats();
    assertThat(s.dropped()).isZero();
    assertThat(s.spooled()).isEqualTo(Files.readAllLines(overflow).size());
    assertThat(s.delivered() + s.spooled()).isEqualTo(8);
    assertThat(capture.events().size() + Files.readAllLines(overflow).size()).isEqualTo(8);
  }

  @Test
  void flushAndCloseDeliverEverythingQueued() {
    CapturingEventSink sink = new CapturingEventSink();
    EventDispatcher d =
        EventDispatcher.builder().sink(sink).linger(Duration.ofSeconds(5)).batchSize(1000).build();
    events(50).forEach(d::publish);
    assertThat(d.flush(Duration.ofSeconds(20))).isTrue();
    assertThat(sink.events()).hasSize(50);
    events(7).forEach(d::publish);
    d.close();
    assertThat(sink.events()).hasSize(57);
    assertThat(sink.closed()).isTrue();
    assertThat(d.stats().delivered()).isEqualTo(57);
  }

  @Test
  void eventsPublishedAfterCloseAreCountedNotLost() {
    EventDispatcher d = EventDispatcher.of(new CapturingEventSink());
    d.close();
    d.publish(events(1).get(0));
    assertThat(d.stats().dropped()).isEqualTo(1);
  }
}
