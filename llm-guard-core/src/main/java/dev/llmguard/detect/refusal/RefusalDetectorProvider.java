package dev.llmguard.detect.refusal;

import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;

/** Creates the {@value RefusalDetector#ID} detector; see {@link RefusalDetector} for the keys. */
public final class RefusalDetectorProvider implements DetectorProvider {

  @Override
  public String id() {
    return RefusalDetector.ID;
  }

  @Override
  public Detector create(DetectorConfig config) {
    return RefusalDetector.create(config);
  }
}
