package dev.llmguard.spi;

import java.util.List;
import java.util.Set;

/**
 * Looks at one text and reports what it finds.
 *
 * <p><b>Contract.</b> Implementations are shared by all threads and must be thread-safe; {@link
 * #detect} must be side-effect free, do no network I/O, never return {@code null}, and treat any
 * text (empty, megabytes long, unpaired surrogates) as valid input. A detector that needs a model
 * loads it once, when its {@link DetectorProvider} creates it. Span offsets refer to {@link
 * ScanInput#text()}. A detector may throw; the guard turns that into a {@code detector_error}
 * finding and goes on (fail-open) unless the policy is fail-closed.
 *
 * <pre>{@code
 * final class ShoutingDetector implements Detector {
 *   public String id() { return "shouting"; }
 *   public Set<Phase> phases() { return Set.of(Phase.PROMPT); }
 *   public List<Finding> detect(ScanInput in) {
 *     return in.text().equals(in.text().toUpperCase()) && !in.text().isBlank()
 *         ? List.of(Finding.builder(id(), Category.CUSTOM).score(0.6).message("all caps").build())
 *         : List.of();
 *   }
 * }
 * }</pre>
 */
public interface Detector {

  /** Stable id, the configuration name ({@code prompt-injection}); lower-case, no spaces. */
  String id();

  /** The phases this detector runs in. */
  Set<Phase> phases();

  /** Scans {@code input}; returns an immutable, possibly empty list, never {@code null}. */
  List<Finding> detect(ScanInput input);
}
