package dev.llmguard.spi;

/**
 * Factory for a {@link Detector}, found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/dev.llmguard.spi.DetectorProvider}. Providers must have a public no-argument
 * constructor and be cheap to instantiate; the expensive work (loading word lists, models) belongs
 * in {@link #create}.
 */
public interface DetectorProvider {

  /** The id of the detector this provider creates; equal to {@code create(..).id()}. */
  String id();

  /**
   * Creates the detector.
   *
   * @throws dev.llmguard.GuardConfigurationException when {@code config} is invalid, naming the
   *     offending key
   */
  Detector create(DetectorConfig config);

  /** Position in the detector chain; lower runs first, ties broken by id. Default {@code 100}. */
  default int order() {
    return 100;
  }
}
