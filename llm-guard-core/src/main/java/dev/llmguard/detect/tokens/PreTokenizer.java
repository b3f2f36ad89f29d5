package dev.llmguard.detect.tokens;

/**
 * Cuts a text into the pieces that an encoding's BPE sees one at a time, exactly as jtokkit 1.1.0
 * does, walking the {@code String} without allocating. {@link #CL100K} follows jtokkit's
 * hand-written {@code cl100k_base} splitter (the regex {@code 's|'t|'re|'ve|'m|'ll|'d} (case
 * insensitive), {@code [^\r\n\p{L}\p{N}]?\p{L}+}, {@code \p{N}{1,3}}, {@code
 * ?[^\s\p{L}\p{N}]+[\r\n]*}, {@code \s*[\r\n]+}, {@code \s+(?!\S)}, {@code \s+}); {@link #O200K}
 * reproduces the first match that {@code java.util.regex} finds for the case-aware {@code
 * o200k_base} pattern, including its backtracking, in linear time.
 *
 * <p>A lone surrogate is read as U+FFFD, as the detector's {@code wellFormed} replaces it before
 * tokenizing. Stateless and thread-safe.
 */
abstract class PreTokenizer {

  /** The splitter of {@code cl100k_base}. */
  static final PreTokenizer CL100K = new Cl100k();

  /** The splitter of {@code o200k_base}. */
  static final PreTokenizer O200K = new O200k();

  /**
   * The end of the piece that starts at {@code i}, reading {@code t} as if it ended at {@code end};
   * {@code i < end}.
   */
  abstract int next(String t, int i, int end);

  /**
   * The end of the piece at {@code i} if it is a word of ASCII letters, with or without one ASCII
   * char before it, that ends before an ASCII char other than an apostrophe (the common piece of
   * English prose, found here in one tight loop); otherwise -1, and {@link #next} decides. Packs
   * the piece's first 16 chars into {@code key[0]} (chars 1 to 8) and {@code key[1]} (9 to 16), 8
   * bits each, as {@link ShortPieces} and {@link MediumPieces} key them.
   */
  final int asciiWord(String t, int i, int end, long[] key) {
    char c0 = t.charAt(i);
    if (c0 >= 0x80) {
      return -1;
    }
    int k0 = ASCII[c0];
    int p; // where the letters start
    if ((k0 & (A_UPPER | A_LOWER)) != 0) {
      p = i;
    } else if (k0 == A_PREFIX && i + 1 < end) {
      char c1 = t.charAt(i + 1);
      if (c1 >= 0x80 || (ASCII[c1] & (A_UPPER | A_LOWER)) == 0) {
        return -1;
      }
      p = i + 1;
    } else {
      return -1;
    }
    long high = p > i ? c0 : 0;
    long low = 0;
    int allowed = A_UPPER | A_LOWER;
    int j = p;
    // chars 1 to 8 of the piece go to high, 9 to 16 to low: two loops, no per-char test of which
    int stop = Math.min(end, i + 8);
    for (; j < stop; j++) {
      char c = t.charAt(j);
      int k = c < 0x80 ? ASCII[c] : 0;
      if ((k & allowed) == 0) {
        key[0] = high;
        key[1] = 0;
        return wordEnd(t, j);
      }
      if (caseSplit && k == A_LOWER) {
        allowed = A_LOWER; // o200k: upper letters, then lower ones
      }
      high = (high << 8) | c;
    }
    stop = Math.min(end, i + 16);
    for (; j < stop; j++) {
      char c = t.charAt(j);
      int k = c < 0x80 ? ASCII[c] : 0;
      if ((k & allowed) == 0) {
        key[0] = high;
        key[1] = low;
        return wordEnd(t, j);
      }
      if (caseSplit && k == A_LOWER) {
        allowed = A_LOWER;
      }
      low = (low << 8) | c;
    }
    key[0] = high;
    key[1] = low;
    // past 16 chars no key is needed: a lean loop for long words and floods of letters
    for (; j < end; j++) {
      char c = t.charAt(j);
      int k = c < 0x80 ? ASCII[c] : 0;
      if ((k & allowed) == 0) {
        return wordEnd(t, j);
      }
      if (caseSplit && k == A_LOWER) {
        allowed = A_LOWER;
      }
    }
    return j;
  }

  /**
   * {@code j}, where an ASCII word stopped, or -1 if a non-ASCII char or an apostrophe is there.
   */
  private int wordEnd(String t, int j) {
    char c = t.charAt(j);
    return c >= 0x80 || c == '\'' ? -1 : j;
  }

  /**
   * Whether a word is upper letters then lower ones: in ASCII, {@code o200k_base}'s {@code
   * [upper]*[lower]+} or else {@code [upper]+[lower]*}; {@code cl100k_base} takes any letters.
   */
  private final boolean caseSplit;

  PreTokenizer(boolean caseSplit) {
    this.caseSplit = caseSplit;
  }

  static final byte A_UPPER = 1;
  static final byte A_LOWER = 2;
  static final byte A_PREFIX = 4; // ASCII, not letter, digit, \r or \n, not the apostrophe

  /** Classes of ASCII chars for {@link #asciiWord}. */
  static final byte[] ASCII = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      if (c >= 'A' && c <= 'Z') {
        ASCII[c] = A_UPPER;
      } else if (c >= 'a' && c <= 'z') {
        ASCII[c] = A_LOWER;
      } else if (!(c >= '0' && c <= '9') && c != '\r' && c != '\n' && c != '\'') {
        ASCII[c] = A_PREFIX;
      }
    }
  }

  // --- code point classes -------------------------------------------------------------------

  static final int LETTER = 1; // \p{L}
  static final int NUMBER = 1 << 1; // \p{N}
  static final int SPACE = 1 << 2; // \s under UNICODE_CHARACTER_CLASS (White_Space)
  static final int NEWLINE = 1 << 3; // \r \n
  static final int UPPERISH = 1 << 4; // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
  static final int LOWERISH = 1 << 5; // [\p{Ll}\p{Lm}\p{Lo}\p{M}]

  /** Classes of the BMP, one byte per char; 64 KB shared by both splitters. */
  private static final byte[] BMP = new byte[0x10000];

  static {
    for (int c = 0; c < 0x10000; c++) {
      BMP[c] = (byte) computeClasses(c);
    }
  }

  private static int computeClasses(int cp) {
    int bits = 0;
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER:
      case Character.TITLECASE_LETTER:
        bits = LETTER | UPPERISH;
        break;
      case Character.LOWERCASE_LETTER:
        bits = LETTER | LOWERISH;
        break;
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
        bits = LETTER | UPPERISH | LOWERISH;
        break;
      case Character.NON_SPACING_MARK:
      case Character.ENCLOSING_MARK:
      case Character.COMBINING_SPACING_MARK:
        bits = UPPERISH | LOWERISH;
        break;
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
        bits = NUMBER;
        break;
      case Character.SPACE_SEPARATOR:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        bits = SPACE;
        break;
      default:
        break;
    }
    if ((cp >= 0x9 && cp <= 0xd) || cp == 0x85) {
      bits |= SPACE;
    }
    if (cp == '\r' || cp == '\n') {
      bits |= NEWLINE;
    }
    return bits;
  }

  /** The classes of a code point ({@code -1}, the end, has none). */
  static int classes(int cp) {
    if (cp < 0x10000) {
      return cp < 0 ? 0 : BMP[cp] & 0xff;
    }
    return computeClasses(cp);
  }

  /** The code point at {@code i}, a lone surrogate read as U+FFFD; {@code -1} at {@code end}. */
  static int codePoint(String t, int i, int end) {
    if (i >= end) {
      return -1;
    }
    char c = t.charAt(i);
    if (!Character.isSurrogate(c)) {
      return c;
    }
    if (Character.isHighSurrogate(c) && i + 1 < end) {
      char d = t.charAt(i + 1);
      if (Character.isLowSurrogate(d)) {
        return Character.toCodePoint(c, d);
      }
    }
    return 0xFFFD;
  }

  /** Chars taken by {@code cp} as read by {@link #codePoint} (a replaced lone surrogate: 1). */
  static int width(int cp) {
    return cp >= 0x10000 ? 2 : 1;
  }

  /** Not whitespace, letter or number: {@code [^\s\p{L}\p{N}]}. */
  static boolean isPunct(int cp) {
    return cp >= 0 && (classes(cp) & (SPACE | LETTER | NUMBER)) == 0;
  }

  /** The optional prefix of a word: {@code [^\r\n\p{L}\p{N}]}. */
  static boolean isWordPrefix(int cp) {
    return cp >= 0 && (classes(cp) & (NEWLINE | LETTER | NUMBER)) == 0;
  }

  static boolean is(int cp, int cls) {
    return (classes(cp) & cls) != 0;
  }

  /** The end of the maximal run of code points of class {@code cls} from {@code i}. */
  static int run(String t, int i, int end, int cls) {
    while (i < end) {
      char c = t.charAt(i);
      if ((BMP[c] & cls) != 0) {
        i++; // the common case; a surrogate has no class in the table
        continue;
      }
      if (!Character.isSurrogate(c)) {
        break;
      }
      int cp = codePoint(t, i, end);
      if ((classes(cp) & cls) == 0) {
        break;
      }
      i += width(cp);
    }
    return i;
  }

  /**
   * The whitespace piece at {@code i} (rules {@code \s*[\r\n]+}, {@code \s+(?!\S)}, {@code \s+}),
   * shared by both encodings: up to and including the run's last newline if it has one; else the
   * whole run if it ends the text or is one char; else the run but its last char, which then
   * prefixes the next piece.
   */
  static int whitespace(String t, int i, int end) {
    int lastNewline = -1;
    int e = i;
    while (e < end) {
      char c = t.charAt(e);
      if (c == '\r' || c == '\n') {
        lastNewline = e;
      } else if (!is(c, SPACE)) {
        break; // every whitespace char is in the BMP, and no surrogate is whitespace
      }
      e++;
    }
    if (lastNewline >= 0) {
      return lastNewline + 1;
    }
    return e == end || e - i == 1 ? e : e - 1;
  }

  private static final class Cl100k extends PreTokenizer {
    Cl100k() {
      super(false);
    }

    @Override
    int next(String t, int i, int end) {
      int c0 = codePoint(t, i, end);
      int i1 = i + width(c0);
      int c1 = codePoint(t, i1, end);
      if (c0 == '\'' && c1 >= 0) {
        if (c1 == 's' || c1 == 'd' || c1 == 't' || c1 == 'm') {
          return i + 2;
        }
        if (c1 == 'S' || c1 == 'D' || c1 == 'T' || c1 == 'M' || c1 == '\u017f') {
          return i + 2;
        }
        int c2 = i + 2 < end ? codePoint(t, i + 2, end) : -1;
        if (longContraction(c1, c2)) {
          return i + 3;
        }
      }
      int k0 = classes(c0);
      int k1 = classes(c1);
      if ((k0 & LETTER) != 0 || (isWordPrefix(c0) && (k1 & LETTER) != 0)) {
        return run(t, i1, end, LETTER);
      }
      if ((k0 & NUMBER) != 0) {
        int e = i1;
        if ((k1 & NUMBER) != 0) {
          e += width(c1);
          int c2 = codePoint(t, e, end);
          if (is(c2, NUMBER)) {
            e += width(c2);
          }
        }
        return e;
      }
      if (isPunct(c0) || (c0 == ' ' && isPunct(c1))) {
        int e = isPunct(c0) ? i1 : i1 + width(c1);
        e = runPunct(t, e, end);
        while (e < end && (t.charAt(e) == '\r' || t.charAt(e) == '\n')) {
          e++;
        }
        return e;
      }
      return whitespace(t, i, end);
    }

    private static boolean longContraction(int c1, int c2) {
      int u1 = c1 < 0 ? c1 : Character.toUpperCase(c1);
      int u2 = c2 < 0 ? c2 : Character.toUpperCase(c2);
      return (u1 == 'L' && u2 == 'L') || (u1 == 'V' && u2 == 'E') || (u1 == 'R' && u2 == 'E');
    }
  }

  /** The end of the run of {@code [^\s\p{L}\p{N}]} from {@code i}. */
  static int runPunct(String t, int i, int end) {
    while (i < end) {
      char c = t.charAt(i);
      if (c < 0x80) {
        if ((BMP[c] & (SPACE | LETTER | NUMBER)) != 0) {
          break;
        }
        i++;
        continue;
      }
      int cp = codePoint(t, i, end);
      if (!isPunct(cp)) {
        break;
      }
      i += width(cp);
    }
    return i;
  }

  private static final class O200k extends PreTokenizer {
    O200k() {
      super(true);
    }

    @Override
    int next(String t, int i, int end) {
      int c0 = codePoint(t, i, end);
      int i1 = i + width(c0);
      boolean prefix = isWordPrefix(c0);
      // [^\r\n\p{L}\p{N}]?[upper]*[lower]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
      int e = prefix ? lowerWord(t, i1, end) : -1;
      if (e < 0) {
        e = lowerWord(t, i, end);
      }
      // [^\r\n\p{L}\p{N}]?[upper]+[lower]*(?i:…)?
      if (e < 0 && prefix) {
        e = upperWord(t, i1, end);
      }
      if (e < 0) {
        e = upperWord(t, i, end);
      }
      if (e >= 0) {
        return e;
      }
      int k0 = classes(c0);
      if ((k0 & NUMBER) != 0) { // \p{N}{1,3}
        e = i1;
        for (int k = 1; k < 3; k++) {
          int c = codePoint(t, e, end);
          if (!is(c, NUMBER)) {
            break;
          }
          e += width(c);
        }
        return e;
      }
      // ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
      int p = -1;
      if (c0 == ' ' && isPunct(codePoint(t, i1, end))) {
        p = i1;
      } else if (isPunct(c0)) {
        p = i;
      }
      if (p >= 0) {
        e = runPunct(t, p, end);
        while (e < end && (t.charAt(e) == '\r' || t.charAt(e) == '\n' || t.charAt(e) == '/')) {
          e++;
        }
        return e;
      }
      return whitespace(t, i, end);
    }

    /**
     * {@code [upper]*[lower]+} then the optional contraction from {@code p}, or -1. The greedy
     * {@code [upper]*} gives back chars until {@code [lower]+} can start: either the char after the
     * upper run is lower-only ({@code Ll}), or the last char of the run that is in both sets.
     */
    private static int lowerWord(String t, int p, int end) {
      int u = p;
      int lastBoth = -1;
      int lastBothWidth = 0;
      while (u < end) {
        int cp = codePoint(t, u, end);
        int k = classes(cp);
        if ((k & UPPERISH) == 0) {
          break;
        }
        if ((k & LOWERISH) != 0) {
          lastBoth = u;
          lastBothWidth = width(cp);
        }
        u += width(cp);
      }
      int e;
      if (is(codePoint(t, u, end), LOWERISH)) {
        e = run(t, u, end, LOWERISH);
      } else if (lastBoth >= 0) {
        e = lastBoth + lastBothWidth;
      } else {
        return -1;
      }
      return e + contraction(t, e, end);
    }

    /** {@code [upper]+[lower]*} then the optional contraction from {@code p}, or -1. */
    private static int upperWord(String t, int p, int end) {
      if (!is(codePoint(t, p, end), UPPERISH)) {
        return -1;
      }
      int e = run(t, run(t, p, end, UPPERISH), end, LOWERISH);
      return e + contraction(t, e, end);
    }

    /** Chars of {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)} at {@code e} (Unicode case folding), or 0. */
    private static int contraction(String t, int e, int end) {
      if (e + 1 >= end || t.charAt(e) != '\'') {
        return 0;
      }
      char a = fold(t.charAt(e + 1));
      if (a == 's' || a == 't' || a == 'm' || a == 'd') {
        return 2;
      }
      if (e + 2 >= end) {
        return 0;
      }
      char b = fold(t.charAt(e + 2));
      return (a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l') ? 3 : 0;
    }

    /** How {@code java.util.regex} folds a char for case-insensitive Unicode matching. */
    private static char fold(char c) {
      return Character.toLowerCase(Character.toUpperCase(c));
    }
  }
}
