package dev.llmguard.detect.custom;

import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;

/**
 * Creates the {@code banned-substrings} detector. Settings (prefix {@code
 * llmguard.detector.banned-substrings.}):
 *
 * <ul>
 *   <li>{@code substrings} — comma-separated entries; default none (the detector reports nothing).
 *   <li>{@code match} — {@code word} or {@code substring}; default {@code word}.
 *   <li>{@code case-sensitive} — default {@code false}.
 *   <li>{@code score} — score of a finding, 0..1; default {@value #DEFAULT_SCORE}.
 * </ul>
 */
public final class BannedSubstringsDetectorProvider implements DetectorProvider {
  public static final double DEFAULT_SCORE = 0.9;

  @Override
  public String id() {
    return BannedSubstringsDetector.ID;
  }

  @Override
  public Detector create(DetectorConfig config) {
    return new BannedSubstringsDetector(
        config.getList("substrings"),
        MatchMode.parse(config.getString("match", "word"), config.fullKey("match")),
        config.getBoolean("case-sensitive", false),
        Scores.score(config, DEFAULT_SCORE));
  }
}
