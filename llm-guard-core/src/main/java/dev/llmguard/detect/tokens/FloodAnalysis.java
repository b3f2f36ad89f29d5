package dev.llmguard.detect.tokens;

/**
 * Measures how repetitive a text is, without tokenizing it and without allocating per word: (1)
 * long runs that repeat a short unit ({@code aaaa…}, {@code abcabc…}) and (2) the share of word
 * trigrams that are repeats ({@code the the the …}, a sentence pasted a thousand times). Ordinary
 * prose repeats few trigrams; a flood repeats almost all of them. Stateless but for a reused
 * per-thread table; thread-safe.
 */
final class FloodAnalysis {
  private FloodAnalysis() {}

  /** Most chars looked at. */
  static final int MAX_SAMPLE = 65_536;

  /** A run of a repeated unit this long is flooding. */
  static final int MIN_RUN = 512;

  /** Longest repeated unit (in chars) looked for inside a run. */
  static final int MAX_PERIOD = 16;

  /**
   * Fewest chars left for which {@link #repeatedTrigrams} counts the words left: on a shorter rest
   * the count costs about what it saves.
   */
  static final int MIN_COUNTED = 2048;

  /** Fewest word trigrams before the trigram measure says anything. */
  static final int MIN_TRIGRAMS = 64;

  /**
   * Per-thread trigram table, sized for {@link #MAX_SAMPLE} chars (64 KB per thread), reused so
   * that a scan allocates nothing.
   */
  private static final ThreadLocal<int[]> TABLES =
      ThreadLocal.withInitial(() -> new int[Integer.highestOneBit((MAX_SAMPLE / 10 + 8) * 2) * 2]);

  /**
   * Share of repeated trigrams from which a text counts as flooding (the early exit in {@link
   * #repeatedTrigrams} is written in integers for this value).
   */
  static final double REPEAT_SHARE = 0.8;

  /** A flood: its score, span, share of repeats and the finding's message. */
  record Result(double score, int start, int end, double share, String message) {}

  static Result analyse(String t) {
    int n = Math.min(t.length(), MAX_SAMPLE);
    Result run = periodicRun(t, n);
    Result words = repeatedTrigrams(t, n);
    if (run == null) {
      return words;
    }
    if (words == null) {
      return run;
    }
    return run.score() >= words.score() ? run : words;
  }

  /** Distance between the probes of {@link #periodicRun}; any run of MIN_RUN chars covers one. */
  private static final int PROBE_STEP = 256;

  private static final int PROBE_LEN = 32;

  /**
   * The longest stretch where {@code t[i] == t[i + p]} for a small period p. Probes every {@value
   * #PROBE_STEP} chars whether the next {@value #PROBE_LEN} chars repeat with some period; prose
   * fails each probe at once, so only a real run is followed char by char.
   */
  private static Result periodicRun(String t, int n) {
    int bestStart = 0;
    int bestEnd = 0;
    int bestPeriod = 0;
    int c = 0;
    while (c + PROBE_LEN + MAX_PERIOD <= n) {
      int p = periodAt(t, c);
      if (p == 0) {
        c += PROBE_STEP;
        continue;
      }
      int s = c;
      while (s > 0 && t.charAt(s - 1) == t.charAt(s - 1 + p)) {
        s--;
      }
      int e = c;
      int total = t.length();
      while (e + p < total && t.charAt(e) == t.charAt(e + p)) {
        e++;
      }
      e = Math.min(total, e + p);
      if (e - s > bestEnd - bestStart) {
        bestStart = s;
        bestEnd = e;
        bestPeriod = p;
      }
      c = Math.max(c + PROBE_STEP, e);
    }
    int len = bestEnd - bestStart;
    if (len < MIN_RUN || isBlank(t, bestStart, bestStart + bestPeriod)) {
      return null;
    }
    double share = len / (double) t.length();
    double score = Math.min(0.95, 0.6 + 0.35 * Math.min(1.0, len / 4096.0));
    return new Result(
        score,
        bestStart,
        bestEnd,
        share,
        "repetitive flooding: a " + bestPeriod + "-char unit repeated over " + len + " chars");
  }

  /** The smallest period with which the {@value #PROBE_LEN} chars at {@code c} repeat, or 0. */
  private static int periodAt(String t, int c) {
    for (int p = 1; p <= MAX_PERIOD; p++) {
      int j = 0;
      while (j < PROBE_LEN && t.charAt(c + j) == t.charAt(c + j + p)) {
        j++;
      }
      if (j == PROBE_LEN) {
        return p;
      }
    }
    return 0;
  }

  private static boolean isBlank(String t, int s, int e) {
    for (int i = s; i < e; i++) {
      if (!Character.isWhitespace(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Share of word trigrams that occurred before, counted in an open-addressing hash set. */
  static Result repeatedTrigrams(String t, int n) {
    // a flood has at most n/10 distinct trigrams; size the table for that and stop beyond it.
    // 32-bit keys: a collision among a few thousand trigrams is rare and only nudges the share.
    int limit = n / 10 + 8;
    int size = Integer.highestOneBit(limit * 2) * 2;
    int[] table = TABLES.get();
    java.util.Arrays.fill(table, 0, size, 0);
    int mask = size - 1;
    int distinct = 0;
    int total = 0;
    long w1 = 0;
    long w2 = 0;
    int words = 0;
    // Words still to come after the word numbered countedAt, once counted (-1 before).
    int wordsLeft = -1;
    int countedAt = 0;
    int i = 0;
    while (i < n) {
      while (i < n && !isWordChar(t.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      long h = 1125899906842597L;
      while (i < n) {
        char c = t.charAt(i);
        int folded =
            c < 128 ? ASCII_FOLDED[c] : Character.isLetterOrDigit(c) ? Character.toLowerCase(c) : 0;
        if (folded == 0) {
          break;
        }
        h = 31 * h + folded;
        i++;
      }
      i++; // t[i] ended the word: no word char, so the next word starts after it at the earliest
      words++;
      if (words >= 3) {
        long mixed = mix(w1 * 0x9E3779B97F4A7C15L + w2 * 0xC2B2AE3D27D4EB4FL + h);
        int tri = (int) (mixed >>> 32);
        if (tri == 0) {
          tri = 1;
        }
        total++;
        int slot = (int) mixed & mask;
        while (table[slot] != 0 && table[slot] != tri) {
          slot = (slot + 1) & mask;
        }
        if (table[slot] == 0) {
          // Each word still to come adds at most one trigram; past this many distinct ones the
          // share can no longer reach the mark: distinct + 1 > (1 - REPEAT_SHARE) * (total +
          // trigrams left), in integers (times 10). Until the words left are counted, each is
          // taken to need a char and a separator, so at most (n - i + 1) / 2 remain.
          if (distinct >= limit || 10L * (distinct + 1) > 2L * total + (n - i + 1)) {
            return null; // too many distinct trigrams to be a flood
          }
          if (wordsLeft < 0
              && n - i >= MIN_COUNTED
              && 10L * (distinct + 1) > 2L * total + (n - i + 1) / 3) {
            // Were the words left of ordinary length (five chars and a separator), the mark would
            // be out of reach: count them, once, to know. A flood seldom gets here (its distinct
            // trigrams stay few), so it seldom pays for the count.
            wordsLeft = wordsIn(t, i, n);
            countedAt = words;
          }
          if (wordsLeft >= 0
              && 10L * (distinct + 1) > 2L * (total + wordsLeft - (words - countedAt))) {
            return null;
          }
          table[slot] = tri;
          distinct++;
        }
      }
      w1 = w2;
      w2 = h;
    }
    if (total < MIN_TRIGRAMS) {
      return null;
    }
    double repeated = 1.0 - distinct / (double) total;
    if (repeated < REPEAT_SHARE) {
      return null;
    }
    double score = Math.min(0.95, 0.55 + 2.0 * (repeated - REPEAT_SHARE));
    return new Result(
        score,
        0,
        t.length(),
        repeated,
        "repetitive flooding: "
            + TokenLimitDetector.decimals(repeated * 100, 0)
            + "% of "
            + total
            + " word trigrams are repeats");
  }

  /** The number of words (maximal runs of word chars) that start in {@code t[from, n)}. */
  static int wordsIn(String t, int from, int n) {
    int words = 0;
    int before = from > 0 && from <= n && isWordChar(t.charAt(from - 1)) ? 1 : 0;
    for (int i = from; i < n; i++) {
      char c = t.charAt(i);
      // (the shift takes c mod 64)
      int word = c < 128 ? ASCII_WORD[c] : (int) (WORD_CHARS[c >>> 6] >>> c) & 1;
      words += word & ~before; // without a branch: word starts are too many to predict
      before = word;
    }
    return words;
  }

  /** 1 for ASCII letters and digits, else 0. */
  private static final byte[] ASCII_WORD = new byte[128];

  /**
   * One bit per char, set where {@link #isWordChar} holds ({@link Character#isLetterOrDigit} of the
   * char): 8 KB, read without a branch for text in any script.
   */
  private static final long[] WORD_CHARS = new long[1 << 10];

  static {
    for (int c = 0; c < 1 << 16; c++) {
      if (Character.isLetterOrDigit((char) c)) {
        WORD_CHARS[c >>> 6] |= 1L << c;
      }
    }
  }

  /** ASCII letters and digits folded as the trigram hash sees them ({@code c | 0x20}); 0 = none. */
  private static final char[] ASCII_FOLDED = new char[128];

  static {
    for (char c = 0; c < 128; c++) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        ASCII_FOLDED[c] = (char) (c | 0x20);
        ASCII_WORD[c] = 1;
      }
    }
  }

  private static boolean isWordChar(char c) {
    if (c < 128) {
      return ASCII_FOLDED[c] != 0;
    }
    return Character.isLetterOrDigit(c);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
