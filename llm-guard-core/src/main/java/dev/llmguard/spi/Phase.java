package dev.llmguard.spi;

/** Which side of the exchange a detector looks at. */
public enum Phase {
  /** The conversation sent to the model. */
  PROMPT,
  /** The model's answer (also each window of a streamed answer). */
  RESPONSE;

  /** Lower-case name used in events and configuration ({@code prompt}, {@code response}). */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
