package dev.llmguard;

import java.util.Map;
import java.util.Objects;

/**
 * One category of a provider's own content filter (e.g. Azure's {@code hate}, {@code jailbreak}),
 * normalised so every backend reports it the same way.
 *
 * @param source {@code prompt} or {@code completion}
 * @param category provider category name ({@code hate}, {@code self_harm}, {@code jailbreak},
 *     {@code protected_material_code} …)
 * @param filtered whether the provider filtered (blocked) on it; {@code null} when not reported
 * @param severity {@code safe|low|medium|high}, or {@code null} for detected-style categories
 * @param detected for detected-style categories (jailbreak, profanity …), else {@code null}
 * @param details extra provider fields (citation URL, licence …)
 */
public record ProviderFilterResult(
    String source,
    String category,
    Boolean filtered,
    String severity,
    Boolean detected,
    Map<String, String> details) {

  public ProviderFilterResult {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(category, "category");
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** Whether the provider flagged anything here (filtered, detected, or severity above safe). */
  public boolean isHit() {
    return Boolean.TRUE.equals(filtered)
        || Boolean.TRUE.equals(detected)
        || (severity != null && !severity.equalsIgnoreCase("safe"));
  }
}
