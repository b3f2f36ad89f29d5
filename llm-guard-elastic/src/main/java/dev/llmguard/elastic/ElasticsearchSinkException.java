package dev.llmguard.elastic;

import dev.llmguard.LlmGuardException;

/**
 * Elasticsearch refused to work with the sink: unreachable at a fail-fast start, wrong credentials,
 * missing privileges. Events are never lost because of it: they stay in the spool.
 */
public class ElasticsearchSinkException extends LlmGuardException {
  private static final long serialVersionUID = 1L;

  public ElasticsearchSinkException(String message) {
    super(message);
  }

  public ElasticsearchSinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
