package dev.llmguard.detect.jailbreak;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Phase;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates the {@code jailbreak} detector. Settings ({@code llmguard.detector.jailbreak.<key>}):
 *
 * <ul>
 *   <li>{@code min-score} — findings scoring below are not reported (default {@value
 *       JailbreakDetector#DEFAULT_MIN_SCORE});
 *   <li>{@code phases} — {@code prompt}, {@code response} or both (default {@code prompt}).
 * </ul>
 */
public final class JailbreakDetectorProvider implements DetectorProvider {

  @Override
  public String id() {
    return JailbreakDetector.ID;
  }

  @Override
  public Detector create(DetectorConfig config) {
    double minScore = config.getDouble("min-score", JailbreakDetector.DEFAULT_MIN_SCORE);
    Set<Phase> phases = EnumSet.noneOf(Phase.class);
    if (config.get("phases").isEmpty()) {
      phases.add(Phase.PROMPT);
    }
    for (String p : config.getList("phases")) {
      try {
        phases.add(Phase.valueOf(p.toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new GuardConfigurationException(
            "Invalid value '"
                + p
                + "' for "
                + config.fullKey("phases")
                + ": expected prompt, response or both");
      }
    }
    try {
      return new JailbreakDetector(minScore, phases);
    } catch (IllegalArgumentException e) {
      throw new GuardConfigurationException(
          "Invalid setting for " + config.fullKey("") + "*: " + e.getMessage());
    }
  }
}
