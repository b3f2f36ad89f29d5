package dev.llmguard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A provider-neutral chat answer. Immutable.
 *
 * @param id provider response id, may be {@code null}
 * @param model the model that answered, may be {@code null}
 * @param choices answer alternatives, possibly empty (e.g. when a provider filter removed them)
 * @param usage token usage as reported by the provider
 * @param providerFilters the provider's own content-filter results for prompt and completion
 * @param attributes provider-specific extras (kept out of detection, copied to nothing by default)
 */
public record ChatResponse(
    String id,
    String model,
    List<Choice> choices,
    Usage usage,
    List<ProviderFilterResult> providerFilters,
    Map<String, Object> attributes) {

  /**
   * Attribute key a backend sets to the provider's error code when the provider withheld the answer
   * (e.g. {@code content_filter}); recorded as {@code gen_ai.response.error_code}. When a provider
   * block is seen without it, the guard records {@code content_filter}.
   */
  public static final String ERROR_CODE_ATTRIBUTE = "gen_ai.response.error_code";

  public ChatResponse {
    choices = choices == null ? List.of() : List.copyOf(choices);
    usage = usage == null ? Usage.UNKNOWN : usage;
    providerFilters = providerFilters == null ? List.of() : List.copyOf(providerFilters);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** A one-choice answer, as scripted test clients and simple backends produce. */
  public static ChatResponse of(
      String id, String model, String text, String finishReason, Usage usage) {
    return new ChatResponse(
        id,
        model,
        List.of(new Choice(0, ChatMessage.assistant(text), finishReason)),
        usage,
        List.of(),
        Map.of());
  }

  /** Content of the first choice, or {@code ""}. */
  public String text() {
    return choices.isEmpty() ? "" : choices.get(0).message().text();
  }

  /** Every choice's finish reason, in order; {@code null}s dropped. */
  public List<String> finishReasons() {
    List<String> out = new ArrayList<>(choices.size());
    for (Choice c : choices) {
      if (c.finishReason() != null) {
        out.add(c.finishReason());
      }
    }
    return List.copyOf(out);
  }

  /** The same answer with other choices (used for redaction and restoring placeholders). */
  public ChatResponse withChoices(List<Choice> newChoices) {
    return new ChatResponse(id, model, newChoices, usage, providerFilters, attributes);
  }
}
