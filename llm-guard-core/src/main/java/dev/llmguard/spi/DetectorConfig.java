package dev.llmguard.spi;

import java.util.Map;

/**
 * Settings of one detector, from the builder, {@code llm-guard.properties} ({@code
 * llmguard.detector.<id>.<key>}) or the environment ({@code LLMGUARD_DETECTOR_<ID>_<KEY>}).
 */
public final class DetectorConfig extends ComponentConfig {
  public static final String PREFIX = "llmguard.detector.";
  private final String detectorId;

  public DetectorConfig(String detectorId, Map<String, String> values) {
    super(PREFIX + detectorId + ".", values);
    this.detectorId = detectorId;
  }

  public static DetectorConfig empty(String detectorId) {
    return new DetectorConfig(detectorId, Map.of());
  }

  public static DetectorConfig of(String detectorId, Map<String, String> values) {
    return new DetectorConfig(detectorId, values);
  }

  public String detectorId() {
    return detectorId;
  }
}
