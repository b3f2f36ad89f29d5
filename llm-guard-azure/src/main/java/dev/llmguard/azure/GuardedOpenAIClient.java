package dev.llmguard.azure;

import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.models.ChatCompletionStreamOptions;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.rest.RequestOptions;
import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import dev.llmguard.ChatResponse;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.GuardrailViolationException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A drop-in replacement for the Azure SDK's {@link OpenAIClient} chat methods that guards every
 * prompt and answer. Switching is one line:
 *
 * <pre>{@code
 * // before: OpenAIClient client = new OpenAIClientBuilder()...buildClient();
 * GuardedOpenAIClient client = GuardedOpenAIClient.wrap(new OpenAIClientBuilder()...buildClient());
 * ChatCompletions answer = client.getChatCompletions("gpt-4o-prod", options); // unchanged
 * }</pre>
 *
 * <p>The chat methods have the SDK's signatures and return the SDK's types. Each call goes through
 * the one {@link GuardedChatClient} engine: the prompt is scanned (and, under a redacting policy,
 * redacted: only message contents change, every other field of the options is sent as set), the
 * request is sent by the wrapped client (its pipeline, credential, retry policy and logging apply),
 * the answer is scanned and one event is recorded. What the caller gets is the SDK's own object,
 * unless the policy changed the answer's text.
 *
 * <p>Exceptions: the SDK's own ({@link HttpResponseException} and subtypes, I/O failures, a body it
 * cannot read) reach the caller unchanged; Azure's content-filter refusal is also recorded in the
 * event ({@code gen_ai.provider_filter.*}, {@code gen_ai.response.error_code}). A blocking policy
 * throws {@link GuardrailViolationException}. {@code null} arguments throw {@link
 * NullPointerException}, as in the SDK.
 *
 * <p>Only chat completions are guarded; use {@link #unwrap()} for the SDK's other operations.
 * Thread-safe; build one and share it. {@link #close()} delivers pending events.
 */
public final class GuardedOpenAIClient implements AutoCloseable {

  private final OpenAIClient client;
  private final GuardedChatClient guard;

  private GuardedOpenAIClient(OpenAIClient client, GuardedChatClient guard) {
    this.client = client;
    this.guard = guard;
  }

  /** Guards {@code client} with the settings of the external configuration (or the defaults). */
  public static GuardedOpenAIClient wrap(OpenAIClient client) {
    return wrap(client, b -> {});
  }

  /**
   * Guards {@code client}; {@code guard} sets up the engine (policy, detectors, sinks …).
   *
   * <pre>{@code
   * GuardedOpenAIClient client = GuardedOpenAIClient.wrap(sdkClient,
   *     guard -> guard.policy(Policy.block()).serviceName("support-bot"));
   * }</pre>
   *
   * @throws dev.llmguard.GuardConfigurationException when the engine's configuration is invalid
   */
  public static GuardedOpenAIClient wrap(
      OpenAIClient client, Consumer<GuardedChatClient.Builder> guard) {
    Objects.requireNonNull(client, "client");
    AzureOpenAIChatClient delegate = AzureOpenAIChatClient.builder().client(client).build();
    return new GuardedOpenAIClient(client, DropIn.guard(delegate, guard));
  }

  /**
   * As {@link OpenAIClient#getChatCompletions(String, ChatCompletionsOptions)}, guarded.
   *
   * @throws GuardrailViolationException when the policy blocks the prompt or the answer
   * @throws HttpResponseException as the SDK throws it
   */
  public ChatCompletions getChatCompletions(
      String deploymentOrModelName, ChatCompletionsOptions chatCompletionsOptions) {
    return getChatCompletionsWithResponse(deploymentOrModelName, chatCompletionsOptions, null)
        .getValue();
  }

  /**
   * As {@link OpenAIClient#getChatCompletionsWithResponse(String, ChatCompletionsOptions,
   * RequestOptions)}, guarded: status and headers are Azure's.
   *
   * @param requestOptions passed to the SDK as given; may be {@code null}
   * @throws GuardrailViolationException when the policy blocks the prompt or the answer
   * @throws HttpResponseException as the SDK throws it
   */
  public Response<ChatCompletions> getChatCompletionsWithResponse(
      String deploymentOrModelName,
      ChatCompletionsOptions chatCompletionsOptions,
      RequestOptions requestOptions) {
    DropIn.Prepared p =
        DropIn.prepare(deploymentOrModelName, chatCompletionsOptions, requestOptions, null);
    ChatResponse guarded = guard.chat(p.request());
    return new SimpleResponse<>(p.call().response, DropIn.result(p.call(), guarded));
  }

  /**
   * As {@link OpenAIClient#getChatCompletionsStream(String, ChatCompletionsOptions)}, guarded.
   * Events reach the caller as Azure sends them; the answer so far is scanned before each one is
   * handed over, and a blocking finding ends the stream with {@link GuardrailViolationException}.
   * One event is recorded per stream: at its end, when it is cut, or when it is closed early. A
   * stream whose connection closed before {@code data: [DONE]} ends quietly, as in the SDK, and the
   * event says so.
   *
   * @throws GuardrailViolationException when the policy blocks the prompt (from this method) or the
   *     answer (from the iteration)
   * @throws HttpResponseException as the SDK throws it (from this method)
   */
  public GuardedChatCompletionsStream getChatCompletionsStream(
      String deploymentOrModelName, ChatCompletionsOptions chatCompletionsOptions) {
    return stream(deploymentOrModelName, chatCompletionsOptions, null);
  }

  /**
   * As {@link OpenAIClient#getChatCompletionsStream(String, ChatCompletionsOptions,
   * ChatCompletionStreamOptions)} (for example to receive usage at the end), guarded as {@link
   * #getChatCompletionsStream(String, ChatCompletionsOptions)}.
   */
  public GuardedChatCompletionsStream getChatCompletionsStream(
      String deploymentOrModelName,
      ChatCompletionsOptions chatCompletionsOptions,
      ChatCompletionStreamOptions streamOptions) {
    return stream(deploymentOrModelName, chatCompletionsOptions, streamOptions);
  }

  private GuardedChatCompletionsStream stream(
      String deployment, ChatCompletionsOptions options, ChatCompletionStreamOptions so) {
    DropIn.Prepared p = DropIn.prepare(deployment, options, null, so);
    return new GuardedChatCompletionsStream(guard.stream(p.request()), p.call());
  }

  /** The wrapped SDK client, for operations other than chat completions (not guarded). */
  public OpenAIClient unwrap() {
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
