package dev.llmguard;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The provider-neutral chat port. Backends implement it; {@link GuardedChatClient} decorates it.
 * Implementations should be thread-safe.
 *
 * <p>Only {@link #chat} is required: {@link #stream} defaults to a one-chunk stream of the whole
 * answer and {@link #chatAsync} to running {@link #chat} on the common pool; real backends override
 * both.
 */
public interface ChatClient {

  /** Sends the request and waits for the whole answer. Provider exceptions propagate unchanged. */
  ChatResponse chat(ChatRequest request);

  /** Streams the answer; the caller must close the returned stream. */
  default ChatStream stream(ChatRequest request) {
    ChatResponse r = chat(request);
    ChatChunk text = new ChatChunk(r.id(), r.model(), 0, r.text(), null, null, r.providerFilters());
    String reason = r.finishReasons().isEmpty() ? "stop" : r.finishReasons().get(0);
    ChatChunk last = new ChatChunk(r.id(), r.model(), 0, "", reason, r.usage(), List.of());
    return ChatStream.of(List.of(text, last));
  }

  /** Sends the request without blocking the caller. Provider exceptions complete the future. */
  default CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    return CompletableFuture.supplyAsync(() -> chat(request));
  }

  /** The {@code gen_ai.provider.name} of this backend, e.g. {@code azure.ai.openai}. */
  default String providerName() {
    return "unknown";
  }

  /**
   * Recognises provider-specific failures (content-filter refusals, rate limits) in an exception
   * this client threw, so that the event records them. Never throws.
   */
  default Optional<ProviderError> describeError(Throwable error) {
    return Optional.empty();
  }
}
