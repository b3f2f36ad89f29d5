package dev.llmguard.detect.custom;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Creates the {@code regex} detector. Settings (prefix {@code llmguard.detector.regex.}):
 *
 * <ul>
 *   <li>{@code patterns} — comma-separated regular expressions (Java syntax); a comma inside {@code
 *       {…}}, {@code […]} or {@code (…)}, or escaped as {@code \,}, does not split. Default none
 *       (the detector reports nothing).
 *   <li>{@code names} — comma-separated names for {@code patterns}, in the same order; default
 *       {@code pattern-1}, {@code pattern-2}, …
 *   <li>{@code pattern.<name>} — one more pattern per key, named by the key; any regex.
 *   <li>{@code case-sensitive} — default {@code true}.
 *   <li>{@code score} — score of a finding, 0..1; default {@value #DEFAULT_SCORE}.
 * </ul>
 *
 * A pattern that does not compile is rejected with a {@link GuardConfigurationException} naming its
 * key.
 */
public final class RegexDetectorProvider implements DetectorProvider {
  public static final double DEFAULT_SCORE = 0.8;

  @Override
  public String id() {
    return RegexDetector.ID;
  }

  @Override
  public Detector create(DetectorConfig config) {
    int flags =
        config.getBoolean("case-sensitive", true)
            ? 0
            : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    List<RegexDetector.Named> out = new ArrayList<>();
    List<String> sources =
        config.get("patterns").map(RegexDetectorProvider::split).orElse(List.of());
    List<String> names = config.getList("names");
    if (!names.isEmpty() && names.size() != sources.size()) {
      throw new GuardConfigurationException(
          "Invalid value for "
              + config.fullKey("names")
              + ": "
              + names.size()
              + " names for "
              + sources.size()
              + " patterns");
    }
    for (int i = 0; i < sources.size(); i++) {
      String name = names.isEmpty() ? "pattern-" + (i + 1) : names.get(i);
      out.add(
          new RegexDetector.Named(
              name, compile(sources.get(i), flags, config.fullKey("patterns"))));
    }
    for (Map.Entry<String, String> e : config.asMap().entrySet()) {
      if (e.getKey().startsWith("pattern.") && !e.getValue().isBlank()) {
        String name = e.getKey().substring("pattern.".length());
        if (name.isEmpty()) {
          throw new GuardConfigurationException(
              "Invalid key " + config.fullKey(e.getKey()) + ": expected pattern.<name>");
        }
        out.add(
            new RegexDetector.Named(
                name, compile(e.getValue(), flags, config.fullKey(e.getKey()))));
      }
    }
    return new RegexDetector(out, Scores.score(config, DEFAULT_SCORE));
  }

  private static Pattern compile(String regex, int flags, String key) {
    try {
      return Pattern.compile(regex, flags);
    } catch (PatternSyntaxException e) {
      throw new GuardConfigurationException(
          "Invalid regular expression for "
              + key
              + ": "
              + e.getDescription()
              + " near index "
              + e.getIndex()
              + " in '"
              + regex
              + "'",
          e);
    }
  }

  /** Splits on commas outside brackets and not escaped. */
  static List<String> split(String value) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int depth = 0;
    boolean inClass = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        char next = value.charAt(i + 1);
        if (next == ',') {
          cur.append(',');
        } else {
          cur.append(c).append(next);
        }
        i++;
        continue;
      }
      if (inClass) {
        if (c == ']') {
          inClass = false;
        }
      } else if (c == '[') {
        inClass = true;
      } else if (c == '(' || c == '{') {
        depth++;
      } else if ((c == ')' || c == '}') && depth > 0) {
        depth--;
      } else if (c == ',' && depth == 0) {
        add(out, cur);
        continue;
      }
      cur.append(c);
    }
    add(out, cur);
    return List.copyOf(out);
  }

  private static void add(List<String> out, StringBuilder cur) {
    String s = cur.toString().trim();
    if (!s.isEmpty()) {
      out.add(s);
    }
    cur.setLength(0);
  }
}
