package dev.llmguard.detect.leak;

import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;

/**
 * Creates the {@value SystemPromptLeakDetector#ID} detector; see {@link SystemPromptLeakDetector}
 * for the keys.
 */
public final class SystemPromptLeakDetectorProvider implements DetectorProvider {

  @Override
  public String id() {
    return SystemPromptLeakDetector.ID;
  }

  @Override
  public Detector create(DetectorConfig config) {
    return SystemPromptLeakDetector.create(config);
  }
}
