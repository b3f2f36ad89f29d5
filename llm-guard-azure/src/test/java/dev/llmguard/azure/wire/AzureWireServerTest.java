package dev.llmguard.azure.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.models.ChatChoice;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsFunctionToolCall;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.ai.openai.models.ChatRequestUserMessage;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.IterableStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test server is faithful enough that the real, unwrapped SDK client understands it. */
class AzureWireServerTest extends WireTestBase {

  private static ChatCompletionsOptions ask(String text) {
    return new ChatCompletionsOptions(List.of(new ChatRequestUserMessage(text)));
  }

  @Test
  void theRealSdkReadsAPlainCompletionOverHttpsWithTheApiKey() {
    server.enqueue(ScriptedResponse.json(200, "completion-plain.json"));
    OpenAIClient client = sdk.sync();

    ChatCompletions c = client.getChatCompletions("gpt-4o-prod", ask("Where is my order?"));

    assertThat(c.getId()).isEqualTo("chatcmpl-AYQ1fX7mB9eK2p0sG4uTqzL3hV8wN");
    assertThat(c.getChoices().get(0).getMessage().getContent()).startsWith("Your order 4471");
    assertThat(c.getUsage().getPromptTokens()).isEqualTo(57);
    AzureWireServer.RecordedRequest req = server.lastRequest();
    assertThat(req.path()).isEqualTo("/openai/deployments/gpt-4o-prod/chat/completions");
    assertThat(req.header("api-key")).isEqualTo(SdkClients.API_KEY);
    assertThat(req.body()).contains("Where is my order?");
  }

  @Test
  void theRealSdkReadsToolCalls() {
    server.enqueue(ScriptedResponse.json(200, "completion-tool-calls.json"));

    ChatChoice choice =
        sdk.sync().getChatCompletions("gpt-4o-prod", ask("Track 4471")).getChoices().get(0);

    assertThat(choice.getFinishReason().toString()).isEqualTo("tool_calls");
    ChatCompletionsFunctionToolCall call =
        (ChatCompletionsFunctionToolCall) choice.getMessage().getToolCalls().get(0);
    assertThat(call.getFunction().getName()).isEqualTo("lookup_order");
  }

  @Test
  void theRealSdkStreamsEveryEventUntilDone() {
    server.enqueue(ScriptedResponse.sse("stream-plain.sse"));

    IterableStream<ChatCompletions> stream =
        sdk.sync().getChatCompletionsStream("gpt-4o-prod", ask("Where is my order?"));
    StringBuilder text = new StringBuilder();
    List<String> reasons = new ArrayList<>();
    for (ChatCompletions chunk : stream) {
      for (ChatChoice ch : chunk.getChoices()) {
        if (ch.getDelta() != null && ch.getDelta().getContent() != null) {
          text.append(ch.getDelta().getContent());
        }
        if (ch.getFinishReason() != null) {
          reasons.add(ch.getFinishReason().toString());
        }
      }
    }

    assertThat(text).hasToString("Your order 4471 left Rotterdam on Monday.");
    assertThat(reasons).containsExactly("stop");
    assertThat(server.lastRequest().body()).contains("\"stream\":true");
  }

  @Test
  void theRealSdkRaisesNothingWhenTheStreamIsCutBeforeDone() {
    server.enqueue(ScriptedResponse.sse("stream-cut.sse"));

    List<ChatCompletions> chunks = new ArrayList<>();
    sdk.sync()
        .getChatCompletionsStream("gpt-4o-prod", ask("Where is my order?"))
        .forEach(chunks::add);

    assertThat(chunks).hasSize(4);
  }

  @Test
  void theRealSdkRaisesHttpResponseExceptionForTheContentFilterError() {
    server.enqueue(ScriptedResponse.json(400, "error-400-content-filter.json"));

    assertThatThrownBy(() -> sdk.sync().getChatCompletions("gpt-4o-prod", ask("hateful prompt")))
        .isInstanceOf(HttpResponseException.class)
        .satisfies(
            e ->
                assertThat(((HttpResponseException) e).getResponse().getStatusCode())
                    .isEqualTo(400));
  }

  @Test
  void theRealSdkRetriesA429AfterTheRetryAfterDelay() {
    server.enqueue(
        ScriptedResponse.json(429, "error-429-rate-limit.json").withHeader("retry-after", "1"),
        ScriptedResponse.json(200, "completion-plain.json"));

    long start = System.nanoTime();
    ChatCompletions c = sdk.sync().getChatCompletions("gpt-4o-prod", ask("Where is my order?"));
    long ms = (System.nanoTime() - start) / 1_000_000;

    assertThat(c.getId()).isEqualTo("chatcmpl-AYQ1fX7mB9eK2p0sG4uTqzL3hV8wN");
    assertThat(server.requests()).hasSize(2);
    assertThat(ms).isGreaterThanOrEqualTo(900);
  }
}
