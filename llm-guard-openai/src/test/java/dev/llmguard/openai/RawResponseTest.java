package dev.llmguard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.llmguard.GuardrailViolationException;
import dev.llmguard.Policy;
import dev.llmguard.openai.wire.OpenAiWireServer.Reply;
import dev.llmguard.support.TestDetectors;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Chat completions through {@code withRawResponse()} are guarded too. */
class RawResponseTest extends WireTestBase {

  @Test
  void aRawCompletionKeepsTheProvidersStatusAndHeadersAndItsBodyIsTheRedactedAnswer()
      throws Exception {
    server.enqueue(
        Reply.json(200, "openai/completion-leaking-key.json")
            .withHeader("x-request-id", "req_7f3a9c2e1b"));
    // Placeholders are not restored here, so the answer's secret stays redacted for the caller.
    Policy redactOnly = Policy.redact().toBuilder().restoreRedacted(false).build();
    GuardedOpenAIClient client = guard(openAiSdk(), redactOnly, TestDetectors.awsKey());

    try (HttpResponseFor<ChatCompletion> raw =
        client
            .withRawResponse()
            .chat()
            .completions()
            .create(question("gpt-4o-mini", "prompts/order-question.txt"))) {
      assertThat(raw.statusCode()).isEqualTo(200);
      assertThat(raw.headers().values("x-request-id")).containsExactly("req_7f3a9c2e1b");
      assertThat(raw.parse().choices().get(0).message().content().orElseThrow())
          .doesNotContain("AKIAJ7Q2XK4PLM9WZ3RT")
          .contains("[AWS_ACCESS_KEY_1]");
      assertThat(new String(raw.body().readAllBytes(), StandardCharsets.UTF_8))
          .doesNotContain("AKIAJ7Q2XK4PLM9WZ3RT")
          .contains("chatcmpl-AZ3kt7Cd8Ef9Gh0Ij1Kl2Mn3Op4");
    }
    assertThat(event(client.guard()).genAi().policy().action()).contains("REDACT");
  }

  @Test
  void aRawStreamIsCutByThePolicyLikeAnyOther() {
    server.enqueue(Reply.sse("openai/stream-leaking-key.sse"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.block(), TestDetectors.awsKey());

    try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw =
        client
            .chat()
            .completions()
            .withRawResponse()
            .createStreaming(question("gpt-4o-mini", "prompts/order-question.txt"))) {
      assertThat(raw.statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> raw.parse().stream().count())
          .isInstanceOf(GuardrailViolationException.class);
    }
  }

  @Test
  void aRawCallWithABlockedPromptSendsNothing() {
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.block(), TestDetectors.injection());

    assertThatThrownBy(
            () ->
                client
                    .withRawResponse()
                    .chat()
                    .completions()
                    .create(question("gpt-4o-mini", "prompts/injection.txt")))
        .isInstanceOf(GuardrailViolationException.class);
    assertThat(server.requests()).isEmpty();
  }
}
