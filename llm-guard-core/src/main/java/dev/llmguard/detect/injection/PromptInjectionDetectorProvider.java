package dev.llmguard.detect.injection;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Phase;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates the {@code prompt-injection} detector. Settings ({@code
 * llmguard.detector.prompt-injection.<key>}):
 *
 * <ul>
 *   <li>{@code min-score} — findings scoring below are not reported (default {@value
 *       PromptInjectionDetector#DEFAULT_MIN_SCORE});
 *   <li>{@code max-decode} — encoded payloads decoded and rescanned per text, 0 to disable (default
 *       {@value PromptInjectionDetector#DEFAULT_MAX_DECODE});
 *   <li>{@code phases} — {@code prompt}, {@code response} or both (default {@code prompt}).
 * </ul>
 */
public final class PromptInjectionDetectorProvider implements DetectorProvider {

  @Override
  public String id() {
    return PromptInjectionDetector.ID;
  }

  @Override
  public Detector create(DetectorConfig config) {
    double minScore = config.getDouble("min-score", PromptInjectionDetector.DEFAULT_MIN_SCORE);
    int maxDecode = config.getInt("max-decode", PromptInjectionDetector.DEFAULT_MAX_DECODE);
    Set<Phase> phases = phases(config);
    try {
      return new PromptInjectionDetector(minScore, maxDecode, phases);
    } catch (IllegalArgumentException e) {
      throw new GuardConfigurationException(
          "Invalid setting for " + config.fullKey("") + "*: " + e.getMessage());
    }
  }

  static Set<Phase> phases(DetectorConfig config) {
    if (config.get("phases").isEmpty()) {
      return Set.of(Phase.PROMPT);
    }
    Set<Phase> out = EnumSet.noneOf(Phase.class);
    for (String p : config.getList("phases")) {
      try {
        out.add(Phase.valueOf(p.toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new GuardConfigurationException(
            "Invalid value '"
                + p
                + "' for "
                + config.fullKey("phases")
                + ": expected prompt, response or both");
      }
    }
    return out;
  }
}
