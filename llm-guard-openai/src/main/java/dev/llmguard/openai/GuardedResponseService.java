package dev.llmguard.openai;

import com.openai.core.ClientOptions;
import com.openai.core.RequestOptions;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.CompactedResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCancelParams;
import com.openai.models.responses.ResponseCompactParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseDeleteParams;
import com.openai.models.responses.ResponseRetrieveParams;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.services.blocking.ResponseService;
import com.openai.services.blocking.responses.InputItemService;
import com.openai.services.blocking.responses.InputTokenService;
import dev.llmguard.ChatResponse;
import dev.llmguard.GuardedChatClient;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code responses()} of a {@link GuardedOpenAIClient}: {@code create} and {@code createStreaming}
 * run through the engine (instructions and input scanned, output text scanned); stored-response
 * operations are the SDK's own. Only the request's own {@code instructions} and {@code input} are
 * scanned: earlier turns referenced by {@code previous_response_id} or a conversation live at the
 * provider and are not seen.
 */
final class GuardedResponseService implements ResponseService {
  private final ResponseService service;
  private final GuardedChatClient guard;

  GuardedResponseService(ResponseService service, GuardedChatClient guard) {
    this.service = service;
    this.guard = guard;
  }

  @Override
  public Response create(ResponseCreateParams params, RequestOptions requestOptions) {
    Objects.requireNonNull(params, "params");
    ResponsesCall call = new ResponsesCall(params, requestOptions, service, null);
    ChatResponse guarded = guard.chat(call.request());
    return ResponsesWire.result(call.response, call.view, guarded);
  }

  @Override
  public StreamResponse<ResponseStreamEvent> createStreaming(
      ResponseCreateParams params, RequestOptions requestOptions) {
    Objects.requireNonNull(params, "params");
    ResponsesCall call = new ResponsesCall(params, requestOptions, service, null);
    return new GuardedStreamResponse<>(guard.stream(call.request()), call.events);
  }

  @Override
  public ResponseService.WithRawResponse withRawResponse() {
    return service.withRawResponse();
  }

  @Override
  public ResponseService withOptions(Consumer<ClientOptions.Builder> modifier) {
    return new GuardedResponseService(service.withOptions(modifier), guard);
  }

  @Override
  public InputItemService inputItems() {
    return service.inputItems();
  }

  @Override
  public InputTokenService inputTokens() {
    return service.inputTokens();
  }

  @Override
  public Response retrieve(ResponseRetrieveParams params, RequestOptions options) {
    return service.retrieve(params, options);
  }

  @Override
  public StreamResponse<ResponseStreamEvent> retrieveStreaming(
      ResponseRetrieveParams params, RequestOptions options) {
    return service.retrieveStreaming(params, options);
  }

  @Override
  public void delete(ResponseDeleteParams params, RequestOptions options) {
    service.delete(params, options);
  }

  @Override
  public Response cancel(ResponseCancelParams params, RequestOptions options) {
    return service.cancel(params, options);
  }

  @Override
  public CompactedResponse compact(ResponseCompactParams params, RequestOptions options) {
    return service.compact(params, options);
  }
}
