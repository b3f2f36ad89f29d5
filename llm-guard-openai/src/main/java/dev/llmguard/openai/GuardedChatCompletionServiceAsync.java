package dev.llmguard.openai;

import com.openai.core.ClientOptions;
import com.openai.core.RequestOptions;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionDeleteParams;
import com.openai.models.chat.completions.ChatCompletionDeleted;
import com.openai.models.chat.completions.ChatCompletionListPageAsync;
import com.openai.models.chat.completions.ChatCompletionListParams;
import com.openai.models.chat.completions.ChatCompletionRetrieveParams;
import com.openai.models.chat.completions.ChatCompletionUpdateParams;
import com.openai.services.async.chat.ChatCompletionServiceAsync;
import com.openai.services.async.chat.completions.MessageServiceAsync;
import com.openai.services.blocking.chat.ChatCompletionService;
import dev.llmguard.GuardedChatClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * {@code chat().completions()} of a {@link GuardedOpenAIClientAsync}. {@code create} runs the
 * engine's asynchronous path over the SDK's asynchronous call (no thread waits for the provider).
 * {@code createStreaming} opens the engine's guarded stream over the blocking SDK service on the
 * client's stream-handler executor, as the SDK itself reads its streams there, and hands the chunks
 * to the subscriber.
 */
final class GuardedChatCompletionServiceAsync implements ChatCompletionServiceAsync {
  private final ChatCompletionServiceAsync service;
  private final ChatCompletionService blocking;
  private final GuardedChatClient guard;
  private final Executor streamExecutor;

  GuardedChatCompletionServiceAsync(
      ChatCompletionServiceAsync service,
      ChatCompletionService blocking,
      GuardedChatClient guard,
      Executor streamExecutor) {
    this.service = service;
    this.blocking = blocking;
    this.guard = guard;
    this.streamExecutor = streamExecutor;
  }

  @Override
  public CompletableFuture<ChatCompletion> create(
      ChatCompletionCreateParams params, RequestOptions requestOptions) {
    Objects.requireNonNull(params, "params");
    OpenAiCall call = OpenAiCall.async(params, requestOptions, service);
    return guard
        .chatAsync(call.request())
        .thenApply(guarded -> OpenAiWire.result(call.completion, guarded));
  }

  @Override
  public AsyncStreamResponse<ChatCompletionChunk> createStreaming(
      ChatCompletionCreateParams params, RequestOptions requestOptions) {
    Objects.requireNonNull(params, "params");
    OpenAiCall call = OpenAiCall.sync(params, requestOptions, blocking);
    CompletableFuture<StreamResponse<ChatCompletionChunk>> opened =
        CompletableFuture.supplyAsync(
            () -> new GuardedStreamResponse<>(guard.stream(call.request()), call.chunks),
            streamExecutor);
    return new GuardedAsyncStreamResponse<>(opened, streamExecutor);
  }

  @Override
  public ChatCompletionServiceAsync.WithRawResponse withRawResponse() {
    return service.withRawResponse();
  }

  @Override
  public ChatCompletionServiceAsync withOptions(Consumer<ClientOptions.Builder> modifier) {
    return new GuardedChatCompletionServiceAsync(
        service.withOptions(modifier), blocking.withOptions(modifier), guard, streamExecutor);
  }

  @Override
  public MessageServiceAsync messages() {
    return service.messages();
  }

  @Override
  public CompletableFuture<ChatCompletion> retrieve(
      ChatCompletionRetrieveParams params, RequestOptions options) {
    return service.retrieve(params, options);
  }

  @Override
  public CompletableFuture<ChatCompletion> update(
      ChatCompletionUpdateParams params, RequestOptions options) {
    return service.update(params, options);
  }

  @Override
  public CompletableFuture<ChatCompletionListPageAsync> list(
      ChatCompletionListParams params, RequestOptions options) {
    return service.list(params, options);
  }

  @Override
  public CompletableFuture<ChatCompletionDeleted> delete(
      ChatCompletionDeleteParams params, RequestOptions options) {
    return service.delete(params, options);
  }
}
