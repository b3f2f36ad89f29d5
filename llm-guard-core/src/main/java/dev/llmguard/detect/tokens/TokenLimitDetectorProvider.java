package dev.llmguard.detect.tokens;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import java.util.Locale;

/**
 * Creates the {@code token-limit} detector. Settings (prefix {@code
 * llmguard.detector.token-limit.}):
 *
 * <ul>
 *   <li>{@code encoding} — {@code cl100k_base} (GPT-4, GPT-3.5) or {@code o200k_base} (GPT-4o and
 *       later); default {@value #DEFAULT_ENCODING}.
 *   <li>{@code max-tokens} — the limit; default {@value #DEFAULT_MAX_TOKENS}.
 *   <li>{@code flood-detection} — also report repetitive flooding; default {@code true}.
 *   <li>{@code flood-min-chars} — shortest text checked for flooding; default {@value
 *       #DEFAULT_FLOOD_MIN_CHARS}.
 * </ul>
 */
public final class TokenLimitDetectorProvider implements DetectorProvider {
  public static final String DEFAULT_ENCODING = "cl100k_base";
  public static final int DEFAULT_MAX_TOKENS = 4096;
  public static final int DEFAULT_FLOOD_MIN_CHARS = 1024;

  @Override
  public String id() {
    return TokenLimitDetector.ID;
  }

  @Override
  public Detector create(DetectorConfig config) {
    String name = config.getString("encoding", DEFAULT_ENCODING).toLowerCase(Locale.ROOT);
    switch (name) {
      case "cl100k_base":
      case "o200k_base":
        break;
      default:
        throw new GuardConfigurationException(
            "Invalid value '"
                + name
                + "' for "
                + config.fullKey("encoding")
                + ": expected cl100k_base or o200k_base");
    }
    int maxTokens = config.getInt("max-tokens", DEFAULT_MAX_TOKENS);
    if (maxTokens < 1) {
      throw new GuardConfigurationException(
          "Invalid value '"
              + maxTokens
              + "' for "
              + config.fullKey("max-tokens")
              + ": expected a positive integer");
    }
    int floodMin = config.getInt("flood-min-chars", DEFAULT_FLOOD_MIN_CHARS);
    if (floodMin < 1) {
      throw new GuardConfigurationException(
          "Invalid value '"
              + floodMin
              + "' for "
              + config.fullKey("flood-min-chars")
              + ": expected a positive integer");
    }
    // Each encoding's rank tables are loaded once, on first use, and shared by all detectors.
    return new TokenLimitDetector(
        TokenCounter.forEncoding(name),
        maxTokens,
        config.getBoolean("flood-detection", true),
        floodMin);
  }
}
