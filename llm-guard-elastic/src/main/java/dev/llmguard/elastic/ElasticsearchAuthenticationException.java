package dev.llmguard.elastic;

/** Elasticsearch rejected the credentials (HTTP 401): wrong user, password, API key or token. */
public class ElasticsearchAuthenticationException extends ElasticsearchSinkException {
  private static final long serialVersionUID = 1L;

  public ElasticsearchAuthenticationException(String message) {
    super(message);
  }
}
