package dev.llmguard.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.core.ClientOptions;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.services.blocking.chat.ChatCompletionService;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatClient;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.ChatStream;
import dev.llmguard.ProviderError;
import dev.llmguard.provider.AzureContentFilters;
import java.net.URI;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The core {@link ChatClient} port over the official OpenAI Java SDK ({@code
 * com.openai:openai-java}) for OpenAI and Azure OpenAI. Guard it like any backend:
 *
 * <pre>{@code
 * OpenAIClient sdk = OpenAIOkHttpClient.fromEnv();
 * ChatClient guarded = GuardedChatClient.builder(OpenAiChatClient.of(sdk)).build();
 * ChatResponse answer = guarded.chat(
 *     ChatRequest.builder().model("gpt-4o-mini").user("Where is my order?").build());
 * }</pre>
 *
 * <p>A request's messages, model and parameters become the SDK's chat completion request: each
 * parameter is sent as a body property of the same name ({@code temperature}, {@code tools} …),
 * except those starting with {@code llmguard.}. The request's user id is not sent. Azure
 * content-filter annotations in the answer become {@link dev.llmguard.ProviderFilterResult}s, read
 * by the shared {@link AzureContentFilters} parser.
 *
 * <p>Exceptions: the SDK's own ({@link OpenAIServiceException} subtypes such as {@code
 * BadRequestException} and {@code RateLimitException}, {@code OpenAIIoException}, {@code
 * OpenAIInvalidDataException} for a body it cannot read) propagate unchanged; {@link
 * #describeError} recognises them for the event. {@link dev.llmguard.InvalidRequestException} when
 * no model is known. Thread-safe, as the SDK client is.
 */
public final class OpenAiChatClient implements ChatClient {

  /** {@code gen_ai.provider.name} of a client talking to OpenAI: {@value}. */
  public static final String OPENAI = "openai";

  /** {@code gen_ai.provider.name} of a client configured for Azure OpenAI: {@value}. */
  public static final String AZURE_OPENAI = "azure.ai.openai";

  private final OpenAIClient client;
  private final String providerName;
  private final String model;

  private OpenAiChatClient(Builder b) {
    this.client = b.client;
    this.providerName = b.providerName != null ? b.providerName : detectProvider(b.client);
    this.model = b.model;
  }

  /** A client over {@code client}, its provider name detected from its configuration. */
  public static OpenAiChatClient of(OpenAIClient client) {
    return builder().client(client).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The SDK client this one calls. */
  public OpenAIClient client() {
    return client;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    Optional<ResponsesCall> responses = ResponsesCall.of(request);
    if (responses.isPresent()) {
      ResponsesCall c = responses.get();
      Response response =
          (c.sync != null ? c.sync : client.responses()).create(c.paramsFor(request), c.options);
      c.response = response;
      c.view = ResponsesWire.toChatResponse(response);
      return c.view;
    }
    Optional<OpenAiCall> call = OpenAiCall.of(request);
    if (call.isPresent() && call.get().raw != null) {
      OpenAiCall c = call.get();
      HttpResponseFor<ChatCompletion> http = c.raw.create(c.paramsFor(request), c.options);
      c.http = http;
      ChatCompletion completion = http.parse();
      c.completion = completion;
      return OpenAiWire.toChatResponse(completion);
    }
    if (call.isPresent()) {
      OpenAiCall c = call.get();
      ChatCompletionService service = c.sync != null ? c.sync : client.chat().completions();
      ChatCompletion completion = service.create(c.paramsFor(request), c.options);
      c.completion = completion;
      return OpenAiWire.toChatResponse(completion);
    }
    return OpenAiWire.toChatResponse(
        client.chat().completions().create(OpenAiWire.toParams(request, model)));
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    ResponsesCall responses = ResponsesCall.of(request).orElse(null);
    if (responses != null) {
      StreamResponse<ResponseStreamEvent> events =
          (responses.sync != null ? responses.sync : client.responses())
              .createStreaming(responses.paramsFor(request), responses.options);
      Iterator<ResponseStreamEvent> source = events.stream().iterator();
      return ChatStream.fromIterator(
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return source.hasNext();
            }

            @Override
            public ChatChunk next() {
              ResponseStreamEvent e = source.next();
              responses.events.add(e);
              return ResponsesWire.toChatChunk(e);
            }
          },
          events::close);
    }
    OpenAiCall call = OpenAiCall.of(request).orElse(null);
    StreamResponse<ChatCompletionChunk> sdk;
    if (call != null && call.raw != null) {
      HttpResponseFor<StreamResponse<ChatCompletionChunk>> http =
          call.raw.createStreaming(call.paramsFor(request), call.options);
      call.http = http;
      sdk = http.parse();
    } else if (call != null) {
      ChatCompletionService service = call.sync != null ? call.sync : client.chat().completions();
      sdk = service.createStreaming(call.paramsFor(request), call.options);
    } else {
      sdk = client.chat().completions().createStreaming(OpenAiWire.toParams(request, model));
    }
    Iterator<ChatCompletionChunk> source = sdk.stream().iterator();
    Iterator<ChatChunk> chunks =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return source.hasNext();
          }

          @Override
          public ChatChunk next() {
            ChatCompletionChunk c = source.next();
            if (call != null) {
              call.chunks.add(c);
            }
            return OpenAiWire.toChatChunk(c);
          }
        };
    return ChatStream.fromIterator(chunks, sdk::close);
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    Optional<OpenAiCall> call = OpenAiCall.of(request);
    try {
      Optional<ResponsesCall> responses = ResponsesCall.of(request);
      if (responses.isPresent()) {
        ResponsesCall c = responses.get();
        return (c.async != null ? c.async : client.async().responses())
            .create(c.paramsFor(request), c.options)
            .thenApply(
                response -> {
                  c.response = response;
                  c.view = ResponsesWire.toChatResponse(response);
                  return c.view;
                });
      }
      if (call.isPresent() && call.get().async != null) {
        OpenAiCall c = call.get();
        return c.async
            .create(c.paramsFor(request), c.options)
            .thenApply(
                completion -> {
                  c.completion = completion;
                  return OpenAiWire.toChatResponse(completion);
                });
      }
      ChatCompletionCreateParams params =
          call.isPresent() ? call.get().paramsFor(request) : OpenAiWire.toParams(request, model);
      return client
          .async()
          .chat()
          .completions()
          .create(params)
          .thenApply(
              completion -> {
                call.ifPresent(c -> c.completion = completion);
                return OpenAiWire.toChatResponse(completion);
              });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@value #OPENAI} or {@value #AZURE_OPENAI}, as detected or as set on the builder. */
  @Override
  public String providerName() {
    return providerName;
  }

  /**
   * Describes an HTTP error of the SDK ({@link OpenAIServiceException} in the cause chain): Azure's
   * 400 {@code content_filter} refusal (from {@code BadRequestException.body()}) as a provider
   * block with its filter categories, any other by the body's {@code code} or else the HTTP status
   * ({@code rate_limit_exceeded} or {@code 429} …). Empty for failures without an HTTP response.
   * Never throws.
   */
  @Override
  public Optional<ProviderError> describeError(Throwable error) {
    try {
      Throwable t = error;
      for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
        if (t instanceof OpenAIServiceException e) {
          // body() is the "error" object of the response; wrap it as the whole body again.
          ObjectNode whole = JsonNodeFactory.instance.objectNode();
          JsonNode inner = OpenAiWire.tree(e.body());
          if (inner != null && inner.isObject()) {
            whole.set("error", inner);
          }
          return Optional.of(
              AzureContentFilters.describeHttpError(e.statusCode(), whole.toString()));
        }
      }
    } catch (RuntimeException ignored) {
      // describeError must never throw; the event then lacks provider details.
    }
    return Optional.empty();
  }

  /**
   * {@value #AZURE_OPENAI} when {@code client} is set up for Azure OpenAI (an Azure API-key
   * credential, an explicit {@link AzureUrlPathMode} or Azure service version, or an Azure host),
   * else {@value #OPENAI}.
   */
  static String detectProvider(OpenAIClient client) {
    ClientOptions options = OpenAiClients.options(client);
    if (options == null) {
      return OPENAI;
    }
    if (options.credential() instanceof AzureApiKeyCredential
        || options.azureUrlPathMode() != AzureUrlPathMode.AUTO
        || options.azureServiceVersion() != null) {
      return AZURE_OPENAI;
    }
    try {
      String host = URI.create(options.baseUrl().trim()).getHost();
      if (host != null) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".openai.azure.com")
            || h.endsWith(".services.ai.azure.com")
            || h.endsWith(".azure-api.net")
            || h.endsWith(".cognitiveservices.azure.com")) {
          return AZURE_OPENAI;
        }
      }
    } catch (IllegalArgumentException ignored) {
      // an unparsable base URL is not Azure's
    }
    return OPENAI;
  }

  /** Builder for {@link OpenAiChatClient}; not thread-safe. */
  public static final class Builder {
    private OpenAIClient client;
    private String providerName;
    private String model;

    private Builder() {}

    /** The SDK client (required); its {@code async()} view serves {@link #chatAsync}. */
    public Builder client(OpenAIClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Overrides the detected {@code gen_ai.provider.name} (e.g. {@value #AZURE_OPENAI} behind a
     * gateway whose host the detection does not know).
     */
    public Builder providerName(String providerName) {
      if (providerName == null || providerName.isBlank()) {
        throw new IllegalArgumentException(
            "providerName must not be blank but was " + providerName);
      }
      this.providerName = providerName;
      return this;
    }

    /** The model (or Azure deployment) used when a {@link ChatRequest} names none. */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws dev.llmguard.GuardConfigurationException when no SDK client was given
     */
    public OpenAiChatClient build() {
      if (client == null) {
        throw new dev.llmguard.GuardConfigurationException(
            "OpenAiChatClient.Builder: client(OpenAIClient) is required");
      }
      return new OpenAiChatClient(this);
    }
  }
}
