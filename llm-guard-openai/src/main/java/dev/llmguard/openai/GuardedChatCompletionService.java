package dev.llmguard.openai;

import com.openai.core.ClientOptions;
import com.openai.core.RequestOptions;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionDeleteParams;
import com.openai.models.chat.completions.ChatCompletionDeleted;
import com.openai.models.chat.completions.ChatCompletionListPage;
import com.openai.models.chat.completions.ChatCompletionListParams;
import com.openai.models.chat.completions.ChatCompletionRetrieveParams;
import com.openai.models.chat.completions.ChatCompletionUpdateParams;
import com.openai.services.blocking.chat.ChatCompletionService;
import com.openai.services.blocking.chat.completions.MessageService;
import dev.llmguard.ChatResponse;
import dev.llmguard.GuardedChatClient;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code chat().completions()} of a {@link GuardedOpenAIClient}: {@code create} and {@code
 * createStreaming} run through the engine; stored-completion operations (retrieve, update, list,
 * delete, messages) are the SDK's own.
 */
final class GuardedChatCompletionService implements ChatCompletionService {
  private final ChatCompletionService service;
  private final GuardedChatClient guard;

  GuardedChatCompletionService(ChatCompletionService service, GuardedChatClient guard) {
    this.service = service;
    this.guard = guard;
  }

  @Override
  public ChatCompletion create(ChatCompletionCreateParams params, RequestOptions requestOptions) {
    Objects.requireNonNull(params, "params");
    OpenAiCall call = OpenAiCall.sync(params, requestOptions, service);
    ChatResponse guarded = guard.chat(call.request());
    return OpenAiWire.result(call.completion, guarded);
  }

  @Override
  public StreamResponse<ChatCompletionChunk> createStreaming(
      ChatCompletionCreateParams params, RequestOptions requestOptions) {
    Objects.requireNonNull(params, "params");
    OpenAiCall call = OpenAiCall.sync(params, requestOptions, service);
    return new GuardedStreamResponse<>(guard.stream(call.request()), call.chunks);
  }

  @Override
  public ChatCompletionService.WithRawResponse withRawResponse() {
    return new GuardedRawChatCompletionService(service.withRawResponse(), guard);
  }

  @Override
  public ChatCompletionService withOptions(Consumer<ClientOptions.Builder> modifier) {
    return new GuardedChatCompletionService(service.withOptions(modifier), guard);
  }

  @Override
  public MessageService messages() {
    return service.messages();
  }

  @Override
  public ChatCompletion retrieve(ChatCompletionRetrieveParams params, RequestOptions options) {
    return service.retrieve(params, options);
  }

  @Override
  public ChatCompletion update(ChatCompletionUpdateParams params, RequestOptions options) {
    return service.update(params, options);
  }

  @Override
  public ChatCompletionListPage list(ChatCompletionListParams params, RequestOptions options) {
    return service.list(params, options);
  }

  @Override
  public ChatCompletionDeleted delete(ChatCompletionDeleteParams params, RequestOptions options) {
    return service.delete(params, options);
  }
}
