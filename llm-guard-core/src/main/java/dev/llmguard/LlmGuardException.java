package dev.llmguard;

/**
 * Root of llm-guard's own unchecked exceptions. Exceptions of the wrapped client are never wrapped.
 */
public class LlmGuardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LlmGuardException(String message) {
    super(message);
  }

  public LlmGuardException(String message, Throwable cause) {
    super(message, cause);
  }
}
