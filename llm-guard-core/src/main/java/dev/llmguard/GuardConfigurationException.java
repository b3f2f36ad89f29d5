package dev.llmguard;

/** The guard is misconfigured: an unknown detector id, a bad option value, a broken provider. */
public class GuardConfigurationException extends LlmGuardException {
  private static final long serialVersionUID = 1L;

  public GuardConfigurationException(String message) {
    super(message);
  }

  public GuardConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
