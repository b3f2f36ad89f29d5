package dev.llmguard.spi;

import dev.llmguard.GuardConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Read-only, typed view of the settings of one component (detector or sink). Keys are relative to
 * the component: the property {@code llmguard.detector.token-limit.max-tokens} reaches the {@code
 * token-limit} detector as {@code max-tokens}. Immutable and thread-safe. Every getter that finds a
 * malformed value throws {@link GuardConfigurationException} naming the full property key.
 */
public abstract class ComponentConfig {
  private final String prefix;
  private final Map<String, String> values;

  protected ComponentConfig(String prefix, Map<String, String> values) {
    this.prefix = prefix;
    this.values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /** All settings of this component, keys without the prefix. */
  public Map<String, String> asMap() {
    return values;
  }

  public Optional<String> get(String key) {
    String v = values.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  public String getString(String key, String defaultValue) {
    return get(key).orElse(defaultValue);
  }

  public int getInt(String key, int defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw invalid(key, v.get(), "an integer");
    }
  }

  public long getLong(String key, long defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(v.get());
    } catch (NumberFormatException e) {
      throw invalid(key, v.get(), "an integer");
    }
  }

  public double getDouble(String key, double defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(v.get());
    } catch (NumberFormatException e) {
      throw invalid(key, v.get(), "a number");
    }
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true":
      case "yes":
      case "on":
        return true;
      case "false":
      case "no":
      case "off":
        return false;
      default:
        throw invalid(key, v.get(), "true or false");
    }
  }

  /**
   * A duration as ISO-8601 ({@code PT0.5S}) or a number with unit {@code ms}, {@code s}, {@code m}.
   */
  public Duration getDuration(String key, Duration defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    return parseDuration(fullKey(key), v.get());
  }

  /** A comma-separated list; empty elements are dropped. */
  public List<String> getList(String key) {
    Optional<String> v = get(key);
    List<String> out = new ArrayList<>();
    if (v.isPresent()) {
      for (String part : v.get().split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return List.copyOf(out);
  }

  /** The full property name of {@code key}, for error messages. */
  public String fullKey(String key) {
    return prefix + key;
  }

  protected GuardConfigurationException invalid(String key, String value, String expected) {
    return new GuardConfigurationException(
        "Invalid value '" + value + "' for " + fullKey(key) + ": expected " + expected);
  }

  /** Parses {@code 250ms}, {@code 2s}, {@code 1m} or ISO-8601; used for every duration setting. */
  public static Duration parseDuration(String key, String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(text.trim());
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      return Duration.ofMillis(Long.parseLong(t));
    } catch (RuntimeException e) {
      throw new GuardConfigurationException(
          "Invalid duration '" + text + "' for " + key + ": expected e.g. 250ms, 2s, 1m or PT0.5S");
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + prefix + "*=" + values.keySet() + "}";
  }
}
