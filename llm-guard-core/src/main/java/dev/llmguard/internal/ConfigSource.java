package dev.llmguard.internal;

import dev.llmguard.GuardConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * External settings, lowest precedence first: {@code llm-guard.properties} on the classpath, then
 * {@code LLMGUARD_*} environment variables, then {@code -Dllmguard.*} system properties. Builder
 * calls override all of them. Keys are {@code llmguard.*}; the environment name of a key is the key
 * upper-cased with {@code .} and {@code -} turned into {@code _}.
 */
public final class ConfigSource {
  public static final String RESOURCE = "llm-guard.properties";

  private final Map<String, String> file;
  private final Map<String, String> env;
  private final Map<String, String> system;

  public ConfigSource(Map<String, String> file, Map<String, String> env) {
    this(file, env, Map.of());
  }

  public ConfigSource(
      Map<String, String> file, Map<String, String> env, Map<String, String> system) {
    this.file = new TreeMap<>(file);
    this.env = Map.copyOf(env);
    this.system = new TreeMap<>(system);
  }

  /** No external settings at all (tests, or applications that configure only in code). */
  public static ConfigSource empty() {
    return new ConfigSource(Map.of(), Map.of());
  }

  /** The classpath file, the process environment and the system properties. */
  public static ConfigSource load(ClassLoader loader) {
    Map<String, String> props = new HashMap<>();
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        Properties p = new Properties();
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
          p.load(r);
        }
        p.stringPropertyNames().forEach(k -> props.put(k.trim(), p.getProperty(k)));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new GuardConfigurationException(
          "Cannot read " + RESOURCE + " from the classpath: " + e.getMessage(), e);
    }
    Map<String, String> sys = new HashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("llmguard.")) {
        sys.put(name, System.getProperty(name));
      }
    }
    return new ConfigSource(props, System.getenv(), sys);
  }

  /** The environment variable that sets {@code key}. */
  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Value of {@code key}: system property, else environment, else file; {@code null} if unset. */
  public String get(String key) {
    String v = system.get(key);
    if (v == null) {
      v = env.get(envName(key));
    }
    if (v == null) {
      v = file.get(key);
    }
    return v == null || v.isBlank() ? null : v.trim();
  }

  /**
   * Every setting under {@code prefix} (e.g. {@code llmguard.detector.pii.}), keys relative to it.
   * Environment variables {@code <ENV PREFIX><KEY>} are included with the key lower-cased and
   * {@code _} read as {@code -}.
   */
  public Map<String, String> subset(String prefix) {
    Map<String, String> out = new TreeMap<>();
    copy(file, prefix, out);
    String envPrefix = envName(prefix);
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith(envPrefix) && e.getKey().length() > envPrefix.length()) {
        String key =
            e.getKey().substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '-');
        out.put(key, e.getValue());
      }
    }
    copy(system, prefix, out);
    return out;
  }

  private static void copy(Map<String, String> from, String prefix, Map<String, String> to) {
    for (Map.Entry<String, String> e : from.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        to.put(e.getKey().substring(prefix.length()), e.getValue());
      }
    }
  }

  public Map<String, String> env() {
    return env;
  }
}
