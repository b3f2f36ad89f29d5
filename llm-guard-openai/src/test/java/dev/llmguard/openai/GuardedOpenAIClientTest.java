package dev.llmguard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.RateLimitException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import dev.llmguard.GuardrailViolationException;
import dev.llmguard.Policy;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.openai.wire.Fixtures;
import dev.llmguard.openai.wire.OpenAiWireServer.Recorded;
import dev.llmguard.openai.wire.OpenAiWireServer.Reply;
import dev.llmguard.support.TestDetectors;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The drop-in client through the real SDK against the OpenAI wire format over HTTPS. */
@SuppressWarnings("deprecation") // asserts that deprecated SDK fields pass through untouched
class GuardedOpenAIClientTest extends WireTestBase {

  @Test
  void aCompletionComesBackAsTheSdksOwnObjectAndItsUsageModelIdAndFinishReasonReachTheEvent() {
    server.enqueue(Reply.json(200, "openai/completion-plain.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    ChatCompletion answer =
        client.chat().completions().create(question("gpt-4o-mini", "prompts/order-question.txt"));

    assertThat(answer.choices().get(0).message().content().orElseThrow())
        .startsWith("Your order #48213 left our warehouse yesterday");
    assertThat(answer.systemFingerprint()).contains("fp_0ba0d124f1");
    Recorded sent = server.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("authorization")).isEqualTo("Bearer sk-test-4f9c2e7a1b8d");
    GuardEvent e = event(client.guard());
    assertThat(e.genAi().provider().name()).isEqualTo("openai");
    assertThat(e.genAi().request().model()).isEqualTo("gpt-4o-mini");
    assertThat(e.genAi().response().model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(e.genAi().response().id()).isEqualTo("chatcmpl-AZ3kq8Yt7LmN2pQ4rS6tU8vW0xY1");
    assertThat(e.genAi().response().finishReasons()).containsExactly("stop");
    assertThat(e.genAi().usage().inputTokens()).isEqualTo(57L);
    assertThat(e.genAi().usage().outputTokens()).isEqualTo(21L);
    assertThat(e.event().outcome()).isEqualTo("success");
    assertThat(e.genAi().prompt()).contains("where is my order #48213");
  }

  @Test
  void redactionChangesOnlyTheMessageTextAndEveryOtherParameterIsSentAsTheCallerSetIt() {
    ChatCompletionCreateParams params =
        question("gpt-4o-mini", "prompts/return-with-email.txt").toBuilder()
            .temperature(0.2)
            .maxCompletionTokens(200)
            .seed(7L)
            .addTool(
                ChatCompletionFunctionTool.builder()
                    .function(
                        FunctionDefinition.builder()
                            .name("get_order_status")
                            .parameters(
                                FunctionParameters.builder()
                                    .putAdditionalProperty("type", JsonValue.from("object"))
                                    .build())
                            .build())
                    .build())
            .putAdditionalBodyProperty("prompt_cache_key", JsonValue.from("support-bot"))
            .putAdditionalHeader("x-request-origin", "checkout")
            .build();
    OpenAIClient sdk = openAiSdk();
    server.enqueue(
        Reply.json(200, "openai/completion-with-placeholder.json"),
        Reply.json(200, "openai/completion-with-placeholder.json"));
    sdk.chat().completions().create(params);
    Recorded unguarded = server.lastRequest();
    GuardedOpenAIClient client = guard(sdk, Policy.redact(), TestDetectors.email());

    ChatCompletion answer = client.chat().completions().create(params);

    Recorded guarded = server.lastRequest();
    ObjectNode expected = (ObjectNode) unguarded.json();
    ObjectNode actual = (ObjectNode) guarded.json();
    JsonNode sentUser = actual.get("messages").get(1).get("content");
    assertThat(sentUser.asText())
        .isEqualTo(
            "Please send the return label for order #48213 to [EMAIL_1], the parcel is damaged.");
    assertThat(actual.get("messages").get(0)).isEqualTo(expected.get("messages").get(0));
    expected.remove("messages");
    actual.remove("messages");
    assertThat(actual).isEqualTo(expected);
    assertThat(guarded.header("x-request-origin")).isEqualTo("checkout");
    // The placeholder in the answer is restored for the caller.
    assertThat(answer.choices().get(0).message().content().orElseThrow())
        .isEqualTo(
            "I have sent the return label to maria.keller@example.org. It is valid for 14 days.");
    assertThat(answer.id()).isEqualTo("chatcmpl-AZ3kr1Ab2Cd3Ef4Gh5Ij6Kl7Mn8");
    GuardEvent e = event(client.guard());
    assertThat(e.genAi().policy().action()).containsExactly("REDACT");
    assertThat(e.genAi().prompt()).doesNotContain("maria.keller@example.org");
  }

  @Test
  void toolCallsOfTheAnswerReachTheCallerAndTheEventRecordsTheToolCallsFinishReason() {
    server.enqueue(Reply.json(200, "openai/completion-tool-calls.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    ChatCompletion answer =
        client.chat().completions().create(question("gpt-4o-mini", "prompts/order-question.txt"));

    var call = answer.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.id()).isEqualTo("call_Qm3v9ZpX2LkT8hRw");
    assertThat(call.function().name()).isEqualTo("get_order_status");
    assertThat(call.function().arguments()).isEqualTo("{\"order_id\":\"48213\"}");
    GuardEvent e = event(client.guard());
    assertThat(e.genAi().response().finishReasons()).containsExactly("tool_calls");
    assertThat(e.genAi().usage().inputTokens()).isEqualTo(112L);
  }

  @Test
  void aBlockingPolicyStopsAnInjectedPromptBeforeItReachesTheServer() {
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.block(), TestDetectors.injection());

    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(question("gpt-4o-mini", "prompts/injection.txt")))
        .isInstanceOf(GuardrailViolationException.class);

    assertThat(server.requests()).isEmpty();
    GuardEvent e = event(client.guard());
    assertThat(e.event().type()).containsExactly("denied");
    assertThat(e.genAi().threat().category()).contains("prompt_injection");
  }

  @Test
  void anAnswerLeakingAKeyIsBlockedAfterTheCallAndTheCallerGetsTheViolation() {
    server.enqueue(Reply.json(200, "openai/completion-leaking-key.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.block(), TestDetectors.awsKey());

    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(question("gpt-4o-mini", "prompts/order-question.txt")))
        .isInstanceOf(GuardrailViolationException.class);

    GuardEvent e = event(client.guard());
    assertThat(e.event().outcome()).isEqualTo("failure");
    assertThat(e.genAi().completion()).doesNotContain("AKIAJ7Q2XK4PLM9WZ3RT");
  }

  @Test
  void aStreamHandsOverTheSdksChunksInOrderAndTheEventHasUsageAndFinishReason() {
    server.enqueue(Reply.sse("openai/stream-plain.sse"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(question("gpt-4o-mini", "prompts/order-question.txt"))) {
      chunks = stream.stream().collect(Collectors.toList());
    }

    assertThat(chunks).hasSize(6);
    String text =
        chunks.stream()
            .flatMap(c -> c.choices().stream())
            .map(c -> c.delta().content().orElse(""))
            .collect(Collectors.joining());
    assertThat(text).isEqualTo("Your order #48213 left our warehouse yesterday.");
    assertThat(server.lastRequest().json().get("stream").asBoolean()).isTrue();
    GuardEvent e = event(client.guard());
    assertThat(e.event().outcome()).isEqualTo("success");
    assertThat(e.genAi().response().finishReasons()).containsExactly("stop");
    assertThat(e.genAi().response().id()).isEqualTo("chatcmpl-AZ3ku5Qr6St7Uv8Wx9Yz0Ab1Cd2");
    assertThat(e.genAi().usage().inputTokens()).isEqualTo(57L);
    assertThat(e.genAi().usage().outputTokens()).isEqualTo(9L);
    assertThat(e.genAi().completion()).isEqualTo(text);
  }

  @Test
  void aStreamWhoseConnectionClosesBeforeDoneEndsQuietlyButTheEventRecordsTheMissingFinish() {
    server.enqueue(Reply.sse("openai/stream-cut.sse"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(question("gpt-4o-mini", "prompts/order-question.txt"))) {
      chunks = stream.stream().collect(Collectors.toList());
    }

    assertThat(chunks).hasSize(3);
    GuardEvent e = event(client.guard());
    assertThat(e.event().outcome()).isEqualTo("failure");
    assertThat(e.event().reason()).contains("without a finish reason");
    assertThat(e.genAi().response().finishReasons()).isNull();
    assertThat(e.genAi().completion()).isEqualTo("To reset your password, open Settings, then");
  }

  @Test
  void aStreamLeakingAKeyIsCutBeforeTheChunkWithTheKeyReachesTheCaller() {
    server.enqueue(Reply.sse("openai/stream-leaking-key.sse"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.block(), TestDetectors.awsKey());
    StringBuilder seen = new StringBuilder();

    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(question("gpt-4o-mini", "prompts/order-question.txt"))) {
      assertThatThrownBy(
              () ->
                  stream.stream()
                      .forEach(c -> seen.append(c.choices().get(0).delta().content().orElse(""))))
          .isInstanceOf(GuardrailViolationException.class);
    }

    assertThat(seen.toString()).isEqualTo("The deployment script");
    assertThat(event(client.guard()).event().reason()).isNotBlank();
  }

  @Test
  void aMalformedStreamEventFailsWithTheSdksExceptionAfterTheGoodChunksAndIsRecorded() {
    server.enqueue(Reply.sse("openai/stream-malformed-event.sse"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());
    List<ChatCompletionChunk> seen = new java.util.ArrayList<>();

    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(question("gpt-4o-mini", "prompts/order-question.txt"))) {
      assertThatThrownBy(() -> stream.stream().forEach(seen::add))
          .isInstanceOf(com.openai.errors.OpenAIException.class);
    }

    assertThat(seen).hasSize(1);
    GuardEvent e = event(client.guard());
    assertThat(e.event().outcome()).isEqualTo("failure");
    assertThat(e.error()).isNotNull();
    assertThat(e.genAi().completion()).isEqualTo("Your order");
  }

  @Test
  void aRateLimitIsRetriedByTheSdkThroughTheWrapperAndOneSuccessfulEventIsRecorded() {
    server.enqueue(
        Reply.json(429, "openai/error-429-rate-limit.json").retryAfterMillis(5),
        Reply.json(200, "openai/completion-plain.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    ChatCompletion answer =
        client.chat().completions().create(question("gpt-4o-mini", "prompts/order-question.txt"));

    assertThat(answer.id()).isEqualTo("chatcmpl-AZ3kq8Yt7LmN2pQ4rS6tU8vW0xY1");
    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(1).header("x-stainless-retry-count")).isEqualTo("1");
    GuardEvent e = event(client.guard());
    assertThat(e.event().outcome()).isEqualTo("success");
  }

  @Test
  void aRateLimitThatOutlastsTheRetriesReachesTheCallerAndTheEventCarriesItsCode() {
    Reply limited = Reply.json(429, "openai/error-429-rate-limit.json").retryAfterMillis(5);
    server.enqueue(limited, limited, limited);
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(question("gpt-4o-mini", "prompts/order-question.txt")))
        .isInstanceOf(RateLimitException.class);

    assertThat(server.requests()).hasSize(3);
    GuardEvent e = event(client.guard());
    assertThat(e.event().outcome()).isEqualTo("failure");
    assertThat(e.genAi().response().errorCode()).isEqualTo("rate_limit_exceeded");
    assertThat(e.error().type()).isEqualTo(RateLimitException.class.getName());
  }

  @Test
  void serverErrorsAreRetriedAndTheLastOneReachesTheCallerUnchanged() {
    Reply failing = Reply.json(500, "openai/error-500.json").retryAfterMillis(5);
    server.enqueue(failing, failing, failing);
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(question("gpt-4o-mini", "prompts/order-question.txt")))
        .isInstanceOf(InternalServerException.class)
        .hasMessageContaining("The server had an error");

    assertThat(server.requests()).hasSize(3);
    GuardEvent e = event(client.guard());
    assertThat(e.genAi().response().errorCode()).isEqualTo("500");
  }

  @Test
  void aServerErrorFollowedBySuccessIsInvisibleToTheCaller() {
    server.enqueue(
        Reply.json(503, "openai/error-500.json").retryAfterMillis(5),
        Reply.json(200, "openai/completion-plain.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    ChatCompletion answer =
        client.chat().completions().create(question("gpt-4o-mini", "prompts/order-question.txt"));

    assertThat(answer.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(event(client.guard()).event().outcome()).isEqualTo("success");
  }

  @Test
  void aTruncatedBodyGivesTheSdksInvalidDataExceptionAndAFailureEvent() {
    server.enqueue(Reply.json(200, "openai/malformed-truncated.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(question("gpt-4o-mini", "prompts/order-question.txt")))
        .isInstanceOf(OpenAIInvalidDataException.class);

    GuardEvent e = event(client.guard());
    assertThat(e.event().outcome()).isEqualTo("failure");
    assertThat(e.error().type()).isEqualTo(OpenAIInvalidDataException.class.getName());
  }

  @Test
  void aBodyWithMistypedChoicesGivesTheSdksInvalidDataExceptionNamingTheField() {
    server.enqueue(Reply.json(200, "openai/malformed-no-choices.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(question("gpt-4o-mini", "prompts/order-question.txt")))
        .isInstanceOf(OpenAIInvalidDataException.class)
        .hasMessageContaining("choices");

    assertThat(event(client.guard()).event().outcome()).isEqualTo("failure");
  }

  @Test
  void withOptionsViewsAreGuardedByTheSameEngine() {
    server.enqueue(Reply.json(200, "openai/completion-plain.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    OpenAIClient derived = client.withOptions(o -> o.putHeader("x-tenant", "eu-west"));
    derived.chat().completions().create(question("gpt-4o-mini", "prompts/order-question.txt"));

    assertThat(derived).isInstanceOf(GuardedOpenAIClient.class);
    assertThat(server.lastRequest().header("x-tenant")).isEqualTo("eu-west");
    assertThat(event(client.guard()).genAi().response().id())
        .isEqualTo("chatcmpl-AZ3kq8Yt7LmN2pQ4rS6tU8vW0xY1");
  }

  @Test
  void theCanaryTokenIsSentAsPartOfTheSystemMessageAndTheRestIsUntouched() {
    server.enqueue(Reply.json(200, "openai/completion-plain.json"));
    GuardedOpenAIClient client =
        GuardedOpenAIClient.wrap(
            openAiSdk(),
            b ->
                b.ignoreExternalConfiguration()
                    .detectors(TestDetectors.email())
                    .canaryTokens(true)
                    .sinks(sink));

    client
        .chat()
        .completions()
        .create(
            ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage(Fixtures.text("prompts/order-question.txt"))
                .build());

    JsonNode messages = server.lastRequest().json().get("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
    assertThat(messages.get(0).get("content").asText()).startsWith("(Confidential marker lg-");
    assertThat(messages.get(1))
        .isEqualTo(
            com.openai.core.ObjectMappers.jsonMapper()
                .valueToTree(
                    Map.of(
                        "role", "user", "content", Fixtures.text("prompts/order-question.txt"))));
    client.guard().close();
  }

  private static List<com.openai.models.chat.completions.ChatCompletionMessageParam> messages(
      String fixture) throws Exception {
    var mapper = com.openai.core.ObjectMappers.jsonMapper();
    return mapper.readValue(
        Fixtures.text(fixture),
        mapper
            .getTypeFactory()
            .constructCollectionType(
                List.class, com.openai.models.chat.completions.ChatCompletionMessageParam.class));
  }

  @Test
  void aToolResultIsScannedAndRedactedWhileTheAssistantsToolCallIsSentAsItWas() throws Exception {
    server.enqueue(Reply.json(200, "openai/completion-plain.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.redact(), TestDetectors.email());
    JsonNode original =
        com.openai.core.ObjectMappers.jsonMapper()
            .readTree(Fixtures.text("openai/conversation-with-tool-call.json"));

    client
        .chat()
        .completions()
        .create(
            ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .messages(messages("openai/conversation-with-tool-call.json"))
                .build());

    JsonNode sent = server.lastRequest().json().get("messages");
    assertThat(sent.get(0)).isEqualTo(original.get(0));
    assertThat(sent.get(1)).isEqualTo(original.get(1));
    assertThat(sent.get(2).get("tool_calls")).isEqualTo(original.get(2).get("tool_calls"));
    assertThat(sent.get(3).get("tool_call_id").asText()).isEqualTo("call_Qm3v9ZpX2LkT8hRw");
    assertThat(sent.get(3).get("content").asText())
        .isEqualTo(
            "{\"order_id\":\"48213\",\"status\":\"shipped\",\"carrier\":\"DHL\",\"notify\":\"[EMAIL_1]\"}");
  }

  @Test
  void inAMessageWithImageAndTextPartsOnlyTheTextPartWithTheFindingChanges() throws Exception {
    server.enqueue(Reply.json(200, "openai/completion-plain.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.redact(), TestDetectors.email());
    JsonNode original =
        com.openai.core.ObjectMappers.jsonMapper()
            .readTree(Fixtures.text("openai/conversation-with-image.json"));

    client
        .chat()
        .completions()
        .create(
            ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .messages(messages("openai/conversation-with-image.json"))
                .build());

    JsonNode parts = server.lastRequest().json().get("messages").get(0).get("content");
    JsonNode was = original.get(0).get("content");
    assertThat(parts.get(0)).isEqualTo(was.get(0));
    assertThat(parts.get(1).get("text").asText())
        .isEqualTo("The parcel arrived like this. Please reply to [EMAIL_1].");
    assertThat(parts.get(2)).isEqualTo(was.get(2));
  }
}
