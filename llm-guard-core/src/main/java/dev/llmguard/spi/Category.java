package dev.llmguard.spi;

import java.util.Locale;

/**
 * The small, fixed vocabulary of finding categories, each mapped to the OWASP Top 10 for LLM
 * Applications (2025). Policies set thresholds and actions per category.
 */
public enum Category {
  /** Instruction override, prompt extraction, hidden instructions (LLM01). */
  PROMPT_INJECTION("LLM01", true),
  /** Persona and role-play attempts to get past the model's safety policy (LLM01). */
  JAILBREAK("LLM01", true),
  /** Personal data and secrets (LLM02). */
  SENSITIVE_INFORMATION("LLM02", true),
  /** Answers that carry data out through links, images or scripts (LLM05). */
  IMPROPER_OUTPUT("LLM05", true),
  /** The answer reproduces the system prompt (LLM07). */
  SYSTEM_PROMPT_LEAKAGE("LLM07", true),
  /** Token flooding and runaway consumption (LLM10). */
  UNBOUNDED_CONSUMPTION("LLM10", true),
  /** Harmful content flagged by a provider's own content filter (LLM05 when it is output). */
  CONTENT_SAFETY("LLM05", true),
  /** Text the application itself banned (banned substrings, custom patterns). */
  POLICY("LLM05", true),
  /** The model refused: informative, not a threat by itself. */
  REFUSAL(null, false),
  /** A detector failed or overran its time budget. */
  DETECTOR_ERROR(null, false),
  /** Anything a third-party detector reports that fits nowhere else. */
  CUSTOM(null, true);

  private final String owaspId;
  private final boolean threat;

  Category(String owaspId, boolean threat) {
    this.owaspId = owaspId;
    this.threat = threat;
  }

  /** The OWASP LLM Top 10 id ({@code LLM01} …), or {@code null} when none applies. */
  public String owaspId() {
    return owaspId;
  }

  /** Whether a triggered finding of this category makes the event a threat ({@code alert}). */
  public boolean isThreat() {
    return threat;
  }

  /** Lower-case name used in events and configuration, e.g. {@code prompt_injection}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a category id, case-insensitively, accepting {@code -} for {@code _}.
   *
   * @throws IllegalArgumentException naming the accepted values when {@code id} is unknown
   */
  public static Category fromId(String id) {
    String key = id.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (Category c : values()) {
      if (c.name().equals(key)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "Unknown category '" + id + "'; expected one of " + java.util.Arrays.toString(values()));
  }
}
