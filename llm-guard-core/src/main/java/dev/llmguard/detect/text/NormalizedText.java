package dev.llmguard.detect.text;

/**
 * A folded copy of a text plus, for every folded char, the UTF-16 offset in the original it came
 * from. The offsets are kept as a sparse map: folded char {@code i} comes from original offset
 * {@code i + delta}, where the delta changes only where the fold is not one char for one (a doubled
 * letter squeezed, a whitespace run collapsed, a spaced-out word joined, an invisible char dropped,
 * a char folded to several), and only those changes are stored. The arrays are never handed out of
 * this package. One from {@link TextNormalizer#fold} is immutable; one from {@link
 * TextNormalizer#normalize} or {@link TextNormalizer#foldDecoded} lives in the calling thread's
 * reused buffers and is valid only until that thread folds another text the same way.
 */
public final class NormalizedText {
  private final CharSequence original;

  private final char[] chars;
  private final int length;

  /**
   * The offset map: {@code breaks[0]} is the number of ints used, the first two included; {@code
   * breaks[1]} the pair where the last lookup ended (a hint: any value is safe); then pairs (folded
   * index, delta) in non-decreasing index order: the offset of folded char {@code i} is {@code i}
   * plus the delta of the last pair whose index is at most {@code i} (of pairs with the same index
   * the last counts), or {@code i} itself before the first pair. Pairs past the last folded char
   * mean nothing. (The count is kept in the array rather than in a field: a scan allocates one of
   * these objects per text, and a field would make each larger.)
   */
  private final int[] breaks;

  private final int longestSpacedRun;
  private final int spacedRunStart;
  private final int spacedRunEnd;

  /**
   * The reused buffers of the thread that folded this text, where its words are split; null for a
   * text of its own ({@link TextNormalizer#fold}), whose words get arrays of their own.
   */
  final TextNormalizer.Buffers scratch;

  /** The words of this text once some matcher split them (see {@link Lexicon#words}). */
  volatile PhraseMatcher.Words words;

  NormalizedText(
      CharSequence original,
      char[] chars,
      int length,
      int[] breaks,
      int longestSpacedRun,
      int spacedRunStart,
      int spacedRunEnd,
      TextNormalizer.Buffers scratch) {
    this.scratch = scratch;
    this.original = original;
    this.chars = chars;
    this.length = length;
    this.breaks = breaks;
    this.longestSpacedRun = longestSpacedRun;
    this.spacedRunStart = spacedRunStart;
    this.spacedRunEnd = spacedRunEnd;
  }

  /** Letters in the longest spaced-out run that was joined ({@code s a y t h i s} is 7). */
  public int longestSpacedRun() {
    return longestSpacedRun;
  }

  /** Original offset where that run starts. */
  public int spacedRunStart() {
    return spacedRunStart;
  }

  /** Original offset one past that run. */
  public int spacedRunEnd() {
    return spacedRunEnd;
  }

  /** The text that was normalised. */
  public String original() {
    return original.toString();
  }

  /**
   * The chars of the original text in an array, for passes that read them often (an array reads
   * faster than {@code String.charAt}): its first {@code original().length()} places hold them; it
   * may be longer. For a text from {@link TextNormalizer#normalize} or {@link
   * TextNormalizer#foldDecoded} it is not a copy but the array the text was folded from, in the
   * calling thread's buffers: valid for as long as this text is, and never to be written to. For
   * one from {@link TextNormalizer#fold} it is a fresh copy. (No field holds it here: a scan
   * allocates one of these objects per text, and a field would make each larger.)
   */
  public char[] originalChars() {
    return scratch != null ? scratch.source : original.toString().toCharArray();
  }

  /** The backing array (package-private: never handed out of this package). */
  char[] chars() {
    return chars;
  }

  /** Number of folded chars. */
  public int length() {
    return length;
  }

  /** The folded char at {@code i}. */
  public char charAt(int i) {
    return chars[i];
  }

  /** The folded text as a string (allocates; for tests and diagnostics). */
  @Override
  public String toString() {
    return new String(chars, 0, length);
  }

  /** Whether the folded text contains {@code needle} (already folded: lower case, ASCII). */
  public boolean contains(String needle) {
    return indexOf(needle, 0) >= 0;
  }

  /** First index of {@code needle} at or after {@code from}, or -1. */
  public int indexOf(String needle, int from) {
    int n = needle.length();
    if (n == 0) {
      return from;
    }
    char first = needle.charAt(0);
    int last = length - n;
    for (int i = Math.max(0, from); i <= last; i++) {
      if (chars[i] != first) {
        continue;
      }
      int k = 1;
      while (k < n && chars[i + k] == needle.charAt(k)) {
        k++;
      }
      if (k == n) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The first index at or after {@code from} of a folded char below 128 that {@code ascii} marks
   * ({@code ascii[c]}, an array of 128), or -1: one tight loop over the folded chars, for scans
   * that look at a few kinds of ASCII chars only.
   */
  public int indexOfAny(boolean[] ascii, int from) {
    char[] c = chars;
    for (int i = Math.max(0, from); i < length; i++) {
      char ch = c[i];
      if (ch < 128 && ascii[ch]) {
        return i;
      }
    }
    return -1;
  }

  /** Offset in the original of the folded char at {@code i} ({@code i == length()} is allowed). */
  public int originStart(int i) {
    return i >= length ? original.length() : origin(i);
  }

  /** Number of (index, delta) pairs in the offset map (package-private: for tests). */
  int mapSize() {
    return (breaks[0] - 2) >> 1;
  }

  /** Offset in the original of folded char {@code i}, {@code 0 <= i < length}. */
  private int origin(int i) {
    int[] p = breaks;
    int pairs = (p[0] - 2) >> 1;
    if (pairs == 0) {
      return i;
    }
    // The last pair whose index is at most i, searched from where the last lookup ended (lookups
    // mostly go forward through the text): steps that double from there, then halve.
    int k = Math.min(Math.max(p[1], 0), pairs - 1);
    int lo;
    int hi;
    if (p[2 + (k << 1)] <= i) {
      lo = k;
      hi = k + 1;
      for (int step = 1; hi < pairs && p[2 + (hi << 1)] <= i; step <<= 1) {
        lo = hi;
        hi = lo + step;
      }
      hi = Math.min(hi, pairs);
    } else {
      hi = k;
      lo = k - 1;
      for (int step = 1; lo >= 0 && p[2 + (lo << 1)] > i; step <<= 1) {
        hi = lo;
        lo = hi - step;
      }
      lo = Math.max(lo, -1);
    }
    // Now pair lo (if any) is at most i and pair hi (if any) past it.
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (p[2 + (mid << 1)] <= i) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    if (lo < 0) {
      return i;
    }
    // A hint only: threads sharing a text from fold() may overwrite each other's, harmlessly.
    p[1] = lo;
    return i + p[3 + (lo << 1)];
  }

  /**
   * Original offset one past the folded range ending at {@code end} (exclusive): the start of the
   * next folded char, or the end of the original.
   */
  public int originEnd(int end) {
    if (end <= 0) {
      return 0;
    }
    if (end >= length) {
      return original.length();
    }
    // The original chars between the last folded char and the next one belong to the range.
    int last = origin(end - 1);
    int next = origin(end);
    return next > last ? skipInvisibleBackwards(last, next) : last + 1;
  }

  /** Ends the range right after the last visible char before {@code next}. */
  private int skipInvisibleBackwards(int last, int next) {
    int e = next;
    while (e > last + 1 && Character.isWhitespace(original.charAt(e - 1))) {
      e--;
    }
    return e;
  }
}
