package dev.llmguard;

import java.util.List;

/**
 * One piece of a streamed answer. Immutable.
 *
 * @param id provider response id (same for every chunk of a stream), may be {@code null}
 * @param model the model, may be {@code null}
 * @param index choice index this delta belongs to
 * @param delta new text, {@code ""} when the chunk carries none
 * @param finishReason set on the last chunk of a choice, else {@code null}
 * @param usage usage when the provider sends it (usually on the last chunk), else {@code null}
 * @param providerFilters content-filter annotations carried by this chunk
 */
public record ChatChunk(
    String id,
    String model,
    int index,
    String delta,
    String finishReason,
    Usage usage,
    List<ProviderFilterResult> providerFilters) {

  public ChatChunk {
    delta = delta == null ? "" : delta;
    providerFilters = providerFilters == null ? List.of() : List.copyOf(providerFilters);
  }

  public static ChatChunk text(String delta) {
    return new ChatChunk(null, null, 0, delta, null, null, List.of());
  }

  public static ChatChunk finish(String finishReason, Usage usage) {
    return new ChatChunk(null, null, 0, "", finishReason, usage, List.of());
  }
}
