package dev.llmguard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClientAsync;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.llmguard.GuardrailViolationException;
import dev.llmguard.Policy;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.openai.wire.OpenAiWireServer.Reply;
import dev.llmguard.support.TestDetectors;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code async()} view of the drop-in client. */
class GuardedOpenAIClientAsyncTest extends WireTestBase {

  @Test
  void anAsyncCompletionCompletesWithTheSdksObjectAndRecordsTheEvent() throws Exception {
    server.enqueue(Reply.json(200, "openai/completion-plain.json"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());
    OpenAIClientAsync async = client.async();

    ChatCompletion answer =
        async
            .chat()
            .completions()
            .create(question("gpt-4o-mini", "prompts/order-question.txt"))
            .get(20, TimeUnit.SECONDS);

    assertThat(answer.id()).isEqualTo("chatcmpl-AZ3kq8Yt7LmN2pQ4rS6tU8vW0xY1");
    assertThat(async.sync()).isInstanceOf(GuardedOpenAIClient.class);
    GuardEvent e = event(client.guard());
    assertThat(e.genAi().usage().outputTokens()).isEqualTo(21L);
    assertThat(e.event().outcome()).isEqualTo("success");
  }

  @Test
  void aBlockedPromptCompletesTheFutureWithTheViolationAndSendsNothing() {
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.block(), TestDetectors.injection());

    CompletableFuture<ChatCompletion> f =
        client
            .async()
            .chat()
            .completions()
            .create(question("gpt-4o-mini", "prompts/injection.txt"));

    assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(GuardrailViolationException.class);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void anAsyncProviderRefusalFailsTheFutureWithTheSdksExceptionAndIsRecorded() {
    server.enqueue(Reply.json(400, "azure/error-400-content-filter.json"));
    GuardedOpenAIClient client = guard(azureSdk(), Policy.monitor(), TestDetectors.email());

    CompletableFuture<ChatCompletion> f =
        client
            .async()
            .chat()
            .completions()
            .create(question("gpt-4o-prod", "prompts/injection.txt"));

    assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(BadRequestException.class);
    assertThat(event(client.guard()).genAi().response().errorCode()).isEqualTo("content_filter");
  }

  @Test
  void anAsyncStreamDeliversEveryChunkToTheHandlerThenCompletes() throws Exception {
    server.enqueue(Reply.sse("openai/stream-plain.sse"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.monitor(), TestDetectors.email());
    List<ChatCompletionChunk> chunks = new CopyOnWriteArrayList<>();
    CompletableFuture<Optional<Throwable>> done = new CompletableFuture<>();

    AsyncStreamResponse<ChatCompletionChunk> stream =
        client
            .async()
            .chat()
            .completions()
            .createStreaming(question("gpt-4o-mini", "prompts/order-question.txt"));
    stream.subscribe(
        new AsyncStreamResponse.Handler<>() {
          @Override
          public void onNext(ChatCompletionChunk value) {
            chunks.add(value);
          }

          @Override
          public void onComplete(Optional<Throwable> error) {
            done.complete(error);
          }
        });

    assertThat(done.get(20, TimeUnit.SECONDS)).isEmpty();
    stream.onCompleteFuture().get(20, TimeUnit.SECONDS);
    assertThat(chunks).hasSize(6);
    GuardEvent e = event(client.guard());
    assertThat(e.genAi().response().finishReasons()).containsExactly("stop");
    assertThat(e.genAi().usage().inputTokens()).isEqualTo(57L);
  }

  @Test
  void anAsyncStreamCutByThePolicyEndsTheHandlerWithTheViolation() throws Exception {
    server.enqueue(Reply.sse("openai/stream-leaking-key.sse"));
    GuardedOpenAIClient client = guard(openAiSdk(), Policy.block(), TestDetectors.awsKey());
    List<ChatCompletionChunk> chunks = new CopyOnWriteArrayList<>();
    CompletableFuture<Optional<Throwable>> done = new CompletableFuture<>();

    AsyncStreamResponse<ChatCompletionChunk> stream =
        client
            .async()
            .chat()
            .completions()
            .createStreaming(question("gpt-4o-mini", "prompts/order-question.txt"));
    stream.subscribe(
        new AsyncStreamResponse.Handler<>() {
          @Override
          public void onNext(ChatCompletionChunk value) {
            chunks.add(value);
          }

          @Override
          public void onComplete(Optional<Throwable> error) {
            done.complete(error);
          }
        });

    assertThat(done.get(20, TimeUnit.SECONDS))
        .containsInstanceOf(GuardrailViolationException.class);
    assertThat(chunks).hasSize(1);
    assertThatThrownBy(() -> stream.subscribe(c -> {})).isInstanceOf(IllegalStateException.class);
  }
}
