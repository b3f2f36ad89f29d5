package dev.llmguard.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import dev.llmguard.ProviderError;
import dev.llmguard.provider.AzureContentFilters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Recognises Azure OpenAI failures in exceptions the SDK threw. Stateless; never throws. */
final class AzureErrors {

  private static final Duration BODY_WAIT = Duration.ofSeconds(2);

  private AzureErrors() {}

  /**
   * The {@link HttpResponseException} in {@code error}'s cause chain, described: Azure's 400 {@code
   * content_filter} refusal as a provider block with its categories; any other HTTP error by its
   * code ({@code 429} …). Empty for failures that carry no HTTP response.
   */
  static Optional<ProviderError> describe(Throwable error) {
    HttpResponseException http = find(error);
    if (http == null || http.getResponse() == null) {
      return Optional.empty();
    }
    try {
      int status = http.getResponse().getStatusCode();
      return Optional.of(AzureContentFilters.describeHttpError(status, body(http)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static HttpResponseException find(Throwable error) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof HttpResponseException h) {
        return h;
      }
    }
    return null;
  }

  /** The error body: the exception's decoded value when it has one, else the raw response. */
  private static String body(HttpResponseException e) {
    Object value = e.getValue();
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof BinaryData b) {
      return b.toString();
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (value != null) {
      try {
        return AzureWire.MAPPER.writeValueAsString(value);
      } catch (Exception ignored) {
        // fall through to the raw body
      }
    }
    HttpResponse r = e.getResponse();
    try {
      return r.getBodyAsString().block(BODY_WAIT);
    } catch (RuntimeException ignored) {
      return null;
    }
  }
}
