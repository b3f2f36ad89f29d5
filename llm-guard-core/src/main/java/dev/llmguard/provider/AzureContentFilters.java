package dev.llmguard.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmguard.ProviderError;
import dev.llmguard.ProviderFilterResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Azure OpenAI content-filter annotations from the raw JSON of the wire format, for backend
 * authors: the Azure SDK adapter uses it, and so can any other client of Azure OpenAI, so that
 * every backend reports the provider's verdicts the same way.
 *
 * <p>It understands
 *
 * <ul>
 *   <li>{@code prompt_filter_results} (and the older {@code prompt_annotations}) of a chat
 *       completion or of a stream chunk: results with source {@value #PROMPT};
 *   <li>each choice's {@code content_filter_results}: results with source {@value #COMPLETION};
 *   <li>the HTTP 400 error whose {@code code} is {@code content_filter} (with {@code
 *       innererror.code} {@code ResponsibleAIPolicyViolation}), whose results sit under {@code
 *       innererror.content_filter_result} or {@code innererror.content_filter_results}.
 * </ul>
 *
 * <p>Severity categories ({@code hate}, {@code sexual}, {@code violence}, {@code self_harm}) give
 * {@code filtered} and {@code severity}; detection categories ({@code jailbreak}, {@code
 * profanity}, {@code indirect_attack}, {@code protected_material_text}, {@code
 * protected_material_code}) give {@code filtered} and {@code detected}. Any other object carrying
 * one of these fields is read the same way, so new categories are not lost. Details: {@code
 * prompt_index} / {@code choice_index}, {@code citation_url} and {@code citation_license} for
 * protected code (read from the documented nested {@code citation} object, and from flat {@code
 * URL}/{@code license} fields when a service sends those), {@code blocklist_ids} for custom
 * blocklists.
 *
 * <p>Stateless and thread-safe. Never throws on odd input: missing or mistyped fields are skipped,
 * and text that is not JSON gives no results.
 */
public final class AzureContentFilters {

  /** Source of results about the request's messages: {@value}. */
  public static final String PROMPT = "prompt";

  /** Source of results about a generated choice: {@value}. */
  public static final String COMPLETION = "completion";

  /** Azure's error code for a request or answer refused by its content filter: {@value}. */
  public static final String CONTENT_FILTER = "content_filter";

  /** Azure's {@code innererror.code} for a content-filter refusal: {@value}. */
  public static final String RESPONSIBLE_AI_POLICY_VIOLATION = "ResponsibleAIPolicyViolation";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AzureContentFilters() {}

  /**
   * Every filter result of a chat completion or of one stream chunk: the prompt results first, then
   * each choice's, in document order.
   *
   * @param body the whole response object; {@code null} or a non-object gives an empty list
   */
  public static List<ProviderFilterResult> fromCompletion(JsonNode body) {
    List<ProviderFilterResult> out = new ArrayList<>();
    if (body == null || !body.isObject()) {
      return out;
    }
    JsonNode prompts = body.get("prompt_filter_results");
    if (prompts == null || prompts.isNull()) {
      prompts = body.get("prompt_annotations");
    }
    out.addAll(fromPromptFilterResults(prompts));
    JsonNode choices = body.get("choices");
    if (choices != null && choices.isArray()) {
      for (JsonNode choice : choices) {
        Map<String, String> where = new LinkedHashMap<>();
        if (choice.path("index").isNumber()) {
          where.put("choice_index", choice.get("index").asText());
        }
        out.addAll(read(COMPLETION, choice.get("content_filter_results"), where));
      }
    }
    return out;
  }

  /**
   * The results of a {@code prompt_filter_results} array (each element with {@code prompt_index}
   * and {@code content_filter_results}).
   */
  public static List<ProviderFilterResult> fromPromptFilterResults(JsonNode promptFilterResults) {
    List<ProviderFilterResult> out = new ArrayList<>();
    if (promptFilterResults == null || !promptFilterResults.isArray()) {
      return out;
    }
    for (JsonNode entry : promptFilterResults) {
      Map<String, String> where = new LinkedHashMap<>();
      if (entry.path("prompt_index").isNumber()) {
        where.put("prompt_index", entry.get("prompt_index").asText());
      }
      out.addAll(read(PROMPT, entry.get("content_filter_results"), where));
    }
    return out;
  }

  /**
   * The results of one {@code content_filter_results} object (category name to result).
   *
   * @param source {@value #PROMPT} or {@value #COMPLETION}
   */
  public static List<ProviderFilterResult> fromContentFilterResults(
      String source, JsonNode contentFilterResults) {
    return read(source, contentFilterResults, Map.of());
  }

  /**
   * Recognises Azure's content-filter refusal in an HTTP error body.
   *
   * @param body the error response body as received; may be {@code null} or not JSON
   * @return the refusal with its categories (source {@value #PROMPT}, since Azure raises it for the
   *     request), or empty when the body is not a content-filter error
   */
  public static Optional<ProviderError> fromContentFilterError(String body) {
    return fromContentFilterError(parse(body));
  }

  /** As {@link #fromContentFilterError(String)}, over an already parsed body. */
  public static Optional<ProviderError> fromContentFilterError(JsonNode body) {
    if (body == null || !body.isObject()) {
      return Optional.empty();
    }
    JsonNode error = body.has("error") ? body.get("error") : body;
    JsonNode inner = error.path("innererror");
    boolean filterCode = CONTENT_FILTER.equals(text(error.get("code")));
    boolean policyCode = RESPONSIBLE_AI_POLICY_VIOLATION.equals(text(inner.get("code")));
    if (!filterCode && !policyCode) {
      return Optional.empty();
    }
    JsonNode results = inner.get("content_filter_result");
    if (results == null || results.isNull()) {
      results = inner.get("content_filter_results");
    }
    List<ProviderFilterResult> filters;
    if (results != null && results.isArray()) {
      // Some API versions send the prompt-filter array shape here.
      filters = fromPromptFilterResults(results);
    } else {
      filters = read(PROMPT, results, Map.of());
    }
    return Optional.of(new ProviderError(CONTENT_FILTER, true, filters));
  }

  /**
   * Describes any Azure OpenAI HTTP error: the content-filter refusal as {@link
   * #fromContentFilterError(String)} does, anything else with the body's {@code error.code} (or the
   * status when the body has none) and {@code blockedByProvider} false.
   *
   * @param status the HTTP status
   * @param body the response body, may be {@code null}
   */
  public static ProviderError describeHttpError(int status, String body) {
    JsonNode json = parse(body);
    Optional<ProviderError> filter = fromContentFilterError(json);
    if (filter.isPresent()) {
      return filter.get();
    }
    String code = json == null ? null : text(json.path("error").get("code"));
    return new ProviderError(code == null ? Integer.toString(status) : code, false, List.of());
  }

  /** Whether any result says the provider filtered (withheld) the content. */
  public static boolean anyFiltered(List<ProviderFilterResult> results) {
    for (ProviderFilterResult r : results) {
      if (Boolean.TRUE.equals(r.filtered())) {
        return true;
      }
    }
    return false;
  }

  private static List<ProviderFilterResult> read(
      String source, JsonNode results, Map<String, String> where) {
    List<ProviderFilterResult> out = new ArrayList<>();
    if (results == null || !results.isObject()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> f : results.properties()) {
      ProviderFilterResult r = readCategory(source, f.getKey(), f.getValue(), where);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  private static ProviderFilterResult readCategory(
      String source, String category, JsonNode node, Map<String, String> where) {
    if (node == null || !node.isObject()) {
      return null;
    }
    Boolean filtered = bool(node.get("filtered"));
    Boolean detected = bool(node.get("detected"));
    String severity = text(node.get("severity"));
    if (filtered == null && detected == null && severity == null) {
      return null; // e.g. an "error" entry: this filter did not run
    }
    Map<String, String> details = new LinkedHashMap<>(where);
    JsonNode citation = node.get("citation");
    if (citation != null && citation.isObject()) {
      putIfText(details, "citation_url", citation.get("URL"), citation.get("url"));
      putIfText(details, "citation_license", citation.get("license"), null);
    } else {
      putIfText(details, "citation_url", node.get("URL"), node.get("url"));
      putIfText(details, "citation_license", node.get("license"), null);
    }
    JsonNode blocklists = node.get("details");
    if (blocklists != null && blocklists.isArray()) {
      List<String> ids = new ArrayList<>();
      for (JsonNode d : blocklists) {
        String id = text(d.get("id"));
        if (id != null && Boolean.TRUE.equals(bool(d.get("filtered")))) {
          ids.add(id);
        }
      }
      if (!ids.isEmpty()) {
        details.put("blocklist_ids", String.join(",", ids));
      }
    }
    return new ProviderFilterResult(
        source,
        category.toLowerCase(Locale.ROOT),
        filtered,
        severity == null ? null : severity.toLowerCase(Locale.ROOT),
        detected,
        details);
  }

  private static void putIfText(Map<String, String> out, String key, JsonNode a, JsonNode b) {
    String v = text(a);
    if (v == null) {
      v = text(b);
    }
    if (v != null) {
      out.put(key, v);
    }
  }

  private static Boolean bool(JsonNode n) {
    return n != null && n.isBoolean() ? n.booleanValue() : null;
  }

  private static String text(JsonNode n) {
    return n != null && n.isTextual() ? n.textValue() : null;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
