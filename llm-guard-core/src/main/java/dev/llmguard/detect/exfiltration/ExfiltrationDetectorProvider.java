package dev.llmguard.detect.exfiltration;

import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;

/**
 * Creates the {@value ExfiltrationDetector#ID} detector; see {@link ExfiltrationDetector} for the
 * keys.
 */
public final class ExfiltrationDetectorProvider implements DetectorProvider {

  @Override
  public String id() {
    return ExfiltrationDetector.ID;
  }

  @Override
  public Detector create(DetectorConfig config) {
    return ExfiltrationDetector.create(config);
  }
}
