package dev.llmguard.openai;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.Policy;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.openai.wire.Fixtures;
import dev.llmguard.openai.wire.OpenAiWireServer;
import dev.llmguard.openai.wire.SdkClients;
import dev.llmguard.spi.Detector;
import dev.llmguard.testkit.CapturingEventSink;
import dev.llmguard.testkit.TestCertificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One HTTPS wire server per test class; fresh SDK clients and event sink per test. */
abstract class WireTestBase {
  static TestCertificate cert;
  static OpenAiWireServer server;

  CapturingEventSink sink;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    cert = TestCertificate.generate();
    server = OpenAiWireServer.start(cert);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void freshSink() {
    server.reset();
    sink = new CapturingEventSink();
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  OpenAIClient openAiSdk() {
    OpenAIClient c = SdkClients.openAi(server, cert);
    toClose.add(c::close);
    return c;
  }

  OpenAIClient azureSdk() {
    OpenAIClient c = SdkClients.azure(server, cert);
    toClose.add(c::close);
    return c;
  }

  /** Wraps {@code sdk} with these detectors and policy, publishing to {@link #sink}. */
  GuardedOpenAIClient guard(OpenAIClient sdk, Policy policy, Detector... detectors) {
    GuardedOpenAIClient c =
        GuardedOpenAIClient.wrap(
            sdk,
            b ->
                b.ignoreExternalConfiguration()
                    .detectors(detectors)
                    .policy(policy)
                    .serviceName("support-bot")
                    .sinks(sink));
    toClose.add(c.guard());
    return c;
  }

  GuardedChatClient engine(dev.llmguard.ChatClient delegate, Policy policy, Detector... ds) {
    GuardedChatClient g =
        GuardedChatClient.builder(delegate)
            .ignoreExternalConfiguration()
            .detectors(ds)
            .policy(policy)
            .serviceName("support-bot")
            .sinks(sink)
            .build();
    toClose.add(g);
    return g;
  }

  /** The one event of the test, after the dispatcher delivered it. */
  GuardEvent event(GuardedChatClient engine) {
    engine.flush();
    return sink.single();
  }

  static ChatCompletionCreateParams question(String model, String promptFixture) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addSystemMessage(Fixtures.text("prompts/system.txt"))
        .addUserMessage(Fixtures.text(promptFixture))
        .build();
  }
}
