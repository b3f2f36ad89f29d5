package dev.llmguard;

import dev.llmguard.spi.Category;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * All findings of one phase and what the policy decided. Immutable.
 *
 * @param phase the phase scanned
 * @param findings every finding, in detector order (also those below their threshold)
 * @param triggered the findings at or above their category's threshold
 * @param action the decided action
 * @param sanitizedText for {@link Action#REDACT}: the text with placeholders, else {@code null}
 */
public record Verdict(
    Phase phase,
    List<Finding> findings,
    List<Finding> triggered,
    Action action,
    String sanitizedText) {

  public Verdict {
    findings = List.copyOf(findings);
    triggered = List.copyOf(triggered);
  }

  /** A verdict with no findings. */
  public static Verdict allow(Phase phase) {
    return new Verdict(phase, List.of(), List.of(), Action.ALLOW, null);
  }

  public boolean isBlocked() {
    return action == Action.BLOCK;
  }

  /** Highest score among findings of {@code category}, 0 when none. */
  public double maxScore(Category category) {
    double max = 0;
    for (Finding f : findings) {
      if (f.category() == category) {
        max = Math.max(max, f.score());
      }
    }
    return max;
  }

  /** Categories of the triggered findings, in first-seen order. */
  public Set<Category> triggeredCategories() {
    Set<Category> out = new LinkedHashSet<>();
    for (Finding f : triggered) {
      out.add(f.category());
    }
    return out;
  }

  /** The triggered finding with the highest score, or {@code null}. */
  public Finding top() {
    Finding best = null;
    for (Finding f : triggered) {
      if (best == null || f.score() > best.score()) {
        best = f;
      }
    }
    return best;
  }

  /** One line for logs and exception messages; never contains detected text. */
  public String summary() {
    if (triggered.isEmpty()) {
      return phase.id() + ": " + action;
    }
    List<String> parts = new ArrayList<>();
    for (Finding f : triggered) {
      parts.add(
          String.format(
              java.util.Locale.ROOT, "%s/%s %.2f", f.detectorId(), f.category().id(), f.score()));
    }
    return phase.id() + ": " + action + " " + parts;
  }
}
