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
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GuardOverheadBenchmark {

  private ChatClient delegate;
  private GuardedChatClient guarded;
  private GuardedChatClient engineOnly;
  private ChatRequest request;

  @Setup
  public void setUp() {
    ChatResponse answer =
        ChatResponse.of(
            "chatcmpl-bench", "gpt-4o", Texts.prose(1024, 7), "stop", Usage.of(230, 240));
    delegate = request -> answer;
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
    request =
        ChatRequest.builder()
            .model("gpt-4o")
            .system(DetectorSet.SYSTEM_PROMPT)
            .user(Texts.prose(1024, 11))
            .userId("u-1842")
            .build();
  }

  @TearDown
  public void tearDown() {
    guarded.close();
    engineOnly.close();
  }

  @Benchmark
  public ChatResponse direct() {
    return delegate.chat(request);
  }

  @Benchmark
  public ChatResponse guarded() {
    return guarded.chat(request);
  }

  @Benchmark
  public ChatResponse guardedWithoutDetectors() {
    return engineOnly.chat(request);
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
