package dev.llmguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.llmguard.ChatRequest;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.Policy;
import dev.llmguard.event.EventDispatcher;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.spi.EventSink;
import dev.llmguard.spi.EventSinkProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EventSink} must keep. Subclasses create the sink and say how to read
 * back what it stored. Published in the {@code llm-guard-core} test-jar.
 */
public abstract class EventSinkContractTest {

  /** A fresh sink; called once per test. */
  protected abstract EventSink createSink() throws Exception;

  /** Ids of the events the sink stored so far (after a flush), in any order. */
  protected abstract List<String> storedEventIds(EventSink sink) throws Exception;

  /** The provider id it is registered under, or {@code null} when not registered. */
  protected String providerId() {
    return null;
  }

  /** Real events from the guarded pipeline over a scripted client. */
  protected List<GuardEvent> sampleEvents(int n) {
    return sample(n);
  }

  /** {@code n} real events produced by a guarded scripted client, for sink tests. */
  public static List<GuardEvent> sample(int n) {
    CapturingEventSink capture = new CapturingEventSink();
    try (GuardedChatClient guard =
        GuardedChatClient.builder(ScriptedChatClient.answering("Sure, here you go."))
            .ignoreExternalConfiguration()
            .detectors(List.of())
            .policy(Policy.monitor())
            .sinks(capture)
            .build()) {
      for (int i = 0; i < n; i++) {
        guard.chat(ChatRequest.ofUser("question number " + i));
      }
    }
    return capture.events();
  }

  @Test
  void everyPublishedEventIsStoredAfterFlush() throws Exception {
    EventSink sink = createSink();
    try {
      List<GuardEvent> events = sampleEvents(25);
      sink.publish(events.subList(0, 10));
      sink.publish(events.subList(10, 25));
      sink.flush();
      List<String> ids = new ArrayList<>();
      events.forEach(e -> ids.add(e.id()));
      assertThat(storedEventIds(sink)).containsExactlyInAnyOrderElementsOf(ids);
    } finally {
      sink.close();
    }
  }

  @Test
  void anEmptyBatchIsAccepted() throws Exception {
    EventSink sink = createSink();
    try {
      assertThatCode(() -> sink.publish(List.of())).doesNotThrowAnyException();
    } finally {
      sink.close();
    }
  }

  @Test
  void closeIsIdempotent() throws Exception {
    EventSink sink = createSink();
    sink.close();
    assertThatCode(sink::close).doesNotThrowAnyException();
  }

  @Test
  void worksBehindTheDispatcherUnderConcurrentLoad() throws Exception {
    EventSink sink = createSink();
    List<GuardEvent> events = sampleEvents(200);
    EventDispatcher d = EventDispatcher.builder().sink(sink).batchSize(17).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (GuardEvent e : events) {
      pool.submit(() -> d.publish(e));
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(d.flush()).isTrue();
    List<String> ids = new ArrayList<>();
    events.forEach(e -> ids.add(e.id()));
    assertThat(storedEventIds(sink)).containsExactlyInAnyOrderElementsOf(ids);
    d.close();
    assertThat(d.stats().delivered()).isEqualTo(200);
  }

  @Test
  void isVisibleToServiceLoaderWhenRegistered() {
    if (providerId() == null) {
      return;
    }
    List<String> ids = new ArrayList<>();
    for (EventSinkProvider p : ServiceLoader.load(EventSinkProvider.class)) {
      ids.add(p.id());
    }
    assertThat(ids).contains(providerId());
  }
}
