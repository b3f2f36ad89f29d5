package dev.llmguard.detect.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Folds text so that obfuscated phrasings match plain ones, keeping a map back to the original
 * offsets. In one linear pass it applies Unicode NFKC (fullwidth and mathematical letters become
 * ASCII), case folding, diacritic stripping ({@code é → e}, {@code ß → ss}), homoglyph folding
 * (Cyrillic and Greek look-alikes of Latin letters), zero-width and other format-character removal,
 * Unicode tag characters decoded to the ASCII they carry; in a second pass it undoes leetspeak
 * inside words ({@code 1gn0r3 → ignore}), joins spaced-out letters ({@code i g n o r e → ignore})
 * and collapses whitespace runs to one space (or one newline when the run held a line break).
 *
 * <p>Thread-safe and allocation-light: per-char work is a table lookup. {@link #normalize} keeps
 * the last result per thread, so several detectors scanning the same {@code String} instance fold
 * it once.
 */
public final class TextNormalizer {

  private static final int TABLE_SIZE = 0x3000;

  /** Folded form of each char below {@link #TABLE_SIZE}; {@code ""} means drop. */
  private static final String[] FOLD = new String[TABLE_SIZE];

  private static final String HOMOGLYPHS_FROM =
      "аеорсухіјѕԁһӏԛԝвкмнтьёїАВЕКМНОРСТХУІЈЅ" + "αβεηικνορτυχωΑΒΕΖΗΙΚΜΝΟΡΤΥΧɑɡıȷ";
  private static final String HOMOGLYPHS_TO =
      "aeopcyxijsdhlqwbkmhtbeiabekmhopctxyijs" + "abenikvoptuxwabezhikmnoptyxagij";

  private static final ThreadLocal<NormalizedText> LAST = new ThreadLocal<>();

  static {
    if (HOMOGLYPHS_FROM.length() != HOMOGLYPHS_TO.length()) {
      throw new ExceptionInInitializerError("homoglyph tables differ in length");
    }
    for (int c = 0; c < TABLE_SIZE; c++) {
      FOLD[c] = computeFold((char) c);
    }
  }

  private TextNormalizer() {}

  private static String computeFold(char c) {
    if (c == '\n'
        || c == '\r'
        || c == 0x0B
        || c == 0x0C
        || c == 0x85
        || c == 0x2028
        || c == 0x2029) {
      return "\n";
    }
    if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
      return " ";
    }
    int type = Character.getType(c);
    if (type == Character.FORMAT
        || type == Character.CONTROL
        || type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.SURROGATE) {
      return "";
    }
    int h = HOMOGLYPHS_FROM.indexOf(c);
    if (h >= 0) {
      return String.valueOf(HOMOGLYPHS_TO.charAt(h));
    }
    switch (c) {
      case 'ß':
        return "ss";
      case '\u2018':
      case '\u2019':
      case '\u201B':
      case '\u02BC':
      case '\u00B4':
      case '`':
        return "'";
      case '\u201C':
      case '\u201D':
      case '\u201E':
      case '\u00AB':
      case '\u00BB':
        return "\"";
      default:
        break;
    }
    if (c < 0x80) {
      return String.valueOf(Character.toLowerCase(c));
    }
    return foldString(String.valueOf(c));
  }

  private static String foldString(String s) {
    String n = Normalizer.normalize(s, Normalizer.Form.NFKC);
    n = Normalizer.normalize(n, Normalizer.Form.NFD);
    StringBuilder sb = new StringBuilder(n.length());
    for (int i = 0; i < n.length(); i++) {
      char d = n.charAt(i);
      int t = Character.getType(d);
      if (t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK) {
        continue;
      }
      sb.append(d);
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * Folds {@code text}. Never throws for any string (unpaired surrogates become spaces).
   *
   * @return the folded text with its offset map; the same instance when called again on this thread
   *     with the identical {@code String} instance
   */
  public static NormalizedText normalize(String text) {
    NormalizedText last = LAST.get();
    if (last != null && last.original() == text) {
      return last;
    }
    NormalizedText n = fold(text);
    LAST.set(n);
    return n;
  }

  /** Reduces runs of one ASCII letter to one letter, as the folded text does. */
  public static String squeeze(String word) {
    StringBuilder sb = new StringBuilder(word.length());
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c >= 'a' && c <= 'z' && sb.length() > 0 && sb.charAt(sb.length() - 1) == c) {
        continue;
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** Folds {@code text} without touching the per-thread cache (for decoded payloads). */
  public static NormalizedText fold(String text) {
    int len = text.length();
    char[] src = text.toCharArray();
    char[] a = new char[len + 16];
    int[] ao = new int[len + 16];
    int n = 0;
    for (int i = 0; i < len; i++) {
      char c = src[i];
      String f;
      if (c < 0x80) {
        if (c >= 'A' && c <= 'Z') {
          c = (char) (c + 32);
        }
        f = null;
        if (c < 0x20 || c == 0x7F) {
          f = FOLD[c];
        } else {
          if (n + 1 >= a.length) {
            a = grow(a);
            ao = grow(ao);
          }
          a[n] = c;
          ao[n++] = i;
          continue;
        }
      } else if (c < TABLE_SIZE) {
        f = FOLD[c];
      } else if (c >= 0xFF01 && c <= 0xFF5E) {
        f = String.valueOf(Character.toLowerCase((char) (c - 0xFEE0)));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(src[i + 1])) {
        int cp = Character.toCodePoint(c, src[i + 1]);
        f = foldSupplementary(cp);
        int need = n + f.length() + 1;
        while (need >= a.length) {
          a = grow(a);
          ao = grow(ao);
        }
        for (int k = 0; k < f.length(); k++) {
          a[n] = f.charAt(k);
          ao[n++] = i;
        }
        i++;
        continue;
      } else if (Character.isSurrogate(c)) {
        f = " ";
      } else if (c >= 0xFE00 && c <= 0xFE0F || c == 0xFEFF) {
        f = "";
      } else {
        f = Character.isLetter(c) ? foldString(String.valueOf(c)) : String.valueOf(c);
      }
      int need = n + f.length() + 1;
      while (need >= a.length) {
        a = grow(a);
        ao = grow(ao);
      }
      for (int k = 0; k < f.length(); k++) {
        a[n] = f.charAt(k);
        ao[n++] = i;
      }
    }
    return secondPass(text, a, ao, n);
  }

  private static String foldSupplementary(int cp) {
    if (cp >= 0xE0020 && cp <= 0xE007E) {
      // Unicode tag characters spell ASCII invisibly: read them.
      return String.valueOf(Character.toLowerCase((char) (cp - 0xE0000)));
    }
    if (cp >= 0xE0000 && cp <= 0xE0FFF) {
      return "";
    }
    if (cp >= 0x1D400 && cp <= 0x1D7FF || cp >= 0x1F130 && cp <= 0x1F189) {
      String s = foldString(new String(Character.toChars(cp)));
      return s.isEmpty() ? " " : s;
    }
    return Character.isLetter(cp) ? foldString(new String(Character.toChars(cp))) : " ";
  }

  private static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z' || c > 0x7F && Character.isLetter(c);
  }

  private static boolean isWordChar(char c) {
    return isLetter(c) || c >= '0' && c <= '9';
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' || c == '/' || c == '|';
  }

  private static char leet(char c) {
    switch (c) {
      case '0':
        return 'o';
      case '1':
        return 'i';
      case '3':
        return 'e';
      case '4':
        return 'a';
      case '5':
        return 's';
      case '7':
        return 't';
      case '@':
        return 'a';
      case '$':
        return 's';
      default:
        return 0;
    }
  }

  private static NormalizedText secondPass(String original, char[] a, int[] ao, int n) {
    // Undo leetspeak inside words: a digit or symbol counts as a letter when a letter touches it.
    for (int i = 0; i < n; i++) {
      char l = leet(a[i]);
      if (l != 0) {
        boolean prev = i > 0 && isLetter(a[i - 1]);
        boolean next = i + 1 < n && isLetter(a[i + 1]);
        if (prev || next) {
          a[i] = l;
        }
      }
    }
    char[] b = new char[n + 1];
    int[] bo = new int[n + 1];
    int m = 0;
    int longestRun = 0;
    int runStart = 0;
    int runEnd = 0;
    int i = 0;
    while (i < n) {
      char c = a[i];
      if (c == ' ' || c == '\n') {
        boolean newline = false;
        int start = i;
        while (i < n && (a[i] == ' ' || a[i] == '\n')) {
          newline |= a[i] == '\n';
          i++;
        }
        if (m > 0) {
          b[m] = newline ? '\n' : ' ';
          bo[m++] = ao[start];
        }
        continue;
      }
      if (isLetter(c) && (i == 0 || !isWordChar(a[i - 1]))) {
        int end = spacedRunEnd(a, n, i);
        if (end > 0) {
          int letters = (end - i + 1) / 2;
          if (letters > longestRun) {
            longestRun = letters;
            runStart = ao[i];
            runEnd = ao[end - 1] + 1;
          }
          for (int k = i; k < end; k += 2) {
            if (!(m > 0 && b[m - 1] == a[k] && a[k] >= 'a' && a[k] <= 'z')) {
              b[m] = a[k];
              bo[m++] = ao[k];
            }
          }
          i = end;
          continue;
        }
      }
      // Squeeze doubled letters ("outputt yourr" reads as "output your"); the vocabulary is
      // squeezed the same way.
      if (!(c >= 'a' && c <= 'z' && m > 0 && b[m - 1] == c)) {
        b[m] = c;
        bo[m++] = ao[i];
      }
      i++;
    }
    while (m > 0 && (b[m - 1] == ' ' || b[m - 1] == '\n')) {
      m--;
    }
    return new NormalizedText(original, b, m, bo, longestRun, runStart, runEnd);
  }

  /**
   * When single letters separated by one and the same separator start at {@code i} ({@code i g n o
   * r e}), returns the index after the last letter of the run (at least three letters); otherwise
   * 0.
   */
  private static int spacedRunEnd(char[] a, int n, int i) {
    if (i + 2 >= n || !isSeparator(a[i + 1]) || !isLetter(a[i + 2])) {
      return 0;
    }
    char sep = a[i + 1];
    int letters = 1;
    int k = i;
    while (k + 2 < n
        && a[k + 1] == sep
        && isLetter(a[k + 2])
        && (k + 3 >= n || !isWordChar(a[k + 3]))) {
      k += 2;
      letters++;
    }
    if (letters < 3 || k + 1 < n && isWordChar(a[k + 1])) {
      return 0;
    }
    boolean allSame = true;
    for (int j = i + 2; j <= k && allSame; j += 2) {
      allSame = a[j] == a[i];
    }
    if (allSame) {
      // "o o o o" is filler, not a spelled-out word: keep it visible as repeated tokens.
      return 0;
    }
    return k + 1;
  }

  private static char[] grow(char[] a) {
    return java.util.Arrays.copyOf(a, a.length * 2 + 16);
  }

  private static int[] grow(int[] a) {
    return java.util.Arrays.copyOf(a, a.length * 2 + 16);
  }
}
