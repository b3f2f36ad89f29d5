package dev.llmguard.detect.leak;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Notices answers that reproduce the system prompt ({@link ScanInput#systemPrompt()}).
 *
 * <p><b>Overlap.</b> Both texts are cut into words (runs of letters and digits, compared
 * case-insensitively, so markdown, punctuation and line breaks do not hide a copy) and into word
 * n-grams of {@code ngram} words. The overlap is the share of the system prompt's distinct n-grams
 * that occur in the answer. The detector reports when the answer's copied region covers at least
 * {@code min-words} words and either the overlap reaches {@code min-overlap} or the copied region
 * alone covers {@code long-leak-words} words (a long system prompt leaked in part). The score grows
 * from 0.7 at {@code min-overlap} to 1.0 for a complete copy; the spans cover the copied regions of
 * the answer.
 *
 * <p><b>Canary.</b> When the application opts in, the guard plants a per-call canary token in the
 * system prompt and passes it as the label {@value #CANARY_LABEL}. Its presence in the answer is
 * reported with score 1.0 and a span over every occurrence, even when nothing else matches.
 *
 * <p><b>Configuration</b> ({@code llmguard.detector.system-prompt-leak.*}):
 *
 * <ul>
 *   <li>{@code min-overlap} — share of the system prompt's n-grams, in (0, 1], default {@value
 *       #DEFAULT_MIN_OVERLAP};
 *   <li>{@code ngram} — words per n-gram, 2–32, default {@value #DEFAULT_NGRAM};
 *   <li>{@code min-words} — fewest copied words worth a report, default {@value
 *       #DEFAULT_MIN_WORDS};
 *   <li>{@code long-leak-words} — copied words that are reported whatever the share, default
 *       {@value #DEFAULT_LONG_LEAK_WORDS}.
 * </ul>
 *
 * <p>Thread-safe: the only state is a single-entry cache of the last system prompt's n-grams,
 * replaced atomically; runs in the {@link Phase#RESPONSE} phase. Cost is linear in the length of
 * the answer plus, on a cache miss, of the system prompt.
 */
public final class SystemPromptLeakDetector implements Detector {

  /** The detector id and configuration name. */
  public static final String ID = "system-prompt-leak";

  /** The label under which the guard passes the per-call canary token. */
  public static final String CANARY_LABEL = "llmguard.canary";

  public static final double DEFAULT_MIN_OVERLAP = 0.3;
  public static final int DEFAULT_NGRAM = 5;
  public static final int DEFAULT_MIN_WORDS = 10;
  public static final int DEFAULT_LONG_LEAK_WORDS = 30;

  /** Canary tokens shorter than this are ignored: they would match ordinary text. */
  static final int MIN_CANARY_LENGTH = 6;

  private final double minOverlap;
  private final int ngram;
  private final int minWords;
  private final int longLeakWords;

  /** The n-grams of the most recent system prompt; system prompts rarely change between calls. */
  private volatile CachedPrompt cache;

  private record CachedPrompt(String systemPrompt, WordShingles shingles) {}

  private SystemPromptLeakDetector(double minOverlap, int ngram, int minWords, int longLeakWords) {
    this.minOverlap = minOverlap;
    this.ngram = ngram;
    this.minWords = minWords;
    this.longLeakWords = longLeakWords;
  }

  /**
   * Creates the detector from its configuration.
   *
   * @throws GuardConfigurationException when a key holds a malformed or out-of-range value
   */
  public static SystemPromptLeakDetector create(DetectorConfig config) {
    double minOverlap = config.getDouble("min-overlap", DEFAULT_MIN_OVERLAP);
    if (!(minOverlap > 0.0 && minOverlap <= 1.0)) {
      throw new GuardConfigurationException(
          config.fullKey("min-overlap") + " must be in (0, 1] but was " + minOverlap);
    }
    int ngram = config.getInt("ngram", DEFAULT_NGRAM);
    if (ngram < 2 || ngram > 32) {
      throw new GuardConfigurationException(
          config.fullKey("ngram") + " must be between 2 and 32 but was " + ngram);
    }
    int minWords = config.getInt("min-words", DEFAULT_MIN_WORDS);
    if (minWords < 1) {
      throw new GuardConfigurationException(
          config.fullKey("min-words") + " must be at least 1 but was " + minWords);
    }
    int longLeak = config.getInt("long-leak-words", DEFAULT_LONG_LEAK_WORDS);
    if (longLeak < 1) {
      throw new GuardConfigurationException(
          config.fullKey("long-leak-words") + " must be at least 1 but was " + longLeak);
    }
    return new SystemPromptLeakDetector(minOverlap, ngram, minWords, longLeak);
  }

  @Override
  public String id() {
    return ID;
  }

  private static final Set<Phase> PHASES = Set.of(Phase.RESPONSE);

  @Override
  public Set<Phase> phases() {
    return PHASES;
  }

  @Override
  public List<Finding> detect(ScanInput input) {
    String text = input.text();
    if (text.isEmpty()) {
      return List.of();
    }
    Finding canary = findCanary(text, input.labels().get(CANARY_LABEL));
    Finding overlap = findOverlap(text, input.systemPrompt());
    if (canary == null) {
      return overlap == null ? List.of() : List.of(overlap);
    }
    return overlap == null ? List.of(canary) : List.of(canary, overlap);
  }

  private static Finding findCanary(String text, String canary) {
    if (canary == null || canary.isBlank() || canary.strip().length() < MIN_CANARY_LENGTH) {
      return null;
    }
    String token = canary.strip();
    int at = text.indexOf(token);
    if (at < 0) {
      return null;
    }
    Finding.Builder b =
        Finding.builder(ID, Category.SYSTEM_PROMPT_LEAKAGE)
            .score(1.0)
            .confidence(Confidence.HIGH)
            .message("answer contains the system prompt's canary token")
            .metadata("kind", "canary");
    while (at >= 0) {
      b.span(at, at + token.length());
      at = text.indexOf(token, at + token.length());
    }
    return b.build();
  }

  private Finding findOverlap(String text, String systemPrompt) {
    if (systemPrompt.isBlank()) {
      return null;
    }
    WordShingles sys = shinglesOf(systemPrompt);
    if (sys.size() == 0) {
      return null;
    }
    WordShingles.WordCursor words = new WordShingles.WordCursor(text);
    WordShingles.Rolling rolling = new WordShingles.Rolling(ngram);
    int[] starts = new int[ngram]; // ring of the start offsets of the last n words
    int ringPos = 0;
    long[] hit = null;
    List<Span> spans = null;
    int spanStart = -1;
    int spanEnd = -1;
    int lastCovered = -1;
    int covered = 0;
    int seen = 0;
    while (words.next()) {
      long h = rolling.push(words.hash());
      starts[ringPos] = words.start();
      ringPos = ringPos + 1 == ngram ? 0 : ringPos + 1; // now the oldest of the last n words
      seen++;
      if (seen < ngram) {
        continue;
      }
      int slot = sys.slotOf(h);
      if (slot < 0) {
        continue;
      }
      if (hit == null) {
        hit = new long[(sys.capacity() + 63) >>> 6];
        spans = new ArrayList<>();
      }
      hit[slot >>> 6] |= 1L << slot;
      int first = seen - ngram;
      covered += (seen - 1) - Math.max(lastCovered, first - 1);
      lastCovered = seen - 1;
      int start = starts[ringPos];
      if (spanStart >= 0 && start <= spanEnd) {
        spanEnd = words.end();
      } else {
        if (spanStart >= 0) {
          spans.add(new Span(spanStart, spanEnd));
        }
        spanStart = start;
        spanEnd = words.end();
      }
    }
    if (hit == null) {
      return null;
    }
    spans.add(new Span(spanStart, spanEnd));
    int matched = 0;
    for (long bits : hit) {
      matched += Long.bitCount(bits);
    }
    double share = (double) matched / sys.size();
    boolean substantial = share >= minOverlap || covered >= longLeakWords;
    if (covered < minWords || !substantial) {
      return null;
    }
    double score =
        share >= minOverlap
            ? (minOverlap >= 1.0 ? 1.0 : 0.7 + 0.3 * (share - minOverlap) / (1.0 - minOverlap))
            : 0.7;
    score = Math.min(1.0, Math.round(score * 1000) / 1000.0);
    return Finding.builder(ID, Category.SYSTEM_PROMPT_LEAKAGE)
        .score(score)
        .confidence(
            share >= 0.6 || covered >= 2 * longLeakWords ? Confidence.HIGH : Confidence.MEDIUM)
        .spans(spans)
        .message(
            String.format(
                Locale.ROOT,
                "answer reproduces %.0f%% of the system prompt (%d words copied)",
                share * 100,
                covered))
        .metadata("kind", "overlap")
        .metadata("overlap", String.format(Locale.ROOT, "%.3f", share))
        .metadata("copied_words", Integer.toString(covered))
        .metadata("ngram", Integer.toString(ngram))
        .build();
  }

  private WordShingles shinglesOf(String systemPrompt) {
    CachedPrompt c = cache;
    if (c != null && c.systemPrompt().equals(systemPrompt)) {
      return c.shingles();
    }
    WordShingles s = WordShingles.of(systemPrompt, ngram);
    cache = new CachedPrompt(systemPrompt, s);
    return s;
  }
}
