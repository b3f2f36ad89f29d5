package dev.llmguard.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.LlmGuardException;
import dev.llmguard.event.GuardEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kibana detection rules shipped in {@code detection-rules/} (one JSON file per rule plus the
 * import bundle {@value #BUNDLE}), and their queries as Elasticsearch query DSL so that a program
 * can ask which rules an index would fire. Thread-safe; the rules are immutable.
 */
public final class DetectionRules {

  /** Classpath location of the ndjson bundle that Kibana imports. */
  public static final String BUNDLE = "detection-rules/llm-guard-detection-rules.ndjson";

  private DetectionRules() {}

  /**
   * One shipped rule.
   *
   * @param ruleId Kibana {@code rule_id}, e.g. {@code llm-guard-prompt-injection}
   * @param name human name
   * @param type {@code query} or {@code threshold}
   * @param query Lucene query over {@code logs-llm_guard.events-*}
   * @param owaspIds OWASP LLM Top 10 ids, e.g. {@code LLM01}
   * @param severity {@code low|medium|high|critical}
   * @param thresholdField for threshold rules the grouping field, else {@code null}
   * @param thresholdValue for threshold rules the count that fires, else {@code 0}
   * @param source the whole rule as shipped
   */
  public record Rule(
      String ruleId,
      String name,
      String type,
      String query,
      List<String> owaspIds,
      String severity,
      String thresholdField,
      int thresholdValue,
      JsonNode source) {

    public boolean isThreshold() {
      return "threshold".equals(type);
    }

    /**
     * The search body that finds what this rule fires on, optionally narrowed by {@code filter} (a
     * query DSL object, may be {@code null}): hits for query rules, an aggregation {@code groups}
     * with one bucket per group at or above the threshold for threshold rules.
     */
    public ObjectNode searchBody(JsonNode filter) {
      ObjectNode body = GuardEvents.mapper().createObjectNode();
      ArrayNode must = body.putObject("query").putObject("bool").putArray("filter");
      ObjectNode qs = must.addObject().putObject("query_string");
      qs.put("query", query);
      qs.put("analyze_wildcard", true);
      if (filter != null) {
        must.add(filter);
      }
      if (isThreshold()) {
        body.put("size", 0);
        ObjectNode terms = body.putObject("aggs").putObject("groups").putObject("terms");
        terms.put("field", thresholdField);
        terms.put("min_doc_count", thresholdValue);
        terms.put("size", 1000);
      } else {
        body.put("size", 100);
      }
      return body;
    }
  }

  /**
   * The shipped rules, in bundle order.
   *
   * @throws LlmGuardException when the bundle is missing or malformed (a packaging error)
   */
  public static List<Rule> load() {
    List<Rule> out = new ArrayList<>();
    try (InputStream in = DetectionRules.class.getClassLoader().getResourceAsStream(BUNDLE)) {
      if (in == null) {
        throw new LlmGuardException("Missing resource " + BUNDLE);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          out.add(parse(GuardEvents.mapper().readTree(line)));
        }
      }
    } catch (IOException e) {
      throw new LlmGuardException("Cannot read " + BUNDLE + ": " + e.getMessage(), e);
    }
    return List.copyOf(out);
  }

  static Rule parse(JsonNode n) {
    List<String> owasp = new ArrayList<>();
    for (JsonNode t : n.path("threat")) {
      owasp.add(t.path("tactic").path("id").asText());
    }
    JsonNode threshold = n.path("threshold");
    return new Rule(
        n.path("rule_id").asText(),
        n.path("name").asText(),
        n.path("type").asText(),
        n.path("query").asText(),
        List.copyOf(owasp),
        n.path("severity").asText(),
        threshold.isMissingNode() ? null : threshold.path("field").path(0).asText(),
        threshold.path("value").asInt(0),
        n);
  }
}
