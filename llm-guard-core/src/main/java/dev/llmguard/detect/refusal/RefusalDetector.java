package dev.llmguard.detect.refusal;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.detect.refusal.RefusalRules.Family;
import dev.llmguard.detect.refusal.RefusalRules.Rule;
import dev.llmguard.detect.text.TextNormalizer;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * Recognises answers in which the model refused ("I can't help with that", "I'm sorry, but I
 * cannot…", "As an AI language model…", "this goes against my guidelines") in English, German,
 * French, Spanish, Italian and Portuguese.
 *
 * <p><b>Scoring.</b> Each phrase family found (decline, policy, apology, AI identity) adds
 * evidence; the score is the noisy-or of the strongest match of every family, so "I'm sorry, but I
 * can't help with that." scores higher than "I can't help with that." and an apology alone scores
 * below the default {@value #DEFAULT_MIN_SCORE} reporting threshold. Matches after the first
 * {@value #DEFAULT_OPENING_CHARS} characters (the opening) weigh {@value #LATE_FACTOR} of their
 * value: a refusal opens an answer, while "cannot" in the middle of ordinary prose does not make
 * one. Only the first {@code head-chars} characters are scanned, so the cost is bounded whatever
 * the length of the answer. The finding's score is what the event records as {@code
 * gen_ai.security.refusal_score}.
 *
 * <p><b>Configuration</b> ({@code llmguard.detector.refusal.*}):
 *
 * <ul>
 *   <li>{@code min-score} — report only at or above this score, default {@value
 *       #DEFAULT_MIN_SCORE};
 *   <li>{@code head-chars} — how many leading characters to scan, default {@value
 *       #DEFAULT_HEAD_CHARS}; {@code 0} scans the whole answer;
 *   <li>{@code opening-chars} — the opening where matches weigh fully, default {@value
 *       #DEFAULT_OPENING_CHARS};
 *   <li>{@code languages} — comma-separated subset of {@code en,de,fr,es,it,pt}, default all.
 * </ul>
 *
 * <p>Thread-safe and stateless after creation (each thread reuses its own regex matchers, which
 * hold its last text until its next scan when that text is at most {@link #RELEASE_ABOVE} chars);
 * runs only in the {@link Phase#RESPONSE} phase.
 *
 * <pre>{@code
 * Detector refusal = new RefusalDetectorProvider().create(DetectorConfig.empty("refusal"));
 * List<Finding> f = refusal.detect(ScanInput.of(Phase.RESPONSE, "I'm sorry, but I can't help."));
 * // f.get(0).score() ≈ 0.94
 * }</pre>
 */
public final class RefusalDetector implements Detector {

  /** The detector id and configuration name. */
  public static final String ID = "refusal";

  public static final double DEFAULT_MIN_SCORE = 0.5;
  public static final int DEFAULT_HEAD_CHARS = 1500;
  public static final int DEFAULT_OPENING_CHARS = 200;
  public static final double LATE_FACTOR = 0.8;

  /** Longest word read as a whole; longer runs of letters are cut (no trigger is that long). */
  private static final int MAX_WORD = 64;

  /** The languages the built-in phrase lists cover. */
  public static final Set<String> LANGUAGES = Set.of("en", "de", "fr", "es", "it", "pt");

  private final double minScore;
  private final int headChars;
  private final int openingChars;
  private final List<Rule> rules;
  private final TriggerTable triggers;

  /**
   * Each thread's matchers, one per rule, made on first use and reused by later scans (a matcher
   * holds group arrays; making them per scan cost most of what a scan allocated). Released from the
   * scanned text at the end of each scan, so no text outlives its scan.
   */
  private final ThreadLocal<Matchers> threadMatchers;

  private RefusalDetector(double minScore, int headChars, int openingChars, Set<String> languages) {
    this.minScore = minScore;
    this.headChars = headChars;
    this.openingChars = openingChars;
    List<Rule> selected = new ArrayList<>();
    for (Rule r : RefusalRules.RULES) {
      if (languages.contains(r.language())) {
        selected.add(r);
      }
    }
    this.rules = List.copyOf(selected);
    this.triggers = new TriggerTable(rules);
    int ruleCount = rules.size();
    this.threadMatchers = ThreadLocal.withInitial(() -> new Matchers(ruleCount));
  }

  /**
   * Creates the detector from its configuration.
   *
   * @throws GuardConfigurationException when a key holds a malformed or out-of-range value
   */
  public static RefusalDetector create(DetectorConfig config) {
    double minScore = config.getDouble("min-score", DEFAULT_MIN_SCORE);
    if (!(minScore >= 0.0 && minScore <= 1.0)) {
      throw new GuardConfigurationException(
          config.fullKey("min-score") + " must be between 0 and 1 but was " + minScore);
    }
    int head = config.getInt("head-chars", DEFAULT_HEAD_CHARS);
    if (head < 0) {
      throw new GuardConfigurationException(
          config.fullKey("head-chars") + " must be 0 (whole answer) or positive but was " + head);
    }
    int opening = config.getInt("opening-chars", DEFAULT_OPENING_CHARS);
    if (opening < 0) {
      throw new GuardConfigurationException(
          config.fullKey("opening-chars") + " must not be negative but was " + opening);
    }
    Set<String> languages = new TreeSet<>();
    List<String> configured = config.getList("languages");
    for (String lang : configured.isEmpty() ? LANGUAGES : configured) {
      String l = lang.toLowerCase(Locale.ROOT);
      if (!LANGUAGES.contains(l)) {
        throw new GuardConfigurationException(
            config.fullKey("languages")
                + " contains unknown language '"
                + lang
                + "'; expected some of "
                + new TreeSet<>(LANGUAGES));
      }
      languages.add(l);
    }
    return new RefusalDetector(minScore, head, opening, languages);
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
    Matchers matchers = threadMatchers.get();
    Evidence evidence;
    try {
      evidence = scan(text, matchers);
    } finally {
      matchers.release(text.length() > RELEASE_ABOVE);
    }
    if (evidence == null) {
      return List.of();
    }
    double score = evidence.score();
    if (score < minScore || score == 0.0) {
      return List.of();
    }
    return List.of(evidence.toFinding(score));
  }

  private Evidence scan(String text, Matchers matchers) {
    int limit = headChars == 0 ? text.length() : Math.min(text.length(), headChars);
    Evidence evidence = null;
    int prevStart = -1;
    int prevEnd = -1;
    int prevHash = 0;
    int i = 0;
    while (i < limit) {
      char c = text.charAt(i);
      if (!isLetter(c)) {
        i++;
        continue;
      }
      int start = i;
      int hash = 0;
      // No trigger word is longer than this; a run of letters past the head is not read to its end.
      int wordLimit = Math.min(text.length(), Math.max(limit, start + MAX_WORD));
      while (i < wordLimit && isLetter(text.charAt(i))) {
        hash = 31 * hash + lower(text.charAt(i));
        i++;
      }
      int[] single = triggers.lookup(hash, text, -1, -1, start, i);
      int[] pair =
          prevStart < 0
              ? null
              : triggers.lookup(
                  TriggerTable.pairHash(prevHash, hash), text, prevStart, prevEnd, start, i);
      if (single != null) {
        evidence = tryRules(single, start, text, matchers, evidence);
      }
      if (pair != null) {
        evidence = tryRules(pair, prevStart, text, matchers, evidence);
      }
      prevStart = start;
      prevEnd = i;
      prevHash = hash;
    }
    return evidence;
  }

  private Evidence tryRules(
      int[] candidates, int start, String text, Matchers matchers, Evidence evidence) {
    int regionEnd = Math.min(text.length(), start + RefusalRules.MAX_RULE_CHARS);
    for (int r : candidates) {
      Matcher m = matchers.on(r, rules.get(r), text);
      m.region(start, regionEnd);
      if (m.lookingAt()) {
        if (evidence == null) {
          evidence = new Evidence();
        }
        evidence.add(rules.get(r), m.start(), m.end(), m.start() < openingChars);
      }
    }
    return evidence;
  }

  /**
   * A thread's matchers keep (until its next scan) a text up to this many chars, as the text
   * normaliser's per-thread buffers do; a longer one is let go at the end of its scan. Pointing
   * every matcher away after every scan cost prose a fifth more time.
   */
  static final int RELEASE_ABOVE = TextNormalizer.MAX_RETAINED_CHARS;

  /**
   * One thread's matchers, one per rule, and the rules the scan under way has used; not
   * thread-safe. A matcher is pointed at the scanned text on its first use in a scan; {@link
   * #release}, which {@link #detect} calls whatever happens, ends the scan.
   */
  private static final class Matchers {
    private final Matcher[] byRule;
    private final boolean[] inScan;
    private final int[] used;
    private int usedCount;

    Matchers(int rules) {
      byRule = new Matcher[rules];
      inScan = new boolean[rules];
      used = new int[rules];
    }

    Matcher on(int r, Rule rule, String text) {
      Matcher m = byRule[r];
      if (!inScan[r]) {
        if (m == null) {
          m = rule.pattern().matcher(text);
          m.useTransparentBounds(true);
          m.useAnchoringBounds(false);
          byRule[r] = m;
        } else {
          m.reset(text); // keeps the transparent, non-anchoring bounds
        }
        inScan[r] = true;
        used[usedCount++] = r;
      }
      return m;
    }

    /** Ends the scan; {@code dropText} points the matchers it used away from the text. */
    void release(boolean dropText) {
      for (int k = 0; k < usedCount; k++) {
        if (dropText) {
          byRule[used[k]].reset("");
        }
        inScan[used[k]] = false;
      }
      usedCount = 0;
    }
  }

  /** Lower case of a letter; ASCII letters without the Unicode tables. */
  private static char lower(char c) {
    return c < 128 ? (char) (c | 0x20) : Character.toLowerCase(c);
  }

  /** Latin letters are by far the most common; skip the Unicode tables for them. */
  private static boolean isLetter(char c) {
    if (c < 128) {
      return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }
    return Character.isLetter(c);
  }

  /** The matches of one scan, merged into a score. Not thread-safe; lives for one scan. */
  private static final class Evidence {
    private final Map<Family, Double> best = new EnumMap<>(Family.class);
    private final List<Span> spans = new ArrayList<>();
    private Rule strongest;
    private double strongestWeight;

    void add(Rule rule, int start, int end, boolean inOpening) {
      double w = inOpening ? rule.weight() : rule.weight() * LATE_FACTOR;
      best.merge(rule.family(), w, Math::max);
      spans.add(new Span(start, end));
      if (strongest == null || w > strongestWeight) {
        strongest = rule;
        strongestWeight = w;
      }
    }

    double score() {
      double none = 1.0;
      for (double w : best.values()) {
        none *= 1.0 - w;
      }
      return Math.min(0.99, 1.0 - none);
    }

    Finding toFinding(double score) {
      double rounded = Math.round(score * 1000) / 1000.0;
      StringBuilder families = new StringBuilder();
      for (Family f : best.keySet()) {
        families
            .append(families.length() == 0 ? "" : ",")
            .append(f.name().toLowerCase(Locale.ROOT));
      }
      return Finding.builder(ID, Category.REFUSAL)
          .score(rounded)
          .confidence(
              rounded >= 0.85
                  ? Confidence.HIGH
                  : rounded >= 0.6 ? Confidence.MEDIUM : Confidence.LOW)
          .spans(mergeSpans(spans))
          .message("model refused (" + families + ")")
          .metadata("signals", families.toString())
          .metadata("language", strongest.language())
          .build();
    }

    private static List<Span> mergeSpans(List<Span> spans) {
      List<Span> sorted = new ArrayList<>(spans);
      sorted.sort(null);
      List<Span> out = new ArrayList<>();
      Span cur = null;
      for (Span s : sorted) {
        if (cur != null && s.start() <= cur.end()) {
          cur = new Span(cur.start(), Math.max(cur.end(), s.end()));
        } else {
          if (cur != null) {
            out.add(cur);
          }
          cur = s;
        }
      }
      if (cur != null) {
        out.add(cur);
      }
      return out;
    }
  }

  /**
   * Maps the lower-cased hash of a word to the rules it can start. Open addressing over primitive
   * arrays, so looking a word up allocates nothing. Immutable after construction.
   */
  private static final class TriggerTable {
    private final int[] hashes;
    private final String[] words;
    private final int[][] rules;
    private final int mask;

    TriggerTable(List<Rule> ruleList) {
      Map<String, List<Integer>> byWord = new java.util.TreeMap<>();
      for (int r = 0; r < ruleList.size(); r++) {
        for (String w : ruleList.get(r).triggers()) {
          byWord.computeIfAbsent(w, k -> new ArrayList<>()).add(r);
        }
      }
      int size = Integer.highestOneBit(Math.max(4, byWord.size() * 4 - 1)) << 1;
      hashes = new int[size];
      words = new String[size];
      rules = new int[size][];
      mask = size - 1;
      for (Map.Entry<String, List<Integer>> e : byWord.entrySet()) {
        String key = e.getKey();
        int space = key.indexOf(' ');
        int h =
            space < 0
                ? key.hashCode()
                : pairHash(key.substring(0, space).hashCode(), key.substring(space + 1).hashCode());
        int slot = mix(h) & mask;
        while (words[slot] != null) {
          slot = (slot + 1) & mask;
        }
        hashes[slot] = h;
        words[slot] = e.getKey();
        rules[slot] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
      }
    }

    /**
     * The rules that start with the word {@code text[start, end)} (case-insensitively) or, when
     * {@code firstStart >= 0}, with the pair of words {@code text[firstStart, firstEnd)} and {@code
     * text[start, end)}; null when there are none.
     */
    int[] lookup(int hash, String text, int firstStart, int firstEnd, int start, int end) {
      int slot = mix(hash) & mask;
      while (words[slot] != null) {
        if (hashes[slot] == hash && matches(words[slot], text, firstStart, firstEnd, start, end)) {
          return rules[slot];
        }
        slot = (slot + 1) & mask;
      }
      return null;
    }

    static int pairHash(int first, int second) {
      return first * 0x9E3779B1 + second;
    }

    private static boolean matches(
        String key, String text, int firstStart, int firstEnd, int start, int end) {
      if (firstStart < 0) {
        return sameWord(key, 0, key.length(), text, start, end);
      }
      int space = key.indexOf(' ');
      return space > 0
          && sameWord(key, 0, space, text, firstStart, firstEnd)
          && sameWord(key, space + 1, key.length(), text, start, end);
    }

    private static boolean sameWord(String key, int from, int to, String text, int start, int end) {
      if (to - from != end - start) {
        return false;
      }
      for (int k = 0; k < to - from; k++) {
        if (lower(text.charAt(start + k)) != key.charAt(from + k)) {
          return false;
        }
      }
      return true;
    }

    private static int mix(int h) {
      return h ^ (h >>> 16) ^ (h >>> 7);
    }
  }
}
