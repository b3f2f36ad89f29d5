package dev.llmguard.proxy;

import dev.llmguard.LlmGuardException;

/** A server of this module (the proxy or the Azure stand-in) could not start or stop. */
public final class ProxyStartException extends LlmGuardException {
  private static final long serialVersionUID = 1L;

  public ProxyStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
