package dev.llmguard.detect.custom;

import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reports text the application banned: a list of substrings, matched as whole words (the default)
 * or anywhere, case-insensitively unless configured otherwise. One finding per banned entry found,
 * category {@link Category#POLICY}, spans on every occurrence so the redact policy can replace
 * them; with an empty list it reports nothing.
 *
 * <pre>{@code
 * Detector d = new BannedSubstringsDetectorProvider().create(DetectorConfig.of(
 *     "banned-substrings", Map.of("substrings", "Project Falcon,internal only", "match", "word")));
 * }</pre>
 *
 * <p>Case folding is per char ({@link Character#toLowerCase(char)}), so spans in the folded text
 * are spans in the original. Cost: one {@code indexOf} pass per entry. Immutable and thread-safe.
 */
public final class BannedSubstringsDetector implements Detector {
  /** The detector id, {@value}. */
  public static final String ID = "banned-substrings";

  /** Most spans reported per entry. */
  public static final int MAX_SPANS = 1000;

  private static final Set<Phase> PHASES = Set.of(Phase.PROMPT, Phase.RESPONSE);

  private final List<String> entries;
  private final List<String> needles;
  private final MatchMode mode;
  private final boolean caseSensitive;
  private final double score;

  BannedSubstringsDetector(
      List<String> entries, MatchMode mode, boolean caseSensitive, double score) {
    this.entries = List.copyOf(entries);
    List<String> n = new ArrayList<>();
    for (String e : entries) {
      n.add(caseSensitive ? e : fold(e));
    }
    this.needles = List.copyOf(n);
    this.mode = mode;
    this.caseSensitive = caseSensitive;
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

  /** The configured entries, as given. */
  public List<String> substrings() {
    return entries;
  }

  @Override
  public List<Finding> detect(ScanInput input) {
    if (needles.isEmpty() || input.text().isEmpty()) {
      return List.of();
    }
    String text = caseSensitive ? input.text() : fold(input.text());
    List<Finding> out = new ArrayList<>();
    for (int k = 0; k < needles.size(); k++) {
      String needle = needles.get(k);
      List<Span> spans = new ArrayList<>();
      int from = 0;
      int at;
      while (spans.size() < MAX_SPANS && (at = text.indexOf(needle, from)) >= 0) {
        int end = at + needle.length();
        if (mode.accepts(text, at, end)) {
          spans.add(new Span(at, end));
          from = end;
        } else {
          from = at + 1;
        }
      }
      if (!spans.isEmpty()) {
        out.add(
            Finding.builder(ID, Category.POLICY)
                .score(score)
                .confidence(Confidence.HIGH)
                .spans(spans)
                .message("banned text (entry " + (k + 1) + " of the list)")
                .entity("BANNED")
                .metadata("entry", Integer.toString(k + 1))
                .metadata("count", Integer.toString(spans.size()))
                .build());
      }
    }
    return out.isEmpty() ? List.of() : List.copyOf(out);
  }

  /** Lower-cases char by char, keeping every offset. */
  static String fold(String s) {
    char[] c = s.toCharArray();
    for (int i = 0; i < c.length; i++) {
      c[i] = Character.toLowerCase(c[i]);
    }
    return new String(c);
  }
}
