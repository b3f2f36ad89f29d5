package dev.llmguard.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.exception.HttpResponseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatMessage;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.ChatStream;
import dev.llmguard.ProviderError;
import dev.llmguard.ProviderFilterResult;
import dev.llmguard.Role;
import dev.llmguard.ToolCall;
import dev.llmguard.Usage;
import dev.llmguard.azure.wire.ScriptedResponse;
import dev.llmguard.azure.wire.WireTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class AzureOpenAIChatClientTest extends WireTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AzureOpenAIChatClient client() {
    return AzureOpenAIChatClient.builder()
        .client(sdk.sync())
        .asyncClient(sdk.async())
        .deployment("gpt-4o-prod")
        .build();
  }

  private static ChatRequest question() {
    return ChatRequest.builder()
        .system("You are the support bot of a parcel service.")
        .user("Where is my order 4471?")
        .userId("u-1842")
        .parameter("temperature", 0.2)
        .parameter("max_tokens", 200)
        .build();
  }

  @Test
  void sendsTheConversationUserAndParametersAsAzureJson() throws Exception {
    server.enqueue(ScriptedResponse.json(200, "completion-plain.json"));
    ChatRequest req =
        question().toBuilder()
            .message(
                new ChatMessage(
                    Role.ASSISTANT,
                    null,
                    null,
                    null,
                    List.of(new ToolCall("call_1", "lookup_order", "{\"order_id\":\"4471\"}"))))
            .message(ChatMessage.tool("call_1", "{\"status\":\"shipped\"}"))
            .build();

    client().chat(req);

    JsonNode sent = JSON.readTree(server.lastRequest().body());
    assertThat(server.lastRequest().path())
        .isEqualTo("/openai/deployments/gpt-4o-prod/chat/completions");
    assertThat(sent.get("user").asText()).isEqualTo("u-1842");
    assertThat(sent.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(200);
    assertThat(sent.get("messages")).hasSize(4);
    assertThat(sent.at("/messages/0/role").asText()).isEqualTo("system");
    assertThat(sent.at("/messages/2/tool_calls/0/function/name").asText())
        .isEqualTo("lookup_order");
    assertThat(sent.at("/messages/3/tool_call_id").asText()).isEqualTo("call_1");
    assertThat(sent.has("stream")).isFalse();
  }

  @Test
  void readsIdModelTextUsageFinishReasonAndFiltersOfAPlainCompletion() {
    server.enqueue(ScriptedResponse.json(200, "completion-plain.json"));

    ChatResponse r = client().chat(question());

    assertThat(r.id()).isEqualTo("chatcmpl-AYQ1fX7mB9eK2p0sG4uTqzL3hV8wN");
    assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(r.text()).startsWith("Your order 4471 left our warehouse");
    assertThat(r.usage()).isEqualTo(Usage.of(57, 21));
    assertThat(r.finishReasons()).containsExactly("stop");
    assertThat(r.providerFilters()).hasSize(11).noneMatch(ProviderFilterResult::isHit);
  }

  @Test
  void readsToolCallsOfTheAnswer() {
    server.enqueue(ScriptedResponse.json(200, "completion-tool-calls.json"));

    ChatResponse r = client().chat(question());

    assertThat(r.finishReasons()).containsExactly("tool_calls");
    assertThat(r.choices().get(0).message().role()).isEqualTo(Role.ASSISTANT);
    assertThat(r.choices().get(0).message().toolCalls())
        .containsExactly(
            new ToolCall(
                "call_Qw3rT7yU9iO1pA5sD2fG4hJ6", "lookup_order", "{\"order_id\":\"4471\"}"),
            new ToolCall(
                "call_Zx8cV6bN4mL2kJ0hG9fD7sA5",
                "get_weather",
                "{\"city\":\"Rotterdam\",\"unit\":\"celsius\"}"));
    assertThat(r.usage()).isEqualTo(Usage.of(112, 48));
  }

  @Test
  void keepsTheCitationOfProtectedCodeThatTheSdkModelLoses() {
    server.enqueue(ScriptedResponse.json(200, "completion-filtered-annotations.json"));

    ChatResponse r = client().chat(question());

    assertThat(r.providerFilters())
        .filteredOn(f -> f.category().equals("protected_material_code"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.details())
                    .containsEntry("citation_license", "MIT")
                    .containsEntry(
                        "citation_url",
                        "https://github.com/TheAlgorithms/Python/blob/master/sorts/quick_sort.py"));
  }

  @Test
  void answersAsynchronouslyThroughTheAsyncSdkClient() throws Exception {
    server.enqueue(ScriptedResponse.json(200, "completion-plain.json"));

    ChatResponse r = client().chatAsync(question()).get();

    assertThat(r.id()).isEqualTo("chatcmpl-AYQ1fX7mB9eK2p0sG4uTqzL3hV8wN");
  }

  @Test
  void deliversStreamedChunksAsTheyArrive() {
    CountDownLatch gate = new CountDownLatch(1);
    server.enqueue(ScriptedResponse.sse("stream-plain.sse").holdAfter(3, gate));
    List<ChatChunk> chunks = new ArrayList<>();

    try (ChatStream stream = client().stream(question())) {
      for (ChatChunk c : stream) {
        chunks.add(c);
        if (c.delta().equals("Your order ")) {
          // The server holds the rest back until here: this chunk came before the end was sent.
          gate.countDown();
        }
      }
      assertThat(AzureOpenAIChatClient.wasCut(stream)).isFalse();
    }

    assertThat(gate.getCount()).isZero();
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.delta()));
    assertThat(text).hasToString("Your order 4471 left Rotterdam on Monday.");
    assertThat(chunks).extracting(ChatChunk::finishReason).contains("stop");
    assertThat(chunks.get(0).providerFilters())
        .hasSize(5)
        .allMatch(f -> f.source().equals("prompt"));
    assertThat(chunks.get(chunks.size() - 1).usage()).isEqualTo(Usage.of(57, 9));
    assertThat(chunks.get(1).id()).isEqualTo("chatcmpl-AYQ6sDf4gH2jK0lZ8xC6vB4nM2qWe");
    assertThat(server.lastRequest().body()).contains("\"stream\":true");
  }

  @Test
  void noticesAStreamCutBeforeDone() {
    server.enqueue(ScriptedResponse.sse("stream-cut.sse"));
    List<ChatChunk> chunks = new ArrayList<>();

    try (ChatStream stream = client().stream(question())) {
      stream.forEach(chunks::add);
      assertThat(AzureOpenAIChatClient.wasCut(stream)).isTrue();
    }

    assertThat(chunks).extracting(ChatChunk::finishReason).containsOnlyNulls();
  }

  @Test
  void throwsTheSdkExceptionForTheContentFilterErrorAndDescribesIt() {
    server.enqueue(ScriptedResponse.json(400, "error-400-content-filter.json"));
    AzureOpenAIChatClient client = client();

    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(() -> client.chat(question()));

    assertThat(thrown).isInstanceOf(HttpResponseException.class);
    ProviderError e = client.describeError(thrown).orElseThrow();
    assertThat(e.errorCode()).isEqualTo("content_filter");
    assertThat(e.blockedByProvider()).isTrue();
    assertThat(e.providerFilters())
        .filteredOn(ProviderFilterResult::isHit)
        .extracting(ProviderFilterResult::category)
        .containsExactly("hate", "jailbreak", "violence");
  }

  @Test
  void describesTheContentFilterErrorOfTheAsyncClientWithThePluralSpelling() {
    server.enqueue(ScriptedResponse.json(400, "error-400-content-filter-results.json"));
    AzureOpenAIChatClient client = client();

    assertThatThrownBy(() -> client.chatAsync(question()).get())
        .isInstanceOf(ExecutionException.class)
        .satisfies(
            e -> {
              assertThat(e.getCause()).isInstanceOf(HttpResponseException.class);
              assertThat(client.describeError(e).orElseThrow().providerFilters())
                  .filteredOn(f -> Boolean.TRUE.equals(f.filtered()))
                  .extracting(ProviderFilterResult::category)
                  .containsExactly("indirect_attack");
            });
  }

  @Test
  void describesA429AfterTheSdkGaveUpRetrying() {
    ScriptedResponse limited =
        ScriptedResponse.json(429, "error-429-rate-limit.json").withHeader("retry-after-ms", "5");
    server.enqueue(limited, limited, limited, limited);
    AzureOpenAIChatClient client = client();

    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(() -> client.chat(question()));

    assertThat(server.requests()).hasSize(4);
    assertThat(client.describeError(thrown)).contains(new ProviderError("429", false, List.of()));
  }

  @Test
  void failsOnAMalformedBodyAsTheSdkDoes() {
    server.enqueue(ScriptedResponse.json(200, "malformed.json"));
    Throwable sdkOwn =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                sdk.sync()
                    .getChatCompletions(
                        "gpt-4o-prod",
                        new com.azure.ai.openai.models.ChatCompletionsOptions(
                            List.of(new com.azure.ai.openai.models.ChatRequestUserMessage("hi")))));
    server.enqueue(ScriptedResponse.json(200, "malformed.json"));

    Throwable ours =
        org.assertj.core.api.Assertions.catchThrowable(() -> client().chat(question()));

    assertThat(sdkOwn).isNotNull();
    assertThat(ours).isNotNull().hasSameClassAs(sdkOwn);
    assertThat(client().describeError(ours)).isEmpty();
  }

  @Test
  void reportsItsProviderName() {
    assertThat(client().providerName()).isEqualTo("azure.ai.openai");
  }

  @Test
  void marksAnAnswerTheFilterWithheldWithTheContentFilterErrorCode() {
    server.enqueue(
        ScriptedResponse.json(200, "completion-finish-content-filter.json"),
        ScriptedResponse.json(200, "completion-plain.json"));

    ChatResponse withheld = client().chat(question());
    ChatResponse plain = client().chat(question());

    assertThat(withheld.attributes())
        .containsEntry(AzureOpenAIChatClient.ERROR_CODE_ATTRIBUTE, "content_filter");
    assertThat(plain.attributes()).isEmpty();
  }
}
