package dev.llmguard;

/** A detector failed or overran its time budget; carries the detector's id. */
public class DetectorException extends LlmGuardException {
  private static final long serialVersionUID = 1L;
  private final String detectorId;

  public DetectorException(String detectorId, String message, Throwable cause) {
    super("Detector '" + detectorId + "' " + message, cause);
    this.detectorId = detectorId;
  }

  public String detectorId() {
    return detectorId;
  }
}
