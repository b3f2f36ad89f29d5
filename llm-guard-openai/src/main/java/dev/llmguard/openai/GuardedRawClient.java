package dev.llmguard.openai;

import com.openai.client.OpenAIClient;
import com.openai.core.ClientOptions;
import com.openai.services.blocking.ChatService;
import dev.llmguard.GuardedChatClient;
import java.util.function.Consumer;

/**
 * {@code withRawResponse()} of a {@link GuardedOpenAIClient}: {@code chat().completions().create}
 * and {@code createStreaming} are guarded (the answer is read and scanned before the {@code
 * HttpResponseFor} is returned; status and headers are the provider's); everything else is the
 * wrapped client's own.
 */
final class GuardedRawClient implements OpenAIClient.WithRawResponse {
  private final OpenAIClient.WithRawResponse raw;
  private final GuardedChatClient guard;

  GuardedRawClient(OpenAIClient.WithRawResponse raw, GuardedChatClient guard) {
    this.raw = raw;
    this.guard = guard;
  }

  @Override
  public OpenAIClient.WithRawResponse withOptions(Consumer<ClientOptions.Builder> modifier) {
    return new GuardedRawClient(raw.withOptions(modifier), guard);
  }

  @Override
  public ChatService.WithRawResponse chat() {
    return new GuardedRawChatService(raw.chat(), guard);
  }

  @Override
  public com.openai.services.blocking.DecisionService.WithRawResponse decisions() {
    return raw.decisions();
  }

  @Override
  public com.openai.services.blocking.CompletionService.WithRawResponse completions() {
    return raw.completions();
  }

  @Override
  public com.openai.services.blocking.EmbeddingService.WithRawResponse embeddings() {
    return raw.embeddings();
  }

  @Override
  public com.openai.services.blocking.FileService.WithRawResponse files() {
    return raw.files();
  }

  @Override
  public com.openai.services.blocking.ImageService.WithRawResponse images() {
    return raw.images();
  }

  @Override
  public com.openai.services.blocking.ContentProvenanceCheckService.WithRawResponse
      contentProvenanceChecks() {
    return raw.contentProvenanceChecks();
  }

  @Override
  public com.openai.services.blocking.AudioService.WithRawResponse audio() {
    return raw.audio();
  }

  @Override
  public com.openai.services.blocking.ModerationService.WithRawResponse moderations() {
    return raw.moderations();
  }

  @Override
  public com.openai.services.blocking.ModelService.WithRawResponse models() {
    return raw.models();
  }

  @Override
  public com.openai.services.blocking.FineTuningService.WithRawResponse fineTuning() {
    return raw.fineTuning();
  }

  @Override
  public com.openai.services.blocking.GraderService.WithRawResponse graders() {
    return raw.graders();
  }

  @Override
  public com.openai.services.blocking.VectorStoreService.WithRawResponse vectorStores() {
    return raw.vectorStores();
  }

  @Override
  public com.openai.services.blocking.SafetyService.WithRawResponse safety() {
    return raw.safety();
  }

  @Override
  public com.openai.services.blocking.WebhookService.WithRawResponse webhooks() {
    return raw.webhooks();
  }

  @Override
  public com.openai.services.blocking.BetaService.WithRawResponse beta() {
    return raw.beta();
  }

  @Override
  public com.openai.services.blocking.BatchService.WithRawResponse batches() {
    return raw.batches();
  }

  @Override
  public com.openai.services.blocking.UploadService.WithRawResponse uploads() {
    return raw.uploads();
  }

  @Override
  public com.openai.services.blocking.AdminService.WithRawResponse admin() {
    return raw.admin();
  }

  @Override
  public com.openai.services.blocking.ResponseService.WithRawResponse responses() {
    return raw.responses();
  }

  @Override
  public com.openai.services.blocking.LiveService.WithRawResponse live() {
    return raw.live();
  }

  @Override
  public com.openai.services.blocking.RealtimeService.WithRawResponse realtime() {
    return raw.realtime();
  }

  @Override
  public com.openai.services.blocking.ConversationService.WithRawResponse conversations() {
    return raw.conversations();
  }

  @Override
  public com.openai.services.blocking.EvalService.WithRawResponse evals() {
    return raw.evals();
  }

  @Override
  public com.openai.services.blocking.ContainerService.WithRawResponse containers() {
    return raw.containers();
  }

  @Override
  public com.openai.services.blocking.SkillService.WithRawResponse skills() {
    return raw.skills();
  }

  @Override
  public com.openai.services.blocking.VideoService.WithRawResponse videos() {
    return raw.videos();
  }
}
