package dev.llmguard.openai;

import com.openai.core.ClientOptions;
import com.openai.core.ObjectMappers;
import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.HttpResponseFor;
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
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code withRawResponse().chat().completions()} of a {@link GuardedOpenAIClient}. {@code create}
 * reads the answer at once (to scan it) and returns the provider's status and headers with the
 * guarded {@code ChatCompletion}: {@code parse()} gives it and {@code body()} its JSON, so the raw
 * view cannot bypass a redaction. {@code createStreaming} returns the provider's status and headers
 * with the guarded stream.
 */
final class GuardedRawChatCompletionService implements ChatCompletionService.WithRawResponse {
  private final ChatCompletionService.WithRawResponse raw;
  private final GuardedChatClient guard;

  GuardedRawChatCompletionService(
      ChatCompletionService.WithRawResponse raw, GuardedChatClient guard) {
    this.raw = raw;
    this.guard = guard;
  }

  @Override
  public HttpResponseFor<ChatCompletion> create(
      ChatCompletionCreateParams params, RequestOptions requestOptions) {
    Objects.requireNonNull(params, "params");
    OpenAiCall call = OpenAiCall.raw(params, requestOptions, raw);
    ChatResponse guarded = guard.chat(call.request());
    ChatCompletion result = OpenAiWire.result(call.completion, guarded);
    return new Parsed<>(call.http, result, true);
  }

  @Override
  public HttpResponseFor<StreamResponse<ChatCompletionChunk>> createStreaming(
      ChatCompletionCreateParams params, RequestOptions requestOptions) {
    Objects.requireNonNull(params, "params");
    OpenAiCall call = OpenAiCall.raw(params, requestOptions, raw);
    StreamResponse<ChatCompletionChunk> stream =
        new GuardedStreamResponse<>(guard.stream(call.request()), call.chunks);
    return new Parsed<>(call.http, stream, false);
  }

  /** The provider's status and headers with an already guarded value. */
  private static final class Parsed<T> implements HttpResponseFor<T> {
    private final HttpResponse http;
    private final T value;
    private final boolean json;

    Parsed(HttpResponse http, T value, boolean json) {
      this.http = http;
      this.value = value;
      this.json = json;
    }

    @Override
    public T parse() {
      return value;
    }

    @Override
    public int statusCode() {
      return http.statusCode();
    }

    @Override
    public Headers headers() {
      return http.headers();
    }

    /** The guarded answer's JSON (non-streaming); for streams, nothing: read {@link #parse()}. */
    @Override
    public InputStream body() {
      if (!json) {
        return InputStream.nullInputStream();
      }
      try {
        return new ByteArrayInputStream(ObjectMappers.jsonMapper().writeValueAsBytes(value));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      if (value instanceof StreamResponse<?> s) {
        s.close();
      }
      http.close();
    }
  }

  @Override
  public ChatCompletionService.WithRawResponse withOptions(
      Consumer<ClientOptions.Builder> modifier) {
    return new GuardedRawChatCompletionService(raw.withOptions(modifier), guard);
  }

  @Override
  public MessageService.WithRawResponse messages() {
    return raw.messages();
  }

  @Override
  public HttpResponseFor<ChatCompletion> retrieve(
      ChatCompletionRetrieveParams params, RequestOptions options) {
    return raw.retrieve(params, options);
  }

  @Override
  public HttpResponseFor<ChatCompletion> update(
      ChatCompletionUpdateParams params, RequestOptions options) {
    return raw.update(params, options);
  }

  @Override
  public HttpResponseFor<ChatCompletionListPage> list(
      ChatCompletionListParams params, RequestOptions options) {
    return raw.list(params, options);
  }

  @Override
  public HttpResponseFor<ChatCompletionDeleted> delete(
      ChatCompletionDeleteParams params, RequestOptions options) {
    return raw.delete(params, options);
  }
}
