package dev.llmguard.elastic;

import java.util.List;

/**
 * The credentials are valid but lack a privilege the sink needs; {@link #missingPrivileges()} names
 * each one as {@code index:<privilege>:<pattern>} or {@code cluster:<privilege>}.
 */
public class ElasticsearchAuthorizationException extends ElasticsearchSinkException {
  private static final long serialVersionUID = 1L;
  private final List<String> missingPrivileges;

  public ElasticsearchAuthorizationException(String message, List<String> missingPrivileges) {
    super(message);
    this.missingPrivileges = List.copyOf(missingPrivileges);
  }

  /** The privileges that were asked for and not held, never empty. */
  public List<String> missingPrivileges() {
    return missingPrivileges;
  }
}
