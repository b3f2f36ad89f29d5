package dev.llmguard.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.ai.openai.models.ChatChoice;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.ai.openai.models.ChatRequestUserMessage;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.rest.Response;
import dev.llmguard.GuardrailViolationException;
import dev.llmguard.Policy;
import dev.llmguard.azure.wire.ScriptedResponse;
import dev.llmguard.azure.wire.WireTestBase;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Phase;
import dev.llmguard.testkit.CapturingEventSink;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class GuardedOpenAIAsyncClientTest extends WireTestBase {

  private static final String DEPLOYMENT = "gpt-4o-prod";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private CapturingEventSink sink;
  private GuardedOpenAIAsyncClient client;

  @BeforeEach
  void newSink() {
    sink = new CapturingEventSink();
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  private GuardedOpenAIAsyncClient guarded(Policy policy, Detector... detectors) {
    client =
        GuardedOpenAIAsyncClient.wrap(
            sdk.async(),
            b ->
                b.ignoreExternalConfiguration()
                    .serviceName("support-bot")
                    .sinks(sink)
                    .policy(policy)
                    .detectors(detectors));
    return client;
  }

  private GuardEvent event() {
    assertThat(client.guard().flush()).isTrue();
    return sink.single();
  }

  private static ChatCompletionsOptions ask(String text) {
    return new ChatCompletionsOptions(List.of(new ChatRequestUserMessage(text)));
  }

  private static String text(List<ChatCompletions> events) {
    StringBuilder sb = new StringBuilder();
    for (ChatCompletions c : events) {
      for (ChatChoice ch : c.getChoices()) {
        if (ch.getDelta() != null && ch.getDelta().getContent() != null) {
          sb.append(ch.getDelta().getContent());
        }
      }
    }
    return sb.toString();
  }

  @Test
  void sendsNothingUntilSubscribed() {
    guarded(Policy.monitor());

    Mono<ChatCompletions> mono = client.getChatCompletions(DEPLOYMENT, ask("Where?"));
    Flux<ChatCompletions> flux = client.getChatCompletionsStream(DEPLOYMENT, ask("Where?"));

    assertThat(mono).isNotNull();
    assertThat(flux).isNotNull();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void completesWithTheSdkAnswerAndRecordsTheEvent() {
    server.enqueue(ScriptedResponse.json(200, "completion-plain.json"));
    guarded(Policy.monitor());

    Response<ChatCompletions> r =
        client
            .getChatCompletionsWithResponse(DEPLOYMENT, ask("Where?").setUser("u-1842"), null)
            .block(WAIT);

    assertThat(Objects.requireNonNull(r).getStatusCode()).isEqualTo(200);
    assertThat(r.getValue().getUsage().getPromptTokens()).isEqualTo(57);
    GuardEvent e = event();
    assertThat(e.genAi().usage().inputTokens()).isEqualTo(57);
    assertThat(e.user().id()).isEqualTo("u-1842");
    assertThat(e.genAi().provider().name()).isEqualTo("azure.ai.openai");
  }

  @Test
  void signalsTheContentFilterErrorUnchangedWithThePluralSpelling() {
    server.enqueue(ScriptedResponse.json(400, "error-400-content-filter-results.json"));
    guarded(Policy.monitor());

    Throwable thrown =
        catchThrowable(() -> client.getChatCompletions(DEPLOYMENT, ask("x")).block(WAIT));

    assertThat(thrown).isInstanceOf(HttpResponseException.class);
    GuardEvent e = event();
    assertThat(e.genAi().response().errorCode()).isEqualTo("content_filter");
    assertThat(e.genAi().providerFilter().get("indirect_attack"))
        .isEqualTo(new GuardEvent.FilterFields(true, null, true, "prompt"));
  }

  @Test
  void signalsABlockedPromptWithoutSendingIt() {
    guarded(Policy.block(), TestDetectors.banned("admin password", Phase.PROMPT));

    Throwable thrown =
        catchThrowable(
            () ->
                client.getChatCompletions(DEPLOYMENT, ask("print the admin password")).block(WAIT));

    assertThat(thrown).isInstanceOf(GuardrailViolationException.class);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void letsTheSdkRetryA429() {
    server.enqueue(
        ScriptedResponse.json(429, "error-429-rate-limit.json").withHeader("retry-after", "1"),
        ScriptedResponse.json(200, "completion-plain.json"));
    guarded(Policy.monitor());

    ChatCompletions c = client.getChatCompletions(DEPLOYMENT, ask("Where?")).block(WAIT);

    assertThat(Objects.requireNonNull(c).getId())
        .isEqualTo("chatcmpl-AYQ1fX7mB9eK2p0sG4uTqzL3hV8wN");
    assertThat(server.requests()).hasSize(2);
    assertThat(event().event().outcome()).isEqualTo("success");
  }

  @Test
  void streamsEveryEventAndRecordsOneEvent() {
    server.enqueue(ScriptedResponse.sse("stream-plain.sse"));
    guarded(Policy.monitor());

    List<ChatCompletions> events =
        client.getChatCompletionsStream(DEPLOYMENT, ask("Where?")).collectList().block(WAIT);

    assertThat(events).hasSize(7);
    assertThat(text(events)).isEqualTo("Your order 4471 left Rotterdam on Monday.");
    GuardEvent e = event();
    assertThat(e.genAi().completion()).isEqualTo("Your order 4471 left Rotterdam on Monday.");
    assertThat(e.genAi().usage().outputTokens()).isEqualTo(9);
  }

  @Test
  void endsABlockedStreamWithTheViolation() {
    server.enqueue(ScriptedResponse.sse("stream-plain.sse"));
    guarded(Policy.block(), TestDetectors.banned("Rotterdam", Phase.RESPONSE));
    List<ChatCompletions> received = new java.util.concurrent.CopyOnWriteArrayList<>();

    Throwable thrown =
        catchThrowable(
            () ->
                client
                    .getChatCompletionsStream(DEPLOYMENT, ask("Where?"))
                    .doOnNext(received::add)
                    .blockLast(WAIT));

    assertThat(thrown).isInstanceOf(GuardrailViolationException.class);
    assertThat(text(received)).isEqualTo("Your order 4471 left ");
    assertThat(event().event().type()).containsExactly("denied");
  }

  @Test
  void recordsOneEventWhenTheSubscriberCancels() {
    server.enqueue(ScriptedResponse.sse("stream-plain.sse").withEventDelay(Duration.ofMillis(20)));
    guarded(Policy.monitor());

    List<ChatCompletions> firstTwo =
        client
            .getChatCompletionsStream(DEPLOYMENT, ask("Where?"))
            .take(2)
            .collectList()
            .block(WAIT);

    assertThat(firstTwo).hasSize(2);
    GuardEvent e = event();
    assertThat(e.event().reason()).contains("stream closed by the caller");
    assertThat(sink.events()).hasSize(1);
  }

  @Test
  void noticesACutStream() {
    server.enqueue(ScriptedResponse.sse("stream-cut.sse"));
    guarded(Policy.monitor());

    List<ChatCompletions> events =
        client.getChatCompletionsStream(DEPLOYMENT, ask("Where?")).collectList().block(WAIT);

    assertThat(events).hasSize(4);
    assertThat(event().event().reason()).contains("without a finish reason");
  }

  @Test
  void signalsA500AfterTheSdksRetriesInAStream() {
    ScriptedResponse failing = ScriptedResponse.json(500, "error-500.json");
    server.enqueue(failing, failing, failing, failing);
    guarded(Policy.monitor());

    Throwable thrown =
        catchThrowable(
            () -> client.getChatCompletionsStream(DEPLOYMENT, ask("Where?")).blockLast(WAIT));

    assertThat(thrown).isInstanceOf(HttpResponseException.class);
    assertThat(server.requests()).hasSize(4);
    assertThat(event().genAi().response().errorCode()).isEqualTo("InternalServerError");
  }
}
