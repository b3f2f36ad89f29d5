package dev.llmguard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmguard.GuardrailViolationException;
import dev.llmguard.Policy;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.openai.wire.Fixtures;
import dev.llmguard.openai.wire.OpenAiWireServer.Recorded;
import dev.llmguard.openai.wire.OpenAiWireServer.Reply;
import dev.llmguard.support.TestDetectors;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Responses API through the same engine. */
class ResponsesApiTest extends WireTestBase {

  private static ResponseCreateParams returnRequest() {
    return ResponseCreateParams.builder()
        .model("gpt-4.1-mini")
        .instructions(Fixtures.text("prompts/system.txt"))
        .input(Fixtures.text("prompts/return-with-email.txt"))
        .maxOutputTokens(300L)
        .temperature(0.2)
        .build();
  }

  private static String outputText(Response r) {
    return r.output().get(0).asMessage().content().get(0).asOutputText().text();
  }

  @Test
  void aResponsesCallIsRedactedOnlyInItsInputAndTheAnswerPlaceholderIsRestored() {
    OpenAIClient sdk = openAiSdk();
    server.enqueue(
        Reply.json(200, "openai/response-completed.json"),
        Reply.json(200, "openai/response-completed.json"));
    sdk.responses().create(returnRequest());
    Recorded unguarded = server.lastRequest();
    GuardedOpenAIClient client = guard(sdk, Policy.redact(), TestDetectors.email());

    Response answer = client.responses().create(returnRequest());

    Recorded sent = server.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1/responses");
    ObjectNode actual = (ObjectNode) sent.json();
    ObjectNode expected = (ObjectNode) unguarded.json();
    assertThat(actual.get("input").asText())
        .isEqualTo(
            "Please send the return label for order #48213 to [EMAIL_1], the parcel is damaged.");
    actual.remove("input");
    expected.remove("input");
    assertThat(actual).isEqualTo(expected);
    assertThat(outputText(answer))
        .isEqualTo(
            "I have sent the return label to maria.keller@example.org. It is valid for 14 days.");
    assertThat(answer.id()).isEqualTo("resp_68f1c2a9b4e08193a5c7d2e1f0b3a4c5");
    GuardEvent e = event(client.guard());
    assertThat(e.genAi().request().model()).isEqualTo("gpt-4.1-mini");
    assertThat(e.genAi().response().model()).isEqualTo("gpt-4.1-mini-2025-04-14");
    assertThat(e.genAi().response().finishReasons()).containsExactly("stop");
    assertThat(e.genAi().usage().inputTokens()).isEqualTo(48L);
    assertThat(e.genAi().usage().outputTokens()).isEqualTo(19L);
    assertThat(e.genAi().policy().action()).containsExactly("REDACT");
  }

  @Test
  void inAListOfInputItemsOnlyTheItemWithTheFindingChanges() {
    server.enqueue(Reply.json(200, "openai/response-completed.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.redact(), TestDetectors.email());
    ResponseCreateParams params =
        ResponseCreateParams.builder()
            .model("gpt-4.1-mini")
            .inputOfResponse(
                List.of(
                    ResponseInputItem.ofEasyInputMessage(
                        EasyInputMessage.builder()
                            .role(EasyInputMessage.Role.USER)
                            .content(Fixtures.text("prompts/order-question.txt"))
                            .build()),
                    ResponseInputItem.ofEasyInputMessage(
                        EasyInputMessage.builder()
                            .role(EasyInputMessage.Role.USER)
                            .content(Fixtures.text("prompts/return-with-email.txt"))
                            .build())))
            .build();

    client.responses().create(params);

    JsonNode input = server.lastRequest().json().get("input");
    assertThat(input.get(0).get("content").asText())
        .isEqualTo(Fixtures.text("prompts/order-question.txt"));
    assertThat(input.get(1).get("content").asText()).contains("[EMAIL_1]").doesNotContain("@");
  }

  @Test
  void aFunctionCallAnswerIsRecordedWithTheToolCallsFinishReason() {
    server.enqueue(Reply.json(200, "openai/response-function-call.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    Response answer =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("gpt-4.1-mini")
                    .input(Fixtures.text("prompts/order-question.txt"))
                    .build());

    assertThat(answer.output().get(0).asFunctionCall().name()).isEqualTo("get_order_status");
    GuardEvent e = event(client.guard());
    assertThat(e.genAi().response().finishReasons()).containsExactly("tool_calls");
    assertThat(e.genAi().usage().inputTokens()).isEqualTo(77L);
  }

  @Test
  void aResponsesStreamHandsOverEveryEventAndRecordsFinishAndUsage() {
    server.enqueue(Reply.sse("openai/response-stream.sse"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());

    List<ResponseStreamEvent> events;
    try (StreamResponse<ResponseStreamEvent> stream =
        client
            .responses()
            .createStreaming(
                ResponseCreateParams.builder()
                    .model("gpt-4.1-mini")
                    .input(Fixtures.text("prompts/order-question.txt"))
                    .build())) {
      events = stream.stream().collect(Collectors.toList());
    }

    assertThat(events).hasSize(6);
    String text =
        events.stream()
            .filter(ResponseStreamEvent::isOutputTextDelta)
            .map(ev -> ev.asOutputTextDelta().delta())
            .collect(Collectors.joining());
    assertThat(text).isEqualTo("Your order #48213 left our warehouse yesterday.");
    GuardEvent e = event(client.guard());
    assertThat(e.genAi().completion()).isEqualTo(text);
    assertThat(e.genAi().response().id()).isEqualTo("resp_68f1c2b0e7a48193c1d3e5f7a9b1c3d5");
    assertThat(e.genAi().response().finishReasons()).containsExactly("stop");
    assertThat(e.genAi().usage().outputTokens()).isEqualTo(11L);
    assertThat(e.event().outcome()).isEqualTo("success");
  }

  @Test
  void anInjectedInstructionInTheInputIsBlockedBeforeAnythingIsSent() {
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.block(), TestDetectors.injection());

    assertThatThrownBy(
            () ->
                client
                    .responses()
                    .create(
                        ResponseCreateParams.builder()
                            .model("gpt-4.1-mini")
                            .input(Fixtures.text("prompts/injection.txt"))
                            .build()))
        .isInstanceOf(GuardrailViolationException.class);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void theAsyncViewGuardsResponsesToo() throws Exception {
    server.enqueue(Reply.json(200, "openai/response-completed.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.redact(), TestDetectors.email());

    Response answer = client.async().responses().create(returnRequest()).get(20, TimeUnit.SECONDS);

    assertThat(server.lastRequest().json().get("input").asText()).contains("[EMAIL_1]");
    assertThat(outputText(answer)).contains("maria.keller@example.org");
    assertThat(event(client.guard()).genAi().usage().inputTokens()).isEqualTo(48L);
  }
}
