package dev.llmguard.azure.bench;

import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.ai.openai.models.ChatRequestSystemMessage;
import com.azure.ai.openai.models.ChatRequestUserMessage;
import dev.llmguard.Policy;
import dev.llmguard.azure.GuardedChatCompletionsStream;
import dev.llmguard.azure.GuardedOpenAIClient;
import dev.llmguard.azure.wire.AzureWireServer;
import dev.llmguard.azure.wire.ScriptedResponse;
import dev.llmguard.azure.wire.SdkClients;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.spi.EventSink;
import dev.llmguard.testkit.TestCertificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What {@link GuardedOpenAIClient} adds per call, measured against the unwrapped {@link
 * OpenAIClient} on the same local HTTPS server, same SDK client, same answer. Calls alternate
 * between the two (A, B, A, B …) so drift and GC hit both alike; each figure is over {@code
 * iterations} calls after {@code warmup} calls of each. Prints median and p99 per variant and the
 * differences. Not a test: run it by hand (see docs/azure.md).
 *
 * <p>Arguments: {@code [iterations=5000] [warmup=2000]}.
 */
public final class AzureOverheadBenchmark {

  private AzureOverheadBenchmark() {}

  /** Counts events and drops them, so the dispatcher's work is real but memory stays flat. */
  static final class CountingSink implements EventSink {
    final AtomicLong events = new AtomicLong();

    @Override
    public String id() {
      return "count";
    }

    @Override
    public void publish(List<GuardEvent> batch) {
      events.addAndGet(batch.size());
    }
  }

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    TestCertificate cert = TestCertificate.generate();
    try (AzureWireServer server = AzureWireServer.start(cert)) {
      SdkClients sdk = new SdkClients(cert, server.endpoint());
      OpenAIClient plain = sdk.sync();
      CountingSink sink = new CountingSink();
      try (GuardedOpenAIClient guarded =
          GuardedOpenAIClient.wrap(
              plain,
              b ->
                  b.ignoreExternalConfiguration()
                      .policy(Policy.monitor())
                      .detectors(List.of())
                      .sinks(sink))) {
        ChatCompletionsOptions options =
            new ChatCompletionsOptions(
                    List.of(
                        new ChatRequestSystemMessage(
                            "You are the support bot of a parcel service."),
                        new ChatRequestUserMessage(
                            "Where is my order 4471? It was due on Monday.")))
                .setUser("u-1842")
                .setTemperature(0.2);

        server.answerAlways(ScriptedResponse.json(200, "completion-plain.json"));
        report(
            "chat (getChatCompletions)",
            iterations,
            warmup,
            () -> time(() -> check(plain.getChatCompletions("bench", options))),
            () -> time(() -> check(guarded.getChatCompletions("bench", options))));

        server.reset();
        server.answerAlways(ScriptedResponse.sse("stream-plain.sse"));
        int streamIterations = Math.max(1, iterations / 2);
        report(
            "stream (getChatCompletionsStream, read to the end)",
            streamIterations,
            Math.max(1, warmup / 2),
            () -> time(() -> drain(plain.getChatCompletionsStream("bench", options))),
            () ->
                time(
                    () -> {
                      try (GuardedChatCompletionsStream s =
                          guarded.getChatCompletionsStream("bench", options)) {
                        drain(s);
                      }
                    }));
        guarded.guard().flush();
        System.out.printf(Locale.ROOT, "events recorded by the guard: %d%n", sink.events.get());
      }
    }
    System.out.printf(
        Locale.ROOT,
        "java %s, %d cores%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
  }

  private static void check(ChatCompletions c) {
    if (c.getChoices().isEmpty()) {
      throw new IllegalStateException("empty answer");
    }
  }

  private static void drain(Iterable<ChatCompletions> s) {
    int n = 0;
    for (ChatCompletions c : s) {
      n += c.getChoices().size();
    }
    if (n == 0) {
      throw new IllegalStateException("empty stream");
    }
  }

  private static long time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return System.nanoTime() - t0;
  }

  private static void report(
      String what, int iterations, int warmup, LongSupplier plain, LongSupplier guarded) {
    for (int i = 0; i < warmup; i++) {
      plain.getAsLong();
      guarded.getAsLong();
    }
    long[] a = new long[iterations];
    long[] b = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      if ((i & 1) == 0) {
        a[i] = plain.getAsLong();
        b[i] = guarded.getAsLong();
      } else {
        b[i] = guarded.getAsLong();
        a[i] = plain.getAsLong();
      }
    }
    long[] diff = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      diff[i] = b[i] - a[i];
    }
    Arrays.sort(a);
    Arrays.sort(b);
    Arrays.sort(diff);
    System.out.printf(
        Locale.ROOT, "%s, %d calls each after %d warm-up calls%n", what, iterations, warmup);
    System.out.printf(
        Locale.ROOT,
        "  unwrapped: median %7.1f us   p99 %7.1f us%n",
        pct(a, 0.50) / 1e3,
        pct(a, 0.99) / 1e3);
    System.out.printf(
        Locale.ROOT,
        "  guarded:   median %7.1f us   p99 %7.1f us%n",
        pct(b, 0.50) / 1e3,
        pct(b, 0.99) / 1e3);
    System.out.printf(
        Locale.ROOT,
        "  added:     median %7.1f us   p99 %7.1f us%n",
        (pct(b, 0.50) - pct(a, 0.50)) / 1e3,
        (pct(b, 0.99) - pct(a, 0.99)) / 1e3);
    System.out.printf(
        Locale.ROOT,
        "  paired difference (guarded - unwrapped, same iteration): median %7.1f us%n",
        pct(diff, 0.50) / 1e3);
  }

  private static double pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
