package dev.llmguard;

/** The chat request cannot be guarded as given (no messages, a null message …). */
public class InvalidRequestException extends LlmGuardException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }
}
