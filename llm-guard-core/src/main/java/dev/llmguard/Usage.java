package dev.llmguard;

/**
 * Token usage as reported by the provider (never estimated by the guard).
 *
 * @param inputTokens prompt tokens, or {@code -1} when unknown
 * @param outputTokens completion tokens, or {@code -1} when unknown
 */
public record Usage(long inputTokens, long outputTokens) {
  /** Usage the provider did not report. */
  public static final Usage UNKNOWN = new Usage(-1, -1);

  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens);
  }

  public boolean isKnown() {
    return inputTokens >= 0 || outputTokens >= 0;
  }

  public long totalTokens() {
    return Math.max(0, inputTokens) + Math.max(0, outputTokens);
  }
}
