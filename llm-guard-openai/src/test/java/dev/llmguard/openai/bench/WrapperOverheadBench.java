package dev.llmguard.openai.bench;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import dev.llmguard.Policy;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.openai.GuardedOpenAIClient;
import dev.llmguard.openai.wire.Fixtures;
import dev.llmguard.openai.wire.OpenAiWireServer;
import dev.llmguard.openai.wire.OpenAiWireServer.Reply;
import dev.llmguard.openai.wire.SdkClients;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.EventSink;
import dev.llmguard.support.TestDetectors;
import dev.llmguard.testkit.TestCertificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Measures what the guarded wrapper adds per call over the unwrapped SDK client, both talking to
 * the same local HTTPS wire server. Calls alternate (raw, guarded, raw, …) so that drift in the
 * machine's load hits both alike. Prints median and p99 per call, and their differences.
 *
 * <p>Not a unit test and not run by {@code verify}; run it with (see docs/openai.md):
 *
 * <pre>
 * mvn -q -o -pl llm-guard-openai -am verify -DskipTests -Pbench [-Dbench.calls=4000]
 * </pre>
 */
public final class WrapperOverheadBench {

  private WrapperOverheadBench() {}

  public static void main(String[] args) throws Exception {
    int calls = Integer.getInteger("bench.calls", 4000);
    int warmup = Integer.getInteger("bench.warmup", 2000);
    TestCertificate cert = TestCertificate.generate();
    try (OpenAiWireServer server = OpenAiWireServer.start(cert)) {
      server.recording(false);
      OpenAIClient raw = SdkClients.openAi(server, cert);
      ChatCompletionCreateParams params =
          ChatCompletionCreateParams.builder()
              .model("gpt-4o-mini")
              .addSystemMessage(Fixtures.text("prompts/system.txt"))
              .addUserMessage(Fixtures.text("prompts/return-with-email.txt"))
              .temperature(0.2)
              .build();
      ResponseCreateParams responses =
          ResponseCreateParams.builder()
              .model("gpt-4.1-mini")
              .instructions(Fixtures.text("prompts/system.txt"))
              .input(Fixtures.text("prompts/return-with-email.txt"))
              .build();
      System.out.printf(
          Locale.ROOT,
          "openai-java wrapper overhead, %d calls each after %d warm-up, %s, %d cores%n",
          calls,
          warmup,
          Runtime.version(),
          Runtime.getRuntime().availableProcessors());
      for (Case c :
          List.of(
              new Case("no detectors, monitor", Policy.monitor(), new Detector[0]),
              new Case(
                  "e-mail + injection detectors, redact",
                  Policy.redact(),
                  new Detector[] {TestDetectors.email(), TestDetectors.injection()}))) {
        GuardedOpenAIClient guarded =
            GuardedOpenAIClient.wrap(
                raw,
                b ->
                    b.ignoreExternalConfiguration()
                        .policy(c.policy)
                        .detectors(c.detectors)
                        .sinks(new DiscardingSink()));
        server.always(Reply.json(200, "openai/completion-with-placeholder.json"));
        measure(
            "create     | " + c.name,
            calls,
            warmup,
            () -> raw.chat().completions().create(params),
            () -> guarded.chat().completions().create(params));
        server.always(Reply.sse("openai/stream-plain.sse"));
        measure(
            "streaming  | " + c.name,
            calls / 2,
            warmup / 2,
            () -> drain(raw, params),
            () -> drain(guarded, params));
        server.always(Reply.json(200, "openai/response-completed.json"));
        measure(
            "responses  | " + c.name,
            calls / 2,
            warmup / 2,
            () -> raw.responses().create(responses),
            () -> guarded.responses().create(responses));
        guarded.guard().close();
      }
      raw.close();
    }
  }

  private record Case(String name, Policy policy, Detector[] detectors) {}

  private static Object drain(OpenAIClient client, ChatCompletionCreateParams params) {
    try (StreamResponse<ChatCompletionChunk> s =
        client.chat().completions().createStreaming(params)) {
      return s.stream().count();
    }
  }

  private static void measure(
      String name, int calls, int warmup, Supplier<Object> raw, Supplier<Object> guarded) {
    for (int i = 0; i < warmup; i++) {
      raw.get();
      guarded.get();
    }
    long[] r = new long[calls];
    long[] g = new long[calls];
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      raw.get();
      long t1 = System.nanoTime();
      guarded.get();
      long t2 = System.nanoTime();
      r[i] = t1 - t0;
      g[i] = t2 - t1;
    }
    Arrays.sort(r);
    Arrays.sort(g);
    double rm = micros(pct(r, 0.50));
    double r99 = micros(pct(r, 0.99));
    double gm = micros(pct(g, 0.50));
    double g99 = micros(pct(g, 0.99));
    System.out.printf(
        Locale.ROOT,
        "%-52s raw median %8.1f µs p99 %8.1f µs | guarded median %8.1f µs p99 %8.1f µs"
            + " | added median %+7.1f µs p99 %+8.1f µs%n",
        name,
        rm,
        r99,
        gm,
        g99,
        gm - rm,
        g99 - r99);
  }

  private static long pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double micros(long nanos) {
    return nanos / 1000.0;
  }

  /** Takes events and drops them: the benchmark measures the call path, not a sink. */
  private static final class DiscardingSink implements EventSink {
    @Override
    public String id() {
      return "discard";
    }

    @Override
    public void publish(List<GuardEvent> batch) {}

    @Override
    public void close() {}
  }
}
