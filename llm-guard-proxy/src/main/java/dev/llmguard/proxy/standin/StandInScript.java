package dev.llmguard.proxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.GuardConfigurationException;
import dev.llmguard.proxy.OpenAiWire;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scripted answers of the {@link AzureStandIn}: an ordered list of rules, each matching when
 * the last user message contains its {@code when} text (case-insensitive; an empty {@code when}
 * matches everything). A rule answers with a completion ({@code content}, optional {@code
 * finish_reason}, {@code prompt_filters}, {@code completion_filters}, {@code usage}) or an Azure
 * error ({@code error}: {@code status}, {@code code}, optional {@code filters} for the {@code
 * content_filter} refusal, {@code retry_after}). Immutable and thread-safe.
 *
 * <p>The format, as in {@code dev/llmguard/proxy/standin/demo-script.json}:
 *
 * <pre>{@code
 * {"model": "gpt-4o-2024-08-06",
 *  "answers": [
 *    {"name": "order", "when": "order 4471", "content": "Your order left on Monday."},
 *    {"name": "hate", "when": "hateful rant",
 *     "error": {"status": 400, "code": "content_filter",
 *               "filters": {"hate": {"filtered": true, "severity": "high"}}}},
 *    {"name": "default", "when": "", "content": "Happy to help."}]}
 * }</pre>
 */
public final class StandInScript {

  /** The script used by the demo: {@value}. */
  public static final String DEMO_RESOURCE = "dev/llmguard/proxy/standin/demo-script.json";

  private final String model;
  private final List<Rule> rules;

  private StandInScript(String model, List<Rule> rules) {
    this.model = model;
    this.rules = List.copyOf(rules);
  }

  /** One scripted answer. {@code answer} is the rule's JSON object as written. */
  public record Rule(String name, String when, ObjectNode answer) {
    boolean matches(String lowerText) {
      return when.isEmpty() || lowerText.contains(when);
    }

    public boolean isError() {
      return answer.has("error");
    }
  }

  /** The demo's script from the classpath. */
  public static StandInScript demo() {
    return fromResource(DEMO_RESOURCE);
  }

  /**
   * Reads a script from the classpath.
   *
   * @throws GuardConfigurationException when it is missing or malformed
   */
  public static StandInScript fromResource(String resource) {
    try (InputStream in = StandInScript.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new GuardConfigurationException(
            "Stand-in script " + resource + " is not on the classpath");
      }
      return parse(OpenAiWire.MAPPER.readTree(in), resource);
    } catch (IOException e) {
      throw new GuardConfigurationException(
          "Cannot read stand-in script " + resource + ": " + e.getMessage(), e);
    }
  }

  /**
   * @throws GuardConfigurationException naming the rule that is malformed
   */
  static StandInScript parse(JsonNode root, String source) {
    JsonNode answers = root.path("answers");
    if (!answers.isArray() || answers.isEmpty()) {
      throw new GuardConfigurationException(source + ": 'answers' must be a non-empty array");
    }
    List<Rule> rules = new ArrayList<>();
    for (JsonNode a : answers) {
      String name = a.path("name").asText("rule-" + rules.size());
      if (!a.has("content") && !a.path("error").isObject()) {
        throw new GuardConfigurationException(
            source + ": answer '" + name + "' needs either 'content' or an 'error' object");
      }
      if (a.has("error") && !a.path("error").path("status").canConvertToInt()) {
        throw new GuardConfigurationException(
            source + ": answer '" + name + "' has an error without a numeric 'status'");
      }
      rules.add(
          new Rule(
              name, a.path("when").asText("").toLowerCase(Locale.ROOT), (ObjectNode) a.deepCopy()));
    }
    return new StandInScript(root.path("model").asText("gpt-4o-2024-08-06"), rules);
  }

  /** The model name the stand-in reports. */
  public String model() {
    return model;
  }

  public List<Rule> rules() {
    return rules;
  }

  /** The first rule matching {@code lastUserText}, or {@code null} when none does. */
  public Rule match(String lastUserText) {
    String lower = lastUserText == null ? "" : lastUserText.toLowerCase(Locale.ROOT);
    for (Rule r : rules) {
      if (r.matches(lower)) {
        return r;
      }
    }
    return null;
  }
}
