package dev.llmguard;

import java.util.List;

/**
 * What a backend recognised in an exception of its provider (e.g. Azure's HTTP 400 {@code
 * content_filter}), so the event can record it. The exception itself still reaches the caller.
 *
 * @param errorCode provider error code ({@code content_filter}, {@code 429} …)
 * @param blockedByProvider whether the provider refused the content itself
 * @param providerFilters filter results carried by the error body
 */
public record ProviderError(
    String errorCode, boolean blockedByProvider, List<ProviderFilterResult> providerFilters) {
  public ProviderError {
    providerFilters = providerFilters == null ? List.of() : List.copyOf(providerFilters);
  }
}
