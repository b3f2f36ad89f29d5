package dev.llmguard.detect.jailbreak;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Phase;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates the {@code jailbreak} detector. Settings ({@code llmguard.detector.jailbreak.<key>}):
 *
 * <ul>
 *   <li>{@code min-score} — findings scoring below are not reported (default {@value
 *       JailbreakDetector#DEFAULT_MIN_SCORE});
 *   <li>{@code phases} — {@code prompt}, {@code response} or both (default {@code prompt});
 *   <li>{@code model} — the learned model that corroborates weak evidence: {@code bundled}
 *       (default), {@code none} (rules only) or the path of a model file written by the CLI's
 *       {@code train-jailbreak} command;
 *   <li>{@code model-threshold} — the probability at which the model corroborates (default: the
 *       threshold stored in the model).
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
    JailbreakModel model = model(config);
    try {
      return new JailbreakDetector(minScore, phases, model);
    } catch (IllegalArgumentException e) {
      throw new GuardConfigurationException(
          "Invalid setting for " + config.fullKey("") + "*: " + e.getMessage());
    }
  }

  private static JailbreakModel model(DetectorConfig config) {
    String setting = config.getString("model", "bundled").strip();
    JailbreakModel model;
    if (setting.equals("none")) {
      if (config.get("model-threshold").isPresent()) {
        throw new GuardConfigurationException(
            config.fullKey("model-threshold")
                + " is set but "
                + config.fullKey("model")
                + " is none");
      }
      return null;
    } else if (setting.equals("bundled") || setting.isEmpty()) {
      model = JailbreakModel.bundled();
    } else {
      try {
        model = JailbreakModel.read(Path.of(setting));
      } catch (IOException | InvalidPathException | JailbreakModel.ModelFormatException e) {
        throw new GuardConfigurationException(
            "Cannot load the jailbreak model named by "
                + config.fullKey("model")
                + " ('"
                + setting
                + "'): "
                + e.getMessage());
      }
    }
    if (config.get("model-threshold").isPresent()) {
      double t = config.getDouble("model-threshold", model.threshold());
      if (!(t >= 0 && t <= 1)) {
        throw new GuardConfigurationException(
            "Invalid value '"
                + t
                + "' for "
                + config.fullKey("model-threshold")
                + ": expected a probability between 0 and 1");
      }
      model = model.withThreshold(t);
    }
    return model;
  }
}
