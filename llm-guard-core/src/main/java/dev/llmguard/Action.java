package dev.llmguard;

/** What the policy decided for a phase, from mildest to strictest. */
public enum Action {
  /** Nothing triggered. */
  ALLOW,
  /** Something triggered; the exchange goes on unchanged and the event is an alert. */
  FLAG,
  /** Sensitive spans were replaced by placeholders before going on. */
  REDACT,
  /** The exchange was stopped with a {@link GuardrailViolationException}. */
  BLOCK;

  public Action max(Action other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
