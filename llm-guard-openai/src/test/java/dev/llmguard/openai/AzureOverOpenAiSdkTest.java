package dev.llmguard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.llmguard.Policy;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.openai.wire.OpenAiWireServer.Recorded;
import dev.llmguard.openai.wire.OpenAiWireServer.Reply;
import dev.llmguard.openai.wire.SdkClients;
import dev.llmguard.support.TestDetectors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The drop-in client configured for Azure OpenAI, against the Azure variant of the wire format. */
@SuppressWarnings("deprecation") // Azure annotations are only reachable as additional properties
class AzureOverOpenAiSdkTest extends WireTestBase {

  @Test
  void anAzureConfiguredClientIsReportedAsAzureOpenAiAndCallsTheDeploymentPath() {
    server.enqueue(Reply.json(200, "azure/completion-annotated.json"));
    GuardedOpenAIClient client = guard(azureSdk(), Policy.monitor(), TestDetectors.email());

    client.chat().completions().create(question("gpt-4o-prod", "prompts/order-question.txt"));

    Recorded sent = server.lastRequest();
    assertThat(sent.path()).isEqualTo("/openai/deployments/gpt-4o-prod/chat/completions");
    assertThat(sent.query()).startsWith("api-version=");
    assertThat(sent.header("api-key")).isEqualTo(SdkClients.AZURE_KEY);
    GuardEvent e = event(client.guard());
    assertThat(e.genAi().provider().name()).isEqualTo("azure.ai.openai");
    assertThat(e.genAi().request().model()).isEqualTo("gpt-4o-prod");
    assertThat(e.genAi().response().model()).isEqualTo("gpt-4o-2024-11-20");
  }

  @Test
  void promptAndCompletionAnnotationsBecomeProviderFilterFieldsAndFindings() {
    server.enqueue(Reply.json(200, "azure/completion-annotated.json"));
    GuardedOpenAIClient client = guard(azureSdk(), Policy.monitor(), TestDetectors.email());

    ChatCompletion answer =
        client.chat().completions().create(question("gpt-4o-prod", "prompts/order-question.txt"));

    // The annotations stay on the SDK object for callers who read them.
    assertThat(answer._additionalProperties()).containsKey("prompt_filter_results");
    GuardEvent e = event(client.guard());
    var filters = e.genAi().providerFilter();
    assertThat(filters.get("jailbreak").detected()).isTrue();
    assertThat(filters.get("jailbreak").filtered()).isFalse();
    assertThat(filters.get("jailbreak").source()).isEqualTo("prompt");
    assertThat(filters.get("violence").severity()).isEqualTo("low");
    assertThat(filters.get("protected_material_code").detected()).isTrue();
    assertThat(filters.get("protected_material_code").source()).isEqualTo("completion");
    assertThat(e.genAi().threat().category()).contains("jailbreak");
    assertThat(e.genAi().analysis().findings())
        .anySatisfy(
            f -> {
              assertThat(f.detector()).isEqualTo("provider-filter");
              assertThat(f.metadata()).containsEntry("provider_category", "jailbreak");
            });
    assertThat(e.genAi().usage().inputTokens()).isEqualTo(41L);
  }

  @Test
  void theContentFilterRefusalReachesTheCallerAndTheEventRecordsItsCategories() {
    server.enqueue(Reply.json(400, "azure/error-400-content-filter.json"));
    GuardedOpenAIClient client = guard(azureSdk(), Policy.monitor(), TestDetectors.email());

    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(question("gpt-4o-prod", "prompts/injection.txt")))
        .isInstanceOfSatisfying(
            BadRequestException.class, ex -> assertThat(ex.code()).contains("content_filter"));

    assertThat(server.requests()).hasSize(1);
    GuardEvent e = event(client.guard());
    assertThat(e.genAi().response().errorCode()).isEqualTo("content_filter");
    assertThat(e.genAi().providerFilter().get("jailbreak").filtered()).isTrue();
    assertThat(e.genAi().providerFilter().get("violence").severity()).isEqualTo("medium");
    assertThat(e.event().outcome()).isEqualTo("failure");
    assertThat(e.event().reason()).isNotBlank();
  }

  @Test
  void azuresRateLimitIsRetriedAndWhenItPersistsTheEventCarriesTheStatus() {
    Reply limited = Reply.json(429, "azure/error-429.json").retryAfterMillis(5);
    server.enqueue(limited, limited, limited);
    GuardedOpenAIClient client = guard(azureSdk(), Policy.monitor(), TestDetectors.email());

    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(question("gpt-4o-prod", "prompts/order-question.txt")))
        .isInstanceOf(RateLimitException.class);

    assertThat(server.requests()).hasSize(3);
    assertThat(event(client.guard()).genAi().response().errorCode()).isEqualTo("429");
  }

  @Test
  void aStreamsPerChunkAnnotationsAreMergedIntoTheEvent() {
    server.enqueue(Reply.sse("azure/stream-annotated.sse"));
    GuardedOpenAIClient client = guard(azureSdk(), Policy.monitor(), TestDetectors.email());

    String text;
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(question("gpt-4o-prod", "prompts/history-question.txt"))) {
      text =
          stream.stream()
              .flatMap(c -> c.choices().stream())
              .map(c -> c.delta().content().orElse(""))
              .collect(Collectors.joining());
    }

    assertThat(text).isEqualTo("The siege ended after forty days.");
    GuardEvent e = event(client.guard());
    assertThat(e.genAi().provider().name()).isEqualTo("azure.ai.openai");
    assertThat(e.genAi().response().id()).isEqualTo("chatcmpl-CfB7r0Dy2Ez4Fa6Gb8Hc0Id2");
    assertThat(e.genAi().response().finishReasons()).containsExactly("stop");
    assertThat(e.genAi().usage().outputTokens()).isEqualTo(7L);
    assertThat(e.genAi().providerFilter().get("violence").severity()).isEqualTo("medium");
    assertThat(e.genAi().providerFilter().get("violence").source()).isEqualTo("prompt,completion");
    assertThat(e.genAi().providerFilter().get("jailbreak").detected()).isFalse();
  }
}
