package dev.llmguard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.errors.BadRequestException;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.ChatStream;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.InvalidRequestException;
import dev.llmguard.Policy;
import dev.llmguard.ProviderError;
import dev.llmguard.openai.wire.Fixtures;
import dev.llmguard.openai.wire.OpenAiWireServer.Reply;
import dev.llmguard.support.TestDetectors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The provider-neutral port over the SDK. */
class OpenAiChatClientTest extends WireTestBase {

  private ChatRequest orderQuestion() {
    return ChatRequest.builder()
        .model("gpt-4o-mini")
        .system(Fixtures.text("prompts/system.txt"))
        .user(Fixtures.text("prompts/order-question.txt"))
        .parameter("temperature", 0.3)
        .parameter("max_completion_tokens", 120)
        .build();
  }

  @Test
  void theProviderNameFollowsHowTheSdkClientIsConfigured() {
    assertThat(OpenAiChatClient.of(openAiSdk()).providerName()).isEqualTo("openai");
    assertThat(OpenAiChatClient.of(azureSdk()).providerName()).isEqualTo("azure.ai.openai");
    assertThat(
            OpenAiChatClient.builder()
                .client(openAiSdk())
                .providerName("azure.ai.openai")
                .build()
                .providerName())
        .isEqualTo("azure.ai.openai");
  }

  @Test
  void aNeutralRequestIsSentWithItsParametersAsBodyPropertiesAndAnsweredAsAChatResponse() {
    server.enqueue(Reply.json(200, "openai/completion-plain.json"));
    GuardedChatClient guarded =
        engine(OpenAiChatClient.of(openAiSdk()), Policy.monitor(), TestDetectors.email());

    ChatResponse answer = guarded.chat(orderQuestion());

    assertThat(answer.text()).startsWith("Your order #48213");
    assertThat(answer.usage().inputTokens()).isEqualTo(57);
    JsonNode body = server.lastRequest().json();
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.3);
    assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(120);
    assertThat(body.get("messages").get(0).get("role").asText()).isEqualTo("system");
    assertThat(event(guarded).genAi().provider().name()).isEqualTo("openai");
  }

  @Test
  void aNeutralStreamYieldsTheTextAndTheFinishReason() {
    server.enqueue(Reply.sse("openai/stream-plain.sse"));
    GuardedChatClient guarded =
        engine(OpenAiChatClient.of(openAiSdk()), Policy.monitor(), TestDetectors.email());
    StringBuilder text = new StringBuilder();
    String finish = null;

    try (ChatStream stream = guarded.stream(orderQuestion())) {
      for (ChatChunk c : stream) {
        text.append(c.delta());
        finish = c.finishReason() != null ? c.finishReason() : finish;
      }
    }

    assertThat(text.toString()).isEqualTo("Your order #48213 left our warehouse yesterday.");
    assertThat(finish).isEqualTo("stop");
    assertThat(event(guarded).genAi().usage().outputTokens()).isEqualTo(9L);
  }

  @Test
  void aNeutralAsyncCallUsesTheSdksAsyncView() throws Exception {
    server.enqueue(Reply.json(200, "openai/completion-tool-calls.json"));
    GuardedChatClient guarded =
        engine(OpenAiChatClient.of(openAiSdk()), Policy.monitor(), TestDetectors.email());

    ChatResponse answer = guarded.chatAsync(orderQuestion()).get(20, TimeUnit.SECONDS);

    assertThat(answer.choices().get(0).message().toolCalls())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.id()).isEqualTo("call_Qm3v9ZpX2LkT8hRw");
              assertThat(c.name()).isEqualTo("get_order_status");
            });
    assertThat(answer.finishReasons()).containsExactly("tool_calls");
  }

  @Test
  void aRequestWithoutAnyModelIsRejectedWithAClearMessage() {
    OpenAiChatClient client = OpenAiChatClient.of(openAiSdk());

    assertThatThrownBy(() -> client.chat(ChatRequest.ofUser("Hello")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("no model");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void theDefaultModelIsUsedWhenTheRequestNamesNone() {
    server.enqueue(Reply.json(200, "openai/completion-plain.json"));
    OpenAiChatClient client =
        OpenAiChatClient.builder().client(openAiSdk()).model("gpt-4o").build();

    client.chat(ChatRequest.ofUser(Fixtures.text("prompts/order-question.txt")));

    assertThat(server.lastRequest().json().get("model").asText()).isEqualTo("gpt-4o");
  }

  @Test
  void describeErrorReadsTheContentFilterRefusalFromTheBadRequestBody() {
    server.enqueue(Reply.json(400, "azure/error-400-content-filter.json"));
    OpenAiChatClient client = OpenAiChatClient.of(azureSdk());

    BadRequestException refusal =
        org.junit.jupiter.api.Assertions.assertThrows(
            BadRequestException.class,
            () -> client.chat(ChatRequest.builder().model("gpt-4o-prod").user("x").build()));
    ProviderError described = client.describeError(refusal).orElseThrow();

    assertThat(described.errorCode()).isEqualTo("content_filter");
    assertThat(described.blockedByProvider()).isTrue();
    assertThat(described.providerFilters())
        .extracting(f -> f.category() + "=" + f.filtered())
        .contains("jailbreak=true", "violence=true", "hate=false");
    assertThat(client.describeError(new IllegalStateException("not http"))).isEmpty();
  }
}
