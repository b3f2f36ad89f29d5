package dev.llmguard.detect.custom;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.DetectorConfig;

final class Scores {
  private Scores() {}

  /** The {@code score} setting, which must lie in 0..1. */
  static double score(DetectorConfig config, double defaultValue) {
    double s = config.getDouble("score", defaultValue);
    if (!(s >= 0 && s <= 1)) {
      throw new GuardConfigurationException(
          "Invalid value '"
              + s
              + "' for "
              + config.fullKey("score")
              + ": expected a number between 0 and 1");
    }
    return s;
  }
}
