package dev.llmguard.cli;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Loads detectors through {@link ServiceLoader}, selects them by id and configures them. */
public final class DetectorSet {

  private DetectorSet() {}

  /**
   * Discovers every {@link DetectorProvider} on the class path and creates the selected detectors.
   *
   * @param selected ids to keep, in any order; empty for all
   * @param settings {@code id.key=value} settings, passed to each detector's config
   * @param warnings receives one line per provider that failed to load
   * @throws GuardConfigurationException when an id is unknown (naming the known ones) or a setting
   *     is invalid
   */
  public static List<Detector> load(
      List<String> selected, Map<String, String> settings, List<String> warnings) {
    Map<String, DetectorProvider> providers = new TreeMap<>();
    ServiceLoader<DetectorProvider> loader = ServiceLoader.load(DetectorProvider.class);
    var it = loader.iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        DetectorProvider p = it.next();
        providers.putIfAbsent(p.id(), p);
      } catch (ServiceConfigurationError e) {
        warnings.add("skipping a detector provider that failed to load: " + e.getMessage());
      }
    }
    List<DetectorProvider> chosen = new ArrayList<>();
    if (selected.isEmpty()) {
      chosen.addAll(providers.values());
    } else {
      for (String id : selected) {
        DetectorProvider p = providers.get(id.trim());
        if (p == null) {
          throw new GuardConfigurationException(
              "Unknown detector '"
                  + id
                  + "'; available: "
                  + String.join(", ", providers.keySet())
                  + " (a detector from another module needs that module on the class path)");
        }
        if (!chosen.contains(p)) {
          chosen.add(p);
        }
      }
    }
    chosen.sort(
        Comparator.comparingInt(DetectorProvider::order).thenComparing(DetectorProvider::id));
    List<Detector> out = new ArrayList<>();
    for (DetectorProvider p : chosen) {
      out.add(p.create(DetectorConfig.of(p.id(), settingsFor(p.id(), settings))));
    }
    return List.copyOf(out);
  }

  /** Parses {@code id.key=value} strings into a map keyed {@code id.key}. */
  public static Map<String, String> parseSettings(List<String> raw) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String s : raw) {
      int eq = s.indexOf('=');
      int dot = s.indexOf('.');
      if (eq < 0 || dot < 0 || dot > eq) {
        throw new GuardConfigurationException(
            "Invalid setting '" + s + "': expected <detector-id>.<key>=<value>");
      }
      out.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
    }
    return out;
  }

  private static Map<String, String> settingsFor(String id, Map<String, String> settings) {
    Map<String, String> out = new LinkedHashMap<>();
    String prefix = id + ".";
    settings.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }
}
