package dev.llmguard;

import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@link DetectorProvider}s with {@link ServiceLoader} and creates detectors from them.
 *
 * <p>A provider that cannot be loaded is reported (logged and listed in {@link
 * Discovery#problems()}) and skipped; it never takes the others down. Order is deterministic:
 * {@link DetectorProvider#order()}, then id.
 *
 * <pre>{@code
 * Detectors.Discovery found = Detectors.discover(Thread.currentThread().getContextClassLoader());
 * found.providers().keySet(); // [exfiltration, invisible-text, pii, prompt-injection, ...]
 * }</pre>
 */
public final class Detectors {
  private static final Logger LOG = LoggerFactory.getLogger(Detectors.class);

  /** Detector ids that ship outside {@code llm-guard-core}, and the artifact that has them. */
  private static final Map<String, String> KNOWN_ARTIFACTS =
      Map.of(
          "ml-prompt-injection", "dev.llmguard:llm-guard-ml",
          "ml-toxicity", "dev.llmguard:llm-guard-ml");

  private Detectors() {}

  /** What discovery found. */
  public record Discovery(Map<String, DetectorProvider> providers, List<String> problems) {}

  /** Loads every provider visible to {@code loader}, sorted by order then id. */
  public static Discovery discover(ClassLoader loader) {
    List<DetectorProvider> found = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Iterator<DetectorProvider> it = ServiceLoader.load(DetectorProvider.class, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        String msg = "Skipping a broken detector provider: " + e.getMessage();
        LOG.error(msg, e);
        problems.add(msg);
      }
    }
    found.sort(
        Comparator.comparingInt(DetectorProvider::order).thenComparing(DetectorProvider::id));
    Map<String, DetectorProvider> byId = new LinkedHashMap<>();
    for (DetectorProvider p : found) {
      DetectorProvider previous = byId.putIfAbsent(p.id(), p);
      if (previous != null) {
        String msg =
            "Two detector providers claim id '"
                + p.id()
                + "': "
                + previous.getClass().getName()
                + " (used) and "
                + p.getClass().getName()
                + " (ignored)";
        LOG.warn(msg);
        problems.add(msg);
      }
    }
    return new Discovery(byId, List.copyOf(problems));
  }

  /**
   * Creates detectors from discovered providers.
   *
   * @param discovery what {@link #discover} found
   * @param selected ids to use, in any order; {@code null} or empty means every discovered one
   * @param disabled ids to leave out
   * @param configs settings per detector id
   * @throws GuardConfigurationException when a selected id has no provider (naming the artifact to
   *     add), or when a selected provider fails to create its detector
   */
  public static List<Detector> create(
      Discovery discovery,
      List<String> selected,
      List<String> disabled,
      Function<String, DetectorConfig> configs) {
    boolean explicit = selected != null && !selected.isEmpty();
    List<DetectorProvider> chosen = new ArrayList<>();
    if (explicit) {
      for (String id : selected) {
        DetectorProvider p = discovery.providers().get(id);
        if (p == null) {
          throw unknown(id, discovery);
        }
        if (!chosen.contains(p)) {
          chosen.add(p);
        }
      }
      chosen.sort(
          Comparator.comparingInt(DetectorProvider::order).thenComparing(DetectorProvider::id));
    } else {
      chosen.addAll(discovery.providers().values());
    }
    List<Detector> out = new ArrayList<>();
    for (DetectorProvider p : chosen) {
      if (disabled != null && disabled.contains(p.id())) {
        continue;
      }
      try {
        Detector d = p.create(configs.apply(p.id()));
        if (d == null || !p.id().equals(d.id())) {
          throw new GuardConfigurationException(
              "Detector provider "
                  + p.getClass().getName()
                  + " (id '"
                  + p.id()
                  + "') created "
                  + (d == null ? "null" : "a detector with id '" + d.id() + "'"));
        }
        out.add(d);
      } catch (GuardConfigurationException e) {
        throw e;
      } catch (RuntimeException | LinkageError e) {
        String msg =
            "Detector provider '"
                + p.id()
                + "' ("
                + p.getClass().getName()
                + ") failed to create its detector: "
                + e;
        if (explicit) {
          throw new GuardConfigurationException(msg, e);
        }
        LOG.error(msg + "; continuing without it", e);
      }
    }
    return out;
  }

  static GuardConfigurationException unknown(String id, Discovery discovery) {
    String artifact = KNOWN_ARTIFACTS.get(id);
    String hint =
        artifact != null
            ? "add the artifact " + artifact + " to the classpath"
            : "add the artifact that provides it (a jar registering a dev.llmguard.spi.DetectorProvider with id '"
                + id
                + "' in META-INF/services/dev.llmguard.spi.DetectorProvider) to the classpath";
    return new GuardConfigurationException(
        "Unknown detector '"
            + id
            + "': "
            + hint
            + ". Detectors found: "
            + discovery.providers().keySet());
  }
}
