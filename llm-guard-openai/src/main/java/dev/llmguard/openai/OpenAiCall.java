package dev.llmguard.openai;

import com.openai.core.RequestOptions;
import com.openai.core.http.HttpResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.services.async.chat.ChatCompletionServiceAsync;
import com.openai.services.blocking.chat.ChatCompletionService;
import dev.llmguard.ChatRequest;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a drop-in service hands to {@link OpenAiChatClient} for one call, through the core request's
 * parameters: the caller's SDK request (sent as given, with only message texts replaced when the
 * engine redacted them), the request options, and the SDK service that makes the call (so that
 * {@code withOptions} views keep their options). The delegate leaves the SDK's own answer here for
 * the drop-in to return. Confined to one call: for streams, the chunk queue is filled and drained
 * by the one consuming thread.
 */
final class OpenAiCall {

  static final String KEY = OpenAiWire.PARAMETER_PREFIX + "openai.call";

  final ChatCompletionCreateParams params;
  final RequestOptions options;
  final ChatCompletionService sync;
  final ChatCompletionServiceAsync async;
  final ChatCompletionService.WithRawResponse raw;
  final List<ChatCompletionMessageParam> messages;
  final OpenAiWire.Conversation conversation;

  volatile ChatCompletion completion;

  /** For raw-response calls: the provider's response (status, headers). */
  volatile HttpResponse http;

  /** SDK chunks read by the delegate and not yet handed to the caller, oldest first. */
  final ArrayDeque<ChatCompletionChunk> chunks = new ArrayDeque<>();

  private OpenAiCall(
      ChatCompletionCreateParams params,
      RequestOptions options,
      ChatCompletionService sync,
      ChatCompletionServiceAsync async,
      ChatCompletionService.WithRawResponse raw) {
    this.params = params;
    this.options = options == null ? RequestOptions.none() : options;
    this.sync = sync;
    this.async = async;
    this.raw = raw;
    this.messages = params.messages();
    this.conversation = OpenAiWire.conversation(messages);
  }

  static OpenAiCall sync(
      ChatCompletionCreateParams params, RequestOptions options, ChatCompletionService service) {
    return new OpenAiCall(params, options, service, null, null);
  }

  static OpenAiCall async(
      ChatCompletionCreateParams params,
      RequestOptions options,
      ChatCompletionServiceAsync service) {
    return new OpenAiCall(params, options, null, service, null);
  }

  static OpenAiCall raw(
      ChatCompletionCreateParams params,
      RequestOptions options,
      ChatCompletionService.WithRawResponse service) {
    return new OpenAiCall(params, options, null, null, service);
  }

  /** The core request the engine scans: the messages, the model, the safety identifier. */
  ChatRequest request() {
    return new ChatRequest(
        conversation.messages(),
        params.model().asString(),
        params.safetyIdentifier().orElse(null),
        null,
        Map.of(),
        Map.of(KEY, this));
  }

  /** The SDK request for what the engine forwards. */
  ChatCompletionCreateParams paramsFor(ChatRequest forwarded) {
    List<ChatCompletionMessageParam> sent =
        OpenAiWire.forwardedMessages(messages, conversation, forwarded.messages());
    return sent == messages ? params : params.toBuilder().messages(sent).build();
  }

  static Optional<OpenAiCall> of(ChatRequest request) {
    Object o = request.parameters().get(KEY);
    return o instanceof OpenAiCall c ? Optional.of(c) : Optional.empty();
  }
}
