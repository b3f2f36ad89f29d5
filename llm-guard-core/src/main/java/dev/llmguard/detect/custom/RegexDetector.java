package dev.llmguard.detect.custom;

import dev.llmguard.DetectorException;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reports matches of the application's own regular expressions, one finding per pattern that
 * matched, category {@link Category#POLICY}, entity the pattern's name in upper case (so the redact
 * policy writes {@code [EMPLOYEE_ID_1]}), spans on every match. With no patterns it reports
 * nothing.
 *
 * <p>Patterns are compiled once, when the detector is created. Because they come from configuration
 * they may backtrack catastrophically; every scan therefore gets a budget of char reads ({@value
 * #BUDGET_PER_CHAR} per char of text per pattern, plus a constant) and throws {@link
 * DetectorException} when a pattern spends it, which the guard reports as a {@code detector_error}
 * finding instead of hanging. Immutable and thread-safe.
 */
public final class RegexDetector implements Detector {
  /** The detector id, {@value}. */
  public static final String ID = "regex";

  /** Char reads allowed per char of text and pattern. */
  public static final int BUDGET_PER_CHAR = 64;

  /** Most spans reported per pattern. */
  public static final int MAX_SPANS = 1000;

  private static final Set<Phase> PHASES = Set.of(Phase.PROMPT, Phase.RESPONSE);

  /** A named, compiled pattern. */
  record Named(String name, Pattern pattern) {}

  private final List<Named> patterns;
  private final double score;

  RegexDetector(List<Named> patterns, double score) {
    this.patterns = List.copyOf(patterns);
    this.score = score;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Phase> phases() {
    return PHASES;
  }

  /** The configured pattern names, in order. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    for (Named n : patterns) {
      out.add(n.name());
    }
    return List.copyOf(out);
  }

  @Override
  public List<Finding> detect(ScanInput input) {
    String t = input.text();
    if (patterns.isEmpty() || t.isEmpty()) {
      return List.of();
    }
    List<Finding> out = new ArrayList<>();
    for (Named named : patterns) {
      BudgetedText view = new BudgetedText(t, (long) BUDGET_PER_CHAR * t.length() + 100_000);
      List<Span> spans = new ArrayList<>();
      try {
        Matcher m = named.pattern().matcher(view);
        while (spans.size() < MAX_SPANS && m.find()) {
          if (m.end() > m.start()) {
            spans.add(new Span(m.start(), m.end()));
          }
        }
      } catch (BudgetedText.Exhausted e) {
        throw new DetectorException(
            ID,
            "pattern '"
                + named.name()
                + "' exceeded its matching budget (catastrophic backtracking?)",
            null);
      } catch (StackOverflowError e) {
        throw new DetectorException(
            ID, "pattern '" + named.name() + "' overflowed the stack", null);
      }
      if (!spans.isEmpty()) {
        out.add(
            Finding.builder(ID, Category.POLICY)
                .score(score)
                .confidence(Confidence.HIGH)
                .spans(spans)
                .message("matched pattern '" + named.name() + "'")
                .entity(named.name().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_"))
                .metadata("pattern", named.name())
                .metadata("count", Integer.toString(spans.size()))
                .build());
      }
    }
    return out.isEmpty() ? List.of() : List.copyOf(out);
  }
}
