package dev.llmguard.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.ClientOptions;
import com.openai.services.blocking.ChatService;
import dev.llmguard.GuardedChatClient;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * An {@link OpenAIClient} that guards every chat completion of the client it wraps. Switching is
 * one line; every call site stays as it is:
 *
 * <pre>{@code
 * // before: OpenAIClient client = OpenAIOkHttpClient.fromEnv();
 * OpenAIClient client = GuardedOpenAIClient.wrap(OpenAIOkHttpClient.fromEnv());
 * ChatCompletion answer = client.chat().completions().create(params); // unchanged
 * }</pre>
 *
 * <p>{@code chat().completions().create(…)} and {@code createStreaming(…)} (and the structured
 * output variants, which go through them) keep the SDK's parameter and return types and run through
 * the one {@link GuardedChatClient} engine, with an {@link OpenAiChatClient} as its delegate: the
 * prompt is scanned (and under a redacting policy redacted: only message texts change, every other
 * parameter, header and request option is sent as given), the wrapped client sends the request (its
 * retries, timeouts and logging apply), the answer is scanned and one event is recorded. The caller
 * gets the SDK's own {@code ChatCompletion} unless the policy changed its text. The {@link
 * #async()} view and every {@code withOptions(…)} view are guarded by the same engine.
 *
 * <p>The Responses API's {@code responses().create(…)} and {@code createStreaming(…)} are guarded
 * the same way (instructions and input scanned, output text scanned), and so are chat completions
 * through {@code withRawResponse()} (synchronous client). Not guarded: every other service, the
 * raw-response views of the async client and of the Responses API, which are the wrapped client's
 * own.
 *
 * <p>Exceptions: the SDK's own ({@code BadRequestException}, {@code RateLimitException} …) reach
 * the caller unchanged and are recorded in the event (Azure's content-filter refusal with its
 * categories); a blocking policy throws {@link dev.llmguard.GuardrailViolationException}.
 * Thread-safe, as the SDK client is. {@link #close()} delivers pending events and closes the
 * wrapped client.
 */
public final class GuardedOpenAIClient implements OpenAIClient {

  private final OpenAIClient client;
  private final GuardedChatClient guard;
  private final Executor streamExecutor;

  GuardedOpenAIClient(OpenAIClient client, GuardedChatClient guard, Executor streamExecutor) {
    this.client = client;
    this.guard = guard;
    this.streamExecutor = streamExecutor;
  }

  /** Guards {@code client} with the external configuration's settings (or the defaults). */
  public static GuardedOpenAIClient wrap(OpenAIClient client) {
    return wrap(client, b -> {});
  }

  /**
   * Guards {@code client}; {@code guard} sets up the engine (policy, detectors, sinks …).
   *
   * <pre>{@code
   * OpenAIClient client = GuardedOpenAIClient.wrap(OpenAIOkHttpClient.fromEnv(),
   *     guard -> guard.policy(Policy.block()).serviceName("support-bot"));
   * }</pre>
   *
   * @throws dev.llmguard.GuardConfigurationException when the engine's configuration is invalid
   */
  public static GuardedOpenAIClient wrap(
      OpenAIClient client, Consumer<GuardedChatClient.Builder> guard) {
    Objects.requireNonNull(client, "client");
    return wrap(OpenAiChatClient.of(client), guard);
  }

  /**
   * Guards the SDK client of {@code delegate}, keeping its settings (e.g. an explicit provider
   * name).
   *
   * @throws dev.llmguard.GuardConfigurationException when the engine's configuration is invalid
   */
  public static GuardedOpenAIClient wrap(
      OpenAiChatClient delegate, Consumer<GuardedChatClient.Builder> guard) {
    Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(guard, "guard");
    GuardedChatClient.Builder b = GuardedChatClient.builder(delegate);
    guard.accept(b);
    return new GuardedOpenAIClient(delegate.client(), b.build(), streamExecutor(delegate.client()));
  }

  Executor streamExecutor() {
    return streamExecutor;
  }

  static Executor streamExecutor(OpenAIClient client) {
    ClientOptions options = OpenAiClients.options(client);
    return options != null ? options.streamHandlerExecutor() : StreamThreads.EXECUTOR;
  }

  /** The engine: also a provider-neutral {@link dev.llmguard.ChatClient} over this client. */
  public GuardedChatClient guard() {
    return guard;
  }

  /** The wrapped, unguarded client. */
  public OpenAIClient unwrap() {
    return client;
  }

  /** The asynchronous view, guarded by the same engine; shares this client's resources. */
  @Override
  public OpenAIClientAsync async() {
    return new GuardedOpenAIClientAsync(client.async(), guard, streamExecutor);
  }

  /**
   * The raw-response view: {@code chat().completions().create}/{@code createStreaming} are guarded
   * (status and headers are the provider's, the value is the guarded one); the rest is the wrapped
   * client's own.
   */
  @Override
  public OpenAIClient.WithRawResponse withRawResponse() {
    return new GuardedRawClient(client.withRawResponse(), guard);
  }

  /** The wrapped client with other options, guarded by the same engine. */
  @Override
  public OpenAIClient withOptions(Consumer<ClientOptions.Builder> modifier) {
    return new GuardedOpenAIClient(client.withOptions(modifier), guard, streamExecutor);
  }

  /** Chat, with guarded completions. */
  @Override
  public ChatService chat() {
    return new GuardedChatService(client.chat(), guard);
  }

  /** Delivers pending events (closing the engine) and closes the wrapped client. */
  @Override
  public void close() {
    try {
      guard.close();
    } finally {
      client.close();
    }
  }

  @Override
  public com.openai.services.blocking.DecisionService decisions() {
    return client.decisions();
  }

  @Override
  public com.openai.services.blocking.CompletionService completions() {
    return client.completions();
  }

  @Override
  public com.openai.services.blocking.EmbeddingService embeddings() {
    return client.embeddings();
  }

  @Override
  public com.openai.services.blocking.FileService files() {
    return client.files();
  }

  @Override
  public com.openai.services.blocking.ImageService images() {
    return client.images();
  }

  @Override
  public com.openai.services.blocking.ContentProvenanceCheckService contentProvenanceChecks() {
    return client.contentProvenanceChecks();
  }

  @Override
  public com.openai.services.blocking.AudioService audio() {
    return client.audio();
  }

  @Override
  public com.openai.services.blocking.ModerationService moderations() {
    return client.moderations();
  }

  @Override
  public com.openai.services.blocking.ModelService models() {
    return client.models();
  }

  @Override
  public com.openai.services.blocking.FineTuningService fineTuning() {
    return client.fineTuning();
  }

  @Override
  public com.openai.services.blocking.GraderService graders() {
    return client.graders();
  }

  @Override
  public com.openai.services.blocking.VectorStoreService vectorStores() {
    return client.vectorStores();
  }

  @Override
  public com.openai.services.blocking.SafetyService safety() {
    return client.safety();
  }

  @Override
  public com.openai.services.blocking.WebhookService webhooks() {
    return client.webhooks();
  }

  @Override
  public com.openai.services.blocking.BetaService beta() {
    return client.beta();
  }

  @Override
  public com.openai.services.blocking.BatchService batches() {
    return client.batches();
  }

  @Override
  public com.openai.services.blocking.UploadService uploads() {
    return client.uploads();
  }

  @Override
  public com.openai.services.blocking.AdminService admin() {
    return client.admin();
  }

  /** The Responses API, with guarded {@code create} and {@code createStreaming}. */
  @Override
  public com.openai.services.blocking.ResponseService responses() {
    return new GuardedResponseService(client.responses(), guard);
  }

  @Override
  public com.openai.services.blocking.LiveService live() {
    return client.live();
  }

  @Override
  public com.openai.services.blocking.RealtimeService realtime() {
    return client.realtime();
  }

  @Override
  public com.openai.services.blocking.ConversationService conversations() {
    return client.conversations();
  }

  @Override
  public com.openai.services.blocking.EvalService evals() {
    return client.evals();
  }

  @Override
  public com.openai.services.blocking.ContainerService containers() {
    return client.containers();
  }

  @Override
  public com.openai.services.blocking.SkillService skills() {
    return client.skills();
  }

  @Override
  public com.openai.services.blocking.VideoService videos() {
    return client.videos();
  }
}
