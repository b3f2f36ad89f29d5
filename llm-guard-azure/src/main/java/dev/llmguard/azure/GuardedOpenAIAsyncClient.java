package dev.llmguard.azure;

import com.azure.ai.openai.OpenAIAsyncClient;
import com.azure.ai.openai.models.ChatCompletionStreamOptions;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.rest.RequestOptions;
import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import dev.llmguard.ChatStream;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.GuardrailViolationException;
import java.util.Objects;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A drop-in replacement for the Azure SDK's {@link OpenAIAsyncClient} chat methods that guards
 * every prompt and answer; the async counterpart of {@link GuardedOpenAIClient}, with the same
 * contract. Switching is one line:
 *
 * <pre>{@code
 * GuardedOpenAIAsyncClient client =
 *     GuardedOpenAIAsyncClient.wrap(new OpenAIClientBuilder()...buildAsyncClient());
 * client.getChatCompletions("gpt-4o-prod", options).subscribe(...); // unchanged
 * }</pre>
 *
 * <p>Every method is lazy: nothing is scanned or sent until subscription. Errors are signalled,
 * never thrown: the SDK's own exceptions unchanged, {@link GuardrailViolationException} when the
 * policy blocks. Streams are read on Reactor's bounded-elastic scheduler; cancelling a stream
 * releases the connection and records its event. Thread-safe.
 */
public final class GuardedOpenAIAsyncClient implements AutoCloseable {

  private final OpenAIAsyncClient client;
  private final GuardedChatClient guard;

  private GuardedOpenAIAsyncClient(OpenAIAsyncClient client, GuardedChatClient guard) {
    this.client = client;
    this.guard = guard;
  }

  /** Guards {@code client} with the settings of the external configuration (or the defaults). */
  public static GuardedOpenAIAsyncClient wrap(OpenAIAsyncClient client) {
    return wrap(client, b -> {});
  }

  /**
   * Guards {@code client}; {@code guard} sets up the engine (policy, detectors, sinks …).
   *
   * @throws dev.llmguard.GuardConfigurationException when the engine's configuration is invalid
   */
  public static GuardedOpenAIAsyncClient wrap(
      OpenAIAsyncClient client, Consumer<GuardedChatClient.Builder> guard) {
    Objects.requireNonNull(client, "client");
    AzureOpenAIChatClient delegate = AzureOpenAIChatClient.builder().asyncClient(client).build();
    return new GuardedOpenAIAsyncClient(client, DropIn.guard(delegate, guard));
  }

  /**
   * As {@link OpenAIAsyncClient#getChatCompletions(String, ChatCompletionsOptions)}, guarded.
   * Signals {@link GuardrailViolationException} when the policy blocks, {@link
   * HttpResponseException} as the SDK does.
   */
  public Mono<ChatCompletions> getChatCompletions(
      String deploymentOrModelName, ChatCompletionsOptions chatCompletionsOptions) {
    return getChatCompletionsWithResponse(deploymentOrModelName, chatCompletionsOptions, null)
        .map(Response::getValue);
  }

  /**
   * As {@link OpenAIAsyncClient#getChatCompletionsWithResponse(String, ChatCompletionsOptions,
   * RequestOptions)}, guarded.
   *
   * @param requestOptions passed to the SDK as given; may be {@code null}
   */
  public Mono<Response<ChatCompletions>> getChatCompletionsWithResponse(
      String deploymentOrModelName,
      ChatCompletionsOptions chatCompletionsOptions,
      RequestOptions requestOptions) {
    return Mono.defer(
        () -> {
          DropIn.Prepared p =
              DropIn.prepare(deploymentOrModelName, chatCompletionsOptions, requestOptions, null);
          return Mono.fromFuture(() -> guard.chatAsync(p.request()))
              .map(
                  r ->
                      (Response<ChatCompletions>)
                          new SimpleResponse<>(p.call().response, DropIn.result(p.call(), r)));
        });
  }

  /**
   * As {@link OpenAIAsyncClient#getChatCompletionsStream(String, ChatCompletionsOptions)}, guarded:
   * events are emitted as Azure sends them, after the answer so far was scanned; a blocking finding
   * ends the flux with {@link GuardrailViolationException}; one event is recorded per stream, also
   * when the subscriber cancels.
   */
  public Flux<ChatCompletions> getChatCompletionsStream(
      String deploymentOrModelName, ChatCompletionsOptions chatCompletionsOptions) {
    return stream(deploymentOrModelName, chatCompletionsOptions, null);
  }

  /** As the SDK's method of the same signature, guarded like {@link #getChatCompletionsStream}. */
  public Flux<ChatCompletions> getChatCompletionsStream(
      String deploymentOrModelName,
      ChatCompletionsOptions chatCompletionsOptions,
      ChatCompletionStreamOptions streamOptions) {
    return stream(deploymentOrModelName, chatCompletionsOptions, streamOptions);
  }

  private Flux<ChatCompletions> stream(
      String deployment, ChatCompletionsOptions options, ChatCompletionStreamOptions so) {
    return Flux.defer(
            () -> {
              DropIn.Prepared p = DropIn.prepare(deployment, options, null, so);
              return Flux.using(
                  () -> guard.stream(p.request()),
                  s -> Flux.fromIterable(() -> new DropIn.EventIterator(s, p.call(), null)),
                  ChatStream::close);
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  /** The wrapped SDK client, for operations other than chat completions (not guarded). */
  public OpenAIAsyncClient unwrap() {
    return client;
  }

  /** The engine: its policy, detectors and event dispatcher ({@code flush()}). */
  public GuardedChatClient guard() {
    return guard;
  }

  /** Delivers pending events and releases the engine's resources; the SDK client stays usable. */
  @Override
  public void close() {
    guard.close();
  }
}
