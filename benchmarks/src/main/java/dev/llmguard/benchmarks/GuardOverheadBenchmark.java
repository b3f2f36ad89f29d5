package dev.llmguard.benchmarks;

import dev.llmguard.ChatClient;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.Usage;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.spi.EventSink;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@link GuardedChatClient} adds around a call: a 1 KB prompt in, a 1 KB answer out, from an
 * in-process delegate that returns a fixed answer. {@link #direct} calls the delegate itself;
 * {@link #guarded} goes through the guard with the default detector set, the default (monitor)
 * policy and a sink that discards events (so the event is still built and queued). Sampled, so the
 * report has p50, p99 and p99.9 per call; the overhead is {@code guarded - direct}.
 *
 * <p>Calls alternate between two requests (and the delegate between two answers) whose texts are
 * equal but distinct {@code String} instances: the text normaliser remembers its last result per
 * thread by identity, and one instance sent again and again would never pay for normalisation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GuardOverheadBenchmark {

  private ChatClient delegate;
  private GuardedChatClient guarded;
  private GuardedChatClient engineOnly;
  private ChatRequest[] requests;
  private int call;

  @Setup
  public void setUp() {
    String answerText = Texts.prose(1024, 7);
    ChatResponse[] answers = {answer(answerText), answer(new String(answerText))};
    int[] answered = {0};
    delegate = request -> answers[answered[0]++ & 1];
    guarded =
        GuardedChatClient.builder(delegate)
            .ignoreExternalConfiguration()
            .serviceName("benchmark")
            .sinks(new DiscardingSink())
            .build();
    engineOnly =
        GuardedChatClient.builder(delegate)
            .ignoreExternalConfiguration()
            .serviceName("benchmark")
            .detectors(List.of())
            .sinks(new DiscardingSink())
            .build();
    String prompt = Texts.prose(1024, 11);
    requests = new ChatRequest[] {request(prompt), request(new String(prompt))};
  }

  private static ChatResponse answer(String text) {
    return ChatResponse.of("chatcmpl-bench", "gpt-4o", text, "stop", Usage.of(230, 240));
  }

  private static ChatRequest request(String user) {
    return ChatRequest.builder()
        .model("gpt-4o")
        .system(DetectorSet.SYSTEM_PROMPT)
        .user(user)
        .userId("u-1842")
        .build();
  }

  /** The two requests in turn (thread-scoped state, so no race on the counter). */
  private ChatRequest nextRequest() {
    return requests[call++ & 1];
  }

  @TearDown
  public void tearDown() {
    guarded.close();
    engineOnly.close();
  }

  @Benchmark
  public ChatResponse direct() {
    return delegate.chat(nextRequest());
  }

  @Benchmark
  public ChatResponse guarded() {
    return guarded.chat(nextRequest());
  }

  @Benchmark
  public ChatResponse guardedWithoutDetectors() {
    return engineOnly.chat(nextRequest());
  }

  /** Counts and forgets events: the benchmark measures the guard, not a sink. */
  static final class DiscardingSink implements EventSink {
    final LongAdder seen = new LongAdder();

    @Override
    public String id() {
      return "discard";
    }

    @Override
    public void publish(List<GuardEvent> events) {
      seen.add(events.size());
    }
  }
}
