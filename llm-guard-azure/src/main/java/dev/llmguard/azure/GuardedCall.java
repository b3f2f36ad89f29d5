package dev.llmguard.azure;

import com.azure.ai.openai.models.ChatCompletions;
import com.azure.core.http.rest.RequestOptions;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What a drop-in client hands to {@link AzureOpenAIChatClient} for one call, through the core
 * request's parameters: the caller's original request body (so that every field is sent as the
 * caller set it, with only message contents replaced on redaction) and the caller's request
 * options; and what comes back untouched from the SDK (the raw response and the SDK's own model
 * objects) so that the drop-in can return them. Confined to one call; the fields written by the
 * delegate are read by the drop-in after the engine returned, or (streams) from the same consuming
 * thread.
 */
final class GuardedCall {

  /** Parameters with this prefix are never sent to Azure. */
  static final String PARAMETER_PREFIX = "llmguard.azure.";

  static final String KEY = PARAMETER_PREFIX + "call";

  final ObjectNode body;
  final RequestOptions requestOptions;

  Response<BinaryData> response;
  JsonNode json;
  ChatCompletions completions;
  ChatResponse delegateResponse;

  /**
   * For streams: the SDK object of each Azure event, keyed by the last core chunk made from it. The
   * engine hands the delegate's chunk objects on unchanged, so when it releases that chunk the
   * drop-in releases the event.
   */
  final Map<ChatChunk, ChatCompletions> eventEndingAt = new IdentityHashMap<>();

  GuardedCall(ObjectNode body, RequestOptions requestOptions) {
    this.body = body;
    this.requestOptions = requestOptions == null ? new RequestOptions() : requestOptions;
  }

  static GuardedCall of(ChatRequest request) {
    Object o = request.parameters().get(KEY);
    return o instanceof GuardedCall c ? c : null;
  }
}
