package dev.llmguard.openai;

import com.openai.core.RequestOptions;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.services.async.ResponseServiceAsync;
import com.openai.services.blocking.ResponseService;
import dev.llmguard.ChatRequest;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;

/**
 * As {@link OpenAiCall}, for one Responses API call: the caller's request (sent as given except
 * redacted texts), its options and the SDK service; the SDK's answer or stream events come back
 * here for the drop-in. Confined to one call.
 */
final class ResponsesCall {

  static final String KEY = OpenAiWire.PARAMETER_PREFIX + "openai.responses-call";

  final ResponseCreateParams params;
  final RequestOptions options;
  final ResponseService sync;
  final ResponseServiceAsync async;
  final OpenAiWire.Conversation conversation;

  volatile Response response;

  /** The core view of {@link #response}, as the delegate gave it to the engine. */
  volatile dev.llmguard.ChatResponse view;

  /** SDK events read by the delegate and not yet handed to the caller, oldest first. */
  final ArrayDeque<ResponseStreamEvent> events = new ArrayDeque<>();

  ResponsesCall(
      ResponseCreateParams params,
      RequestOptions options,
      ResponseService sync,
      ResponseServiceAsync async) {
    this.params = params;
    this.options = options == null ? RequestOptions.none() : options;
    this.sync = sync;
    this.async = async;
    this.conversation = ResponsesWire.conversation(params);
  }

  ChatRequest request() {
    return new ChatRequest(
        conversation.messages(),
        params.model().map(ResponsesWire::modelName).orElse(null),
        params.safetyIdentifier().orElse(null),
        params.previousResponseId().orElse(null),
        Map.of(),
        Map.of(KEY, this));
  }

  ResponseCreateParams paramsFor(ChatRequest forwarded) {
    return ResponsesWire.forwarded(params, conversation, forwarded.messages());
  }

  static Optional<ResponsesCall> of(ChatRequest request) {
    Object o = request.parameters().get(KEY);
    return o instanceof ResponsesCall c ? Optional.of(c) : Optional.empty();
  }
}
