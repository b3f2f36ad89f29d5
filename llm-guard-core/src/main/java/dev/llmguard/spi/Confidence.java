package dev.llmguard.spi;

/** How sure a detector is that its finding is real, independent of how severe it is. */
public enum Confidence {
  LOW,
  MEDIUM,
  HIGH
}
