package dev.llmguard.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.ClientOptions;
import com.openai.services.async.ChatServiceAsync;
import dev.llmguard.GuardedChatClient;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The asynchronous view of a {@link GuardedOpenAIClient}: {@code chat().completions().create(…)}
 * completes with the SDK's {@code ChatCompletion} after the engine scanned prompt and answer (a
 * blocked prompt or answer completes it exceptionally with {@link
 * dev.llmguard.GuardrailViolationException}); {@code createStreaming(…)} returns the SDK's {@code
 * AsyncStreamResponse}, whose chunks are scanned before each reaches the handler. Everything else
 * is the wrapped client's own and not guarded. Thread-safe.
 */
public final class GuardedOpenAIClientAsync implements OpenAIClientAsync {

  private final OpenAIClientAsync client;
  private final GuardedChatClient guard;
  private final Executor streamExecutor;

  GuardedOpenAIClientAsync(
      OpenAIClientAsync client, GuardedChatClient guard, Executor streamExecutor) {
    this.client = client;
    this.guard = guard;
    this.streamExecutor = streamExecutor;
  }

  /**
   * Guards {@code client}; {@code guard} sets up the engine.
   *
   * @throws dev.llmguard.GuardConfigurationException when the engine's configuration is invalid
   */
  public static GuardedOpenAIClientAsync wrap(
      OpenAIClientAsync client, Consumer<GuardedChatClient.Builder> guard) {
    GuardedOpenAIClient sync = GuardedOpenAIClient.wrap(client.sync(), guard);
    return new GuardedOpenAIClientAsync(client, sync.guard(), sync.streamExecutor());
  }

  /** Guards {@code client} with the external configuration's settings (or the defaults). */
  public static GuardedOpenAIClientAsync wrap(OpenAIClientAsync client) {
    return wrap(client, b -> {});
  }

  /** The engine. */
  public GuardedChatClient guard() {
    return guard;
  }

  /** The wrapped, unguarded client. */
  public OpenAIClientAsync unwrap() {
    return client;
  }

  /** The blocking view, guarded by the same engine. */
  @Override
  public OpenAIClient sync() {
    return new GuardedOpenAIClient(client.sync(), guard, streamExecutor);
  }

  /** The wrapped client's raw-response view: <b>not guarded</b>. */
  @Override
  public OpenAIClientAsync.WithRawResponse withRawResponse() {
    return client.withRawResponse();
  }

  @Override
  public OpenAIClientAsync withOptions(Consumer<ClientOptions.Builder> modifier) {
    return new GuardedOpenAIClientAsync(client.withOptions(modifier), guard, streamExecutor);
  }

  @Override
  public ChatServiceAsync chat() {
    return new GuardedChatServiceAsync(client.chat(), client.sync().chat(), guard, streamExecutor);
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
  public com.openai.services.async.DecisionServiceAsync decisions() {
    return client.decisions();
  }

  @Override
  public com.openai.services.async.CompletionServiceAsync completions() {
    return client.completions();
  }

  @Override
  public com.openai.services.async.EmbeddingServiceAsync embeddings() {
    return client.embeddings();
  }

  @Override
  public com.openai.services.async.FileServiceAsync files() {
    return client.files();
  }

  @Override
  public com.openai.services.async.ImageServiceAsync images() {
    return client.images();
  }

  @Override
  public com.openai.services.async.ContentProvenanceCheckServiceAsync contentProvenanceChecks() {
    return client.contentProvenanceChecks();
  }

  @Override
  public com.openai.services.async.AudioServiceAsync audio() {
    return client.audio();
  }

  @Override
  public com.openai.services.async.ModerationServiceAsync moderations() {
    return client.moderations();
  }

  @Override
  public com.openai.services.async.ModelServiceAsync models() {
    return client.models();
  }

  @Override
  public com.openai.services.async.FineTuningServiceAsync fineTuning() {
    return client.fineTuning();
  }

  @Override
  public com.openai.services.async.GraderServiceAsync graders() {
    return client.graders();
  }

  @Override
  public com.openai.services.async.VectorStoreServiceAsync vectorStores() {
    return client.vectorStores();
  }

  @Override
  public com.openai.services.async.SafetyServiceAsync safety() {
    return client.safety();
  }

  @Override
  public com.openai.services.async.WebhookServiceAsync webhooks() {
    return client.webhooks();
  }

  @Override
  public com.openai.services.async.BetaServiceAsync beta() {
    return client.beta();
  }

  @Override
  public com.openai.services.async.BatchServiceAsync batches() {
    return client.batches();
  }

  @Override
  public com.openai.services.async.UploadServiceAsync uploads() {
    return client.uploads();
  }

  @Override
  public com.openai.services.async.AdminServiceAsync admin() {
    return client.admin();
  }

  @Override
  public com.openai.services.async.ResponseServiceAsync responses() {
    return new GuardedResponseServiceAsync(
        client.responses(), client.sync().responses(), guard, streamExecutor);
  }

  @Override
  public com.openai.services.async.LiveServiceAsync live() {
    return client.live();
  }

  @Override
  public com.openai.services.async.RealtimeServiceAsync realtime() {
    return client.realtime();
  }

  @Override
  public com.openai.services.async.ConversationServiceAsync conversations() {
    return client.conversations();
  }

  @Override
  public com.openai.services.async.EvalServiceAsync evals() {
    return client.evals();
  }

  @Override
  public com.openai.services.async.ContainerServiceAsync containers() {
    return client.containers();
  }

  @Override
  public com.openai.services.async.SkillServiceAsync skills() {
    return client.skills();
  }

  @Override
  public com.openai.services.async.VideoServiceAsync videos() {
    return client.videos();
  }
}
