package dev.llmguard.openai;

import com.openai.core.ClientOptions;
import com.openai.core.RequestOptions;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.CompactedResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCancelParams;
import com.openai.models.responses.ResponseCompactParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseDeleteParams;
import com.openai.models.responses.ResponseRetrieveParams;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.services.async.ResponseServiceAsync;
import com.openai.services.async.responses.InputItemServiceAsync;
import com.openai.services.async.responses.InputTokenServiceAsync;
import com.openai.services.blocking.ResponseService;
import dev.llmguard.GuardedChatClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * {@code responses()} of a {@link GuardedOpenAIClientAsync}; see {@link GuardedResponseService}.
 */
final class GuardedResponseServiceAsync implements ResponseServiceAsync {
  private final ResponseServiceAsync service;
  private final ResponseService blocking;
  private final GuardedChatClient guard;
  private final Executor streamExecutor;

  GuardedResponseServiceAsync(
      ResponseServiceAsync service,
      ResponseService blocking,
      GuardedChatClient guard,
      Executor streamExecutor) {
    this.service = service;
    this.blocking = blocking;
    this.guard = guard;
    this.streamExecutor = streamExecutor;
  }

  @Override
  public CompletableFuture<Response> create(
      ResponseCreateParams params, RequestOptions requestOptions) {
    Objects.requireNonNull(params, "params");
    ResponsesCall call = new ResponsesCall(params, requestOptions, null, service);
    return guard
        .chatAsync(call.request())
        .thenApply(guarded -> ResponsesWire.result(call.response, call.view, guarded));
  }

  @Override
  public AsyncStreamResponse<ResponseStreamEvent> createStreaming(
      ResponseCreateParams params, RequestOptions requestOptions) {
    Objects.requireNonNull(params, "params");
    ResponsesCall call = new ResponsesCall(params, requestOptions, blocking, null);
    CompletableFuture<StreamResponse<ResponseStreamEvent>> opened =
        CompletableFuture.supplyAsync(
            () -> new GuardedStreamResponse<>(guard.stream(call.request()), call.events),
            streamExecutor);
    return new GuardedAsyncStreamResponse<>(opened, streamExecutor);
  }

  @Override
  public ResponseServiceAsync.WithRawResponse withRawResponse() {
    return service.withRawResponse();
  }

  @Override
  public ResponseServiceAsync withOptions(Consumer<ClientOptions.Builder> modifier) {
    return new GuardedResponseServiceAsync(
        service.withOptions(modifier), blocking.withOptions(modifier), guard, streamExecutor);
  }

  @Override
  public InputItemServiceAsync inputItems() {
    return service.inputItems();
  }

  @Override
  public InputTokenServiceAsync inputTokens() {
    return service.inputTokens();
  }

  @Override
  public CompletableFuture<Response> retrieve(
      ResponseRetrieveParams params, RequestOptions options) {
    return service.retrieve(params, options);
  }

  @Override
  public AsyncStreamResponse<ResponseStreamEvent> retrieveStreaming(
      ResponseRetrieveParams params, RequestOptions options) {
    return service.retrieveStreaming(params, options);
  }

  @Override
  public CompletableFuture<Void> delete(ResponseDeleteParams params, RequestOptions options) {
    return service.delete(params, options);
  }

  @Override
  public CompletableFuture<Response> cancel(ResponseCancelParams params, RequestOptions options) {
    return service.cancel(params, options);
  }

  @Override
  public CompletableFuture<CompactedResponse> compact(
      ResponseCompactParams params, RequestOptions options) {
    return service.compact(params, options);
  }
}
