package dev.llmguard.detect.unicode;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;

/**
 * Creates the {@code invisible-text} detector. Settings (prefix {@code
 * llmguard.detector.invisible-text.}):
 *
 * <ul>
 *   <li>{@code kinds} — comma-separated subset of {@code tag-characters}, {@code
 *       variation-selectors}, {@code zero-width}, {@code bidi-control}, {@code private-use};
 *       default all.
 *   <li>{@code max-hidden-text} — most chars of decoded hidden text put in metadata; default
 *       {@value #DEFAULT_MAX_HIDDEN_TEXT}.
 * </ul>
 */
public final class InvisibleTextDetectorProvider implements DetectorProvider {
  public static final int DEFAULT_MAX_HIDDEN_TEXT = 1000;

  @Override
  public String id() {
    return InvisibleTextDetector.ID;
  }

  @Override
  public Detector create(DetectorConfig config) {
    var kinds = InvisibleKind.parse(config.getList("kinds"), config.fullKey("kinds"));
    int max = config.getInt("max-hidden-text", DEFAULT_MAX_HIDDEN_TEXT);
    if (max < 0) {
      throw new GuardConfigurationException(
          "Invalid value '"
              + max
              + "' for "
              + config.fullKey("max-hidden-text")
              + ": expected a number >= 0");
    }
    return new InvisibleTextDetector(kinds, max);
  }
}
