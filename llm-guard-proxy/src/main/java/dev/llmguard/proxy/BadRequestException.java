package dev.llmguard.proxy;

import dev.llmguard.LlmGuardException;

/**
 * A request the proxy refuses before it reaches the guard or the model: not JSON, no messages, too
 * large, the wrong content type, or too slow to arrive. Carries the HTTP status (always 4xx) and a
 * stable machine-readable code ({@code invalid_json}, {@code missing_messages} …).
 */
public final class BadRequestException extends LlmGuardException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  /**
   * @throws IllegalArgumentException when {@code status} is not a 4xx status
   */
  public BadRequestException(int status, String code, String message) {
    super(message);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("status must be between 400 and 499 but was " + status);
    }
    this.status = status;
    this.code = code;
  }

  /** The HTTP status to answer with (4xx). */
  public int status() {
    return status;
  }

  /** Stable error code for clients, e.g. {@code payload_too_large}. */
  public String code() {
    return code;
  }
}
