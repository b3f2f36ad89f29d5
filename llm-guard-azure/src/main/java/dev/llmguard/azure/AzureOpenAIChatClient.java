package dev.llmguard.azure;

import com.azure.ai.openai.OpenAIAsyncClient;
import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.rest.RequestOptions;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatClient;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.ChatStream;
import dev.llmguard.GuardConfigurationException;
import dev.llmguard.InvalidRequestException;
import dev.llmguard.ProviderError;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;

/**
 * The provider-neutral {@link ChatClient} over the Azure OpenAI SDK ({@code
 * com.azure:azure-ai-openai}). Requests go through the SDK client you built (its endpoint,
 * credential, HTTP client, retry policy and logging apply unchanged); answers are read from the raw
 * JSON, so Azure's content-filter annotations (also the citation of protected code) reach {@link
 * ChatResponse#providerFilters()}.
 *
 * <pre>{@code
 * OpenAIClient sdk = new OpenAIClientBuilder().endpoint(endpoint)
 *     .credential(new AzureKeyCredential(key)).buildClient();
 * ChatClient azure = AzureOpenAIChatClient.builder().client(sdk).deployment("gpt-4o-prod").build();
 * ChatClient guarded = GuardedChatClient.builder(azure).build();
 * }</pre>
 *
 * <p>The request's {@code model} names the deployment (the builder's {@link
 * Builder#deployment(String)} when it has none); {@code userId} becomes Azure's {@code user};
 * {@code parameters} are sent as top-level JSON fields ({@code temperature}, {@code max_tokens},
 * {@code tools} …). Usage comes from the answer, never estimated. Exceptions of the SDK ({@link
 * HttpResponseException} and its subtypes, I/O failures, a body the SDK cannot read) propagate
 * unchanged; {@link #describeError(Throwable)} recognises Azure's content-filter refusal and rate
 * limits in them.
 *
 * <p>Thread-safe when the SDK clients are (they are). A {@link ChatStream} is for one consumer; its
 * last chunk has a finish reason, unless Azure closed the connection before {@code data: [DONE]}
 * (the SDK raises nothing then): such a stream simply ends, and {@link #wasCut(ChatStream)} says
 * so.
 */
public final class AzureOpenAIChatClient implements ChatClient {

  /** {@code gen_ai.provider.name} of this backend: {@value}. */
  public static final String PROVIDER_NAME = "azure.ai.openai";

  /**
   * Key of {@link ChatResponse#attributes()} that carries {@code content_filter} when Azure's
   * content filter withheld part of a complete answer (finish reason {@code content_filter}, or a
   * result with {@code filtered: true}), for {@code gen_ai.response.error_code}: {@value}.
   */
  public static final String ERROR_CODE_ATTRIBUTE = "gen_ai.response.error_code";

  private final OpenAIClient client;
  private final OpenAIAsyncClient asyncClient;
  private final String deployment;

  private AzureOpenAIChatClient(Builder b) {
    this.client = b.client;
    this.asyncClient = b.asyncClient;
    this.deployment = b.deployment;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A client over {@code client} for the deployment {@code deployment}. */
  public static AzureOpenAIChatClient of(OpenAIClient client, String deployment) {
    return builder().client(client).deployment(deployment).build();
  }

  @Override
  public String providerName() {
    return PROVIDER_NAME;
  }

  /**
   * {@inheritDoc}
   *
   * @throws InvalidRequestException when neither the request nor the builder names a deployment
   * @throws HttpResponseException (and subtypes) as the SDK raises them
   * @throws GuardConfigurationException when this client was built with an async client only
   */
  @Override
  public ChatResponse chat(ChatRequest request) {
    GuardedCall call = GuardedCall.of(request);
    ObjectNode body = body(request, call, false);
    Response<BinaryData> response =
        sync()
            .getChatCompletionsWithResponse(
                deployment(request), BinaryData.fromString(AzureWire.write(body)), options(call));
    return read(response, call);
  }

  /** Sends the request with the async SDK client when there is one, else like the default. */
  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    if (asyncClient == null) {
      return ChatClient.super.chatAsync(request);
    }
    GuardedCall call = GuardedCall.of(request);
    ObjectNode body;
    String name;
    try {
      body = body(request, call, false);
      name = deployment(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return asyncClient
        .getChatCompletionsWithResponse(
            name, BinaryData.fromString(AzureWire.write(body)), options(call))
        .map(r -> read(r, call))
        .toFuture();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The HTTP request is sent before this returns, so HTTP errors are thrown here, as the SDK's
   * {@code getChatCompletionsStream} throws them. Chunks are delivered as Azure sends them.
   */
  @Override
  public ChatStream stream(ChatRequest request) {
    GuardedCall call = GuardedCall.of(request);
    ObjectNode body = body(request, call, true);
    String name = deployment(request);
    BinaryData payload = BinaryData.fromString(AzureWire.write(body));
    Flux<ByteBuffer> bytes;
    if (client != null) {
      bytes =
          client
              .getChatCompletionsWithResponse(name, payload, options(call))
              .getValue()
              .toFluxByteBuffer();
    } else {
      bytes =
          asyncClient
              .getChatCompletionsWithResponse(name, payload, options(call))
              .flatMapMany(r -> r.getValue().toFluxByteBuffer());
    }
    return new EventStream(SseDecoder.decode(bytes), call);
  }

  /** Whether {@code stream} (one of this client's) ended without Azure's {@code data: [DONE]}. */
  public static boolean wasCut(ChatStream stream) {
    return stream instanceof EventStream s && s.ended && !s.sawDone;
  }

  @Override
  public Optional<ProviderError> describeError(Throwable error) {
    return AzureErrors.describe(error);
  }

  private OpenAIClient sync() {
    if (client == null) {
      throw new GuardConfigurationException(
          "AzureOpenAIChatClient was built without an OpenAIClient; add .client(...) to call chat()"
              + " or stream() synchronously");
    }
    return client;
  }

  private String deployment(ChatRequest request) {
    String name = request.model() != null ? request.model() : deployment;
    if (name == null || name.isBlank()) {
      throw new InvalidRequestException(
          "No Azure deployment: set ChatRequest.model or AzureOpenAIChatClient.Builder.deployment");
    }
    return name;
  }

  private static ObjectNode body(ChatRequest request, GuardedCall call, boolean stream) {
    ObjectNode body =
        call != null
            ? AzureWire.withContents(call.body, request.messages())
            : AzureWire.toJson(request);
    if (stream) {
      body.put("stream", true);
    } else if (call == null) {
      body.remove("stream");
    }
    return body;
  }

  private static RequestOptions options(GuardedCall call) {
    return call == null ? new RequestOptions() : call.requestOptions;
  }

  private static ChatResponse read(Response<BinaryData> response, GuardedCall call) {
    // The SDK's model first: a body it cannot read fails exactly as the SDK's own call would.
    ChatCompletions completions = AzureWire.toCompletions(response.getValue());
    JsonNode json = AzureWire.readTree(response.getValue().toString());
    ChatResponse out = AzureWire.toChatResponse(json);
    if (call != null) {
      call.response = response;
      call.json = json;
      call.completions = completions;
      call.delegateResponse = out;
    }
    return out;
  }

  /** Azure's event stream as core chunks, noting {@code [DONE]} and the SDK objects per event. */
  private static final class EventStream implements ChatStream {
    private final Stream<String> events;
    private final Iterator<String> source;
    private final GuardedCall call;
    private final Deque<ChatChunk> ready = new ArrayDeque<>();
    private boolean sawDone;
    private boolean ended;
    private boolean iterated;
    private boolean closed;

    EventStream(Flux<String> events, GuardedCall call) {
      this.events = events.toStream(1);
      this.source = this.events.iterator();
      this.call = call;
    }

    @Override
    public Iterator<ChatChunk> iterator() {
      if (iterated) {
        throw new IllegalStateException("A ChatStream can be iterated once");
      }
      iterated = true;
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          while (ready.isEmpty() && !ended) {
            pull();
          }
          return !ready.isEmpty();
        }

        @Override
        public ChatChunk next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return ready.poll();
        }
      };
    }

    private void pull() {
      if (closed || !source.hasNext()) {
        ended = true;
        return;
      }
      String data = source.next();
      if (SseDecoder.DONE.equals(data)) {
        sawDone = true;
        return;
      }
      ChatCompletions completions;
      List<ChatChunk> chunks;
      try {
        completions = AzureWire.toCompletions(data);
        chunks = AzureWire.toChunks(AzureWire.readTree(data));
      } catch (RuntimeException e) {
        // The same exception type the SDK's own stream reader raises for such an event.
        throw new IllegalStateException(
            "Azure OpenAI sent a stream event that is not a chat completion chunk: "
                + (data.length() > 200 ? data.substring(0, 200) + "…" : data),
            e);
      }
      if (call != null) {
        call.eventEndingAt.put(chunks.get(chunks.size() - 1), completions);
      }
      ready.addAll(chunks);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        events.close();
      }
    }
  }

  /** Builder for {@link AzureOpenAIChatClient}; not thread-safe. */
  public static final class Builder {
    private OpenAIClient client;
    private OpenAIAsyncClient asyncClient;
    private String deployment;

    private Builder() {}

    /** The SDK client for {@code chat} and {@code stream}. */
    public Builder client(OpenAIClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The SDK async client for {@code chatAsync} (and {@code stream} when there is no client). */
    public Builder asyncClient(OpenAIAsyncClient asyncClient) {
      this.asyncClient = Objects.requireNonNull(asyncClient, "asyncClient");
      return this;
    }

    /** The deployment used when a request names no model; default none. */
    public Builder deployment(String deployment) {
      this.deployment = deployment;
      return this;
    }

    /**
     * @throws GuardConfigurationException when neither client was given
     */
    public AzureOpenAIChatClient build() {
      if (client == null && asyncClient == null) {
        throw new GuardConfigurationException(
            "AzureOpenAIChatClient needs an OpenAIClient (.client) or an OpenAIAsyncClient"
                + " (.asyncClient)");
      }
      return new AzureOpenAIChatClient(this);
    }
  }
}
