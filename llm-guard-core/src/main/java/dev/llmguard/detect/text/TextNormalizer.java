package dev.llmguard.detect.text;

import java.text.Normalizer;
import java.util.Arrays;
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
 * <p>Thread-safe. Every char costs a table lookup: the fold of each code point is computed once per
 * JVM (at class initialisation below U+3000, on first sight above) and then read from a table.
 *
 * <p>{@link #normalize} and {@link #foldDecoded} work in per-thread buffers that are reused from
 * call to call (grown as needed, kept up to {@value #MAX_RETAINED_CHARS} chars), so a scan
 * allocates nothing in proportion to the text. The price is a scope: what they return belongs to
 * the calling thread and stays valid only until that thread's next call of the same method with
 * another text. {@link #fold} returns an independent, immutable result instead.
 */
public final class TextNormalizer {

  /**
   * Per-thread buffers are kept between calls up to this many folded chars (4 bytes a char, with
   * the original chars); a longer text gets buffers of its own, dropped after use.
   */
  public static final int MAX_RETAINED_CHARS = 1 << 17;

  private static final int TABLE_SIZE = 0x3000;

  /**
   * The fold of each BMP char when it is exactly one char; {@code 0} when it is empty, several
   * chars, a surrogate, or not computed yet (then {@link #MULTI} or {@link #slowFold} decides).
   * Filled at class initialisation below {@link #TABLE_SIZE} and for fullwidth ASCII, lazily above:
   * racy but benign, since every thread computes the same value and char writes are atomic.
   */
  private static final char[] ONE = new char[0x10000];

  /** The fold of each BMP char whose fold is not a single char (or null when not computed). */
  private static final String[] MULTI = new String[0x10000];

  /** Folds of supplementary code points, by blocks of 256, allocated on first use. */
  private static final String[][] SUPPLEMENTARY = new String[0x1100][];

  private static final String HOMOGLYPHS_FROM =
      "аеорсухіјѕԁһӏԛԝвкмнтьёїАВЕКМНОРСТХУІЈЅ" + "αβεηικνορτυχωΑΒΕΖΗΙΚΜΝΟΡΤΥΧɑɡıȷ";
  private static final String HOMOGLYPHS_TO =
      "aeopcyxijsdhlqwbkmhtbeiabekmhopctxyijs" + "abenikvoptuxwabezhikmnoptyxagij";

  /** Leetspeak digit or symbol → letter, for chars below 128; 0 when not leet. */
  private static final char[] LEET = new char[128];

  /** Char classes of the folded text, for chars below 128. */
  private static final byte[] ASCII_CLASS = new byte[128];

  private static final byte LETTER = 1;
  private static final byte DIGIT = 2;
  private static final byte SEPARATOR = 4;

  private static final ThreadLocal<Buffers> MAIN = ThreadLocal.withInitial(() -> new Buffers(true));
  private static final ThreadLocal<Buffers> DECODED =
      ThreadLocal.withInitial(() -> new Buffers(true));

  static {
    if (HOMOGLYPHS_FROM.length() != HOMOGLYPHS_TO.length()) {
      throw new ExceptionInInitializerError("homoglyph tables differ in length");
    }
    for (int c = 0; c < TABLE_SIZE; c++) {
      if (!Character.isSurrogate((char) c)) {
        store((char) c, computeFold((char) c));
      }
    }
    for (int c = 0xFF01; c <= 0xFF5E; c++) {
      store((char) c, String.valueOf(Character.toLowerCase((char) (c - 0xFEE0))));
    }
    for (int c = 0xFE00; c <= 0xFE0F; c++) {
      store((char) c, "");
    }
    store('\uFEFF', "");
    String leetFrom = "013457@$";
    String leetTo = "oieastas";
    for (int k = 0; k < leetFrom.length(); k++) {
      LEET[leetFrom.charAt(k)] = leetTo.charAt(k);
    }
    for (int c = 'a'; c <= 'z'; c++) {
      ASCII_CLASS[c] = LETTER;
    }
    for (int c = '0'; c <= '9'; c++) {
      ASCII_CLASS[c] = DIGIT;
    }
    for (char c : new char[] {' ', '.', '-', '_', '*', '/', '|'}) {
      ASCII_CLASS[c] = SEPARATOR;
    }
  }

  private TextNormalizer() {}

  private static void store(char c, String fold) {
    if (fold.length() == 1 && fold.charAt(0) != 0) {
      ONE[c] = fold.charAt(0);
    } else {
      MULTI[c] = fold;
    }
  }

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

  /** The fold of a BMP char that is not a surrogate, computed on first sight above U+3000. */
  private static String bmpFold(char c) {
    String f = MULTI[c];
    if (f != null) {
      return f;
    }
    char one = ONE[c];
    if (one != 0) {
      return String.valueOf(one);
    }
    // Above the precomputed range: letters go through NFKC, everything else stays as it is.
    f = Character.isLetter(c) ? foldString(String.valueOf(c)) : String.valueOf(c);
    store(c, f);
    return f;
  }

  private static String supplementaryFold(int cp) {
    String[] block = SUPPLEMENTARY[cp >>> 8];
    if (block == null) {
      block = new String[256];
      SUPPLEMENTARY[cp >>> 8] = block;
    }
    String f = block[cp & 0xFF];
    if (f == null) {
      f = computeSupplementary(cp);
      block[cp & 0xFF] = f;
    }
    return f;
  }

  private static String computeSupplementary(int cp) {
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

  /**
   * What the first pass makes of the code point {@code cp} (a BMP char or a supplementary code
   * point; a lone surrogate becomes a space): for tests that fold a text another way.
   */
  static String foldOf(int cp) {
    if (Character.isSupplementaryCodePoint(cp)) {
      return supplementaryFold(cp);
    }
    return Character.isSurrogate((char) cp) ? " " : bmpFold((char) cp);
  }

  /**
   * Folds {@code text} in this thread's buffers and keeps the result: a call with the identical
   * {@code String} instance returns it again, so the detectors of one scan fold a text once. Never
   * throws for any string (unpaired surrogates become spaces).
   *
   * @return the folded text with its offset map; owned by the calling thread and valid until its
   *     next call of this method with another {@code String} instance (do not keep it, do not hand
   *     it to another thread)
   */
  public static NormalizedText normalize(String text) {
    Buffers b = MAIN.get();
    if (b.last != null && b.lastText == text) {
      return b.last;
    }
    b.last = null;
    b.lastText = null;
    NormalizedText n = foldInto(text, b);
    b.last = n;
    b.lastText = text;
    return n;
  }

  /**
   * Folds a text decoded from the one {@link #normalize} returned (a base64 payload, say) in a
   * second set of per-thread buffers, so that the result of {@code normalize} stays valid.
   *
   * @return the folded text; owned by the calling thread and valid until its next call of this
   *     method
   */
  public static NormalizedText foldDecoded(CharSequence text) {
    return foldInto(text, DECODED.get());
  }

  /**
   * Folds {@code text} into arrays of its own: the result is immutable and may be kept and shared.
   * Allocates in proportion to the text; scans use {@link #normalize}.
   */
  public static NormalizedText fold(String text) {
    // Fresh buffers that nobody else writes to: the result may be kept.
    return foldInto(text, new Buffers(false));
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

  /**
   * Reusable arrays for folding: the original chars, the folded chars (both passes write into the
   * same array: the second pass never writes ahead of where it reads) and the offset maps of the
   * two passes (see {@link #breaks}).
   */
  static final class Buffers {
    char[] source = new char[0];
    char[] chars = new char[0];

    /**
     * Where the first pass's map from its output index to the original offset changes: pairs of
     * (index, delta), the offset of output char {@code k} being {@code k + delta} of the last pair
     * with an index at most {@code k} (0 before the first pair). Only chars that do not fold one to
     * one (invisibles, {@code ß}, surrogate pairs) make pairs, so most texts have none.
     */
    int[] breaks = new int[INITIAL_BREAKS];

    /** The same for the folded text (see {@link NormalizedText}). */
    int[] foldedBreaks = new int[INITIAL_BREAKS];

    NormalizedText last;
    CharSequence lastText;

    /** Whether the texts folded here are owned by this thread (and so may share its words). */
    final boolean reused;

    /** Where the phrase matchers split the words of the text folded last. */
    private PhraseMatcher.Words words;

    Buffers(boolean reused) {
      this.reused = reused;
    }

    /**
     * This thread's word arrays, of at least {@code capacity} words when new; arrays grown past
     * {@link Lexicon#MAX_RETAINED_WORDS} by an earlier text are dropped first.
     */
    PhraseMatcher.Words words(int capacity) {
      if (words == null || words.capacity() > Lexicon.MAX_RETAINED_WORDS) {
        words = new PhraseMatcher.Words(Math.min(capacity, Lexicon.MAX_RETAINED_WORDS));
      }
      return words;
    }

    /**
     * A source array of at least {@code capacity}, kept for the next call unless it is too large.
     */
    char[] source(int capacity) {
      if (source.length < capacity) {
        source = new char[Math.max(capacity, Math.min(MAX_RETAINED_CHARS, source.length * 2))];
      }
      return source;
    }

    /**
     * Output arrays of at least {@code capacity}, kept for the next call unless they are too large.
     */
    void ensure(int capacity) {
      if (chars.length < capacity) {
        int size = Math.max(capacity, Math.min(MAX_RETAINED_CHARS, chars.length * 2));
        chars = new char[size];
      }
    }

    void grow(int capacity) {
      int size = Math.max(capacity, chars.length * 2);
      chars = Arrays.copyOf(chars, size);
    }

    /**
     * Forgets arrays beyond the retention cap once the result built on them is no longer needed.
     */
    void trim() {
      if (source.length > MAX_RETAINED_CHARS) {
        source = new char[0];
      }
      // A text of MAX_RETAINED_CHARS chars needs SLACK more: its buffers are kept too.
      if (chars.length > MAX_RETAINED_CHARS + SLACK) {
        chars = new char[0];
      }
      if (breaks.length > MAX_RETAINED_BREAKS) {
        breaks = new int[INITIAL_BREAKS];
      }
      if (foldedBreaks.length > MAX_RETAINED_BREAKS) {
        foldedBreaks = new int[INITIAL_BREAKS];
      }
    }
  }

  /** Ints of an offset map (two a change) in new buffers. */
  private static final int INITIAL_BREAKS = 128;

  /**
   * Offset maps are kept between calls up to this many ints, as many as the dense map of a retained
   * text had: enough for a pair every two chars (prose has one every 40); a text that changes more
   * often gets a map of its own, dropped after use.
   */
  private static final int MAX_RETAINED_BREAKS = MAX_RETAINED_CHARS + TextNormalizer.SLACK;

  /**
   * Appends to {@code breaks} (pairs, {@code count} ints used) that from {@code index} on (at or
   * past the index of every pair there; a pair at the same index is overruled) the offset is the
   * index plus {@code delta}; returns the array, grown if it was full.
   */
  private static int[] addBreak(int[] breaks, int count, int index, int delta) {
    if (breaks.length < count + 2) {
      breaks = Arrays.copyOf(breaks, Math.max(INITIAL_BREAKS, breaks.length * 2));
    }
    breaks[count] = index;
    breaks[count + 1] = delta;
    return breaks;
  }

  /** Room the folded text may take beyond the length of the original before arrays grow. */
  private static final int SLACK = 16;

  private static NormalizedText foldInto(CharSequence text, Buffers b) {
    int len = text.length();
    // Large buffers from an earlier huge text are dropped here, before this text needs its own.
    b.trim();
    b.ensure(len + SLACK);
    char[] a = b.chars;
    // The text is copied into an array (reading an array is cheaper than String.charAt), which is
    // kept with the result: the prompt-injection decoder reads the original chars from it rather
    // than making a copy of its own. For as long as each char folds to one char (all of most
    // texts) the folded index is the original one, so no offset is stored. The copy goes by blocks
    // of COPY_BLOCK chars, each folded while it is still in the nearest cache (a long text copied
    // whole would be read back from a farther one); from the first char that does not fold to
    // one, the rest is copied at once.
    // Leetspeak is undone in the same blocks, one char behind the fold (it looks at the next one).
    char[] src = b.source(len);
    int identity = 0;
    int copied = 0;
    int unleet = 0;
    copying:
    while (copied < len) {
      int to = Math.min(len, copied + COPY_BLOCK);
      copy(text, copied, to, src);
      copied = to;
      while (identity < to) {
        char f = ONE[src[identity]];
        if (f == 0) {
          break copying;
        }
        a[identity++] = f;
      }
      unleet(a, unleet, to - 1, to);
      unleet = to - 1;
    }
    copy(text, copied, len, src);
    int n = identity;
    if (identity == len) {
      unleet(a, unleet, n, n);
      return secondPass(text, a, n, b, 0);
    }
    // From the first char that folds otherwise, the output may run ahead of the input, and the
    // offset map records each place where the output index stops being the input index plus the
    // delta so far (a pair is recorded only right before the char at its index is written).
    int[] br = b.breaks;
    int bc = 0;
    int delta = 0;
    int i = identity;
    while (i < len) {
      char c = src[i];
      char f = ONE[c];
      if (f != 0) {
        // The common case: one char in, one char out, for a run of chars; capacity is ensured.
        if (i - n != delta) {
          delta = i - n;
          br = addBreak(br, bc, n, delta);
          bc += 2;
        }
        do {
          a[n++] = f;
          i++;
        } while (i < len && (f = ONE[src[i]]) != 0);
        continue;
      }
      String s;
      int next = i + 1;
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && next < len && Character.isLowSurrogate(src[next])) {
          // Both chars of the pair map to the offset of the first one.
          s = supplementaryFold(Character.toCodePoint(c, src[next]));
          next++;
        } else {
          s = " ";
        }
      } else {
        s = bmpFold(c);
      }
      int need = n + s.length() + (len - i);
      if (need > a.length) {
        b.grow(need + 16);
        a = b.chars;
      }
      for (int k = 0; k < s.length(); k++) {
        if (i - n != delta) {
          delta = i - n;
          br = addBreak(br, bc, n, delta);
          bc += 2;
        }
        a[n++] = s.charAt(k);
      }
      i = next;
    }
    b.breaks = br;
    unleet(a, unleet, n, n);
    return secondPass(text, a, n, b, bc);
  }

  /**
   * Undoes leetspeak inside words in {@code a[from, to)}, of the first pass's {@code n} chars (the
   * chars before {@code from} done already): a digit or symbol counts as a letter when a letter
   * touches it.
   */
  private static void unleet(char[] a, int from, int to, int n) {
    for (int i = from; i < to; i++) {
      char c = a[i];
      if (c < 128 && LEET[c] != 0) {
        boolean prev = i > 0 && isLetter(a[i - 1]);
        boolean next = i + 1 < n && isLetter(a[i + 1]);
        if (prev || next) {
          a[i] = LEET[c];
        }
      }
    }
  }

  /** Chars copied from the text and folded at a time (a block and its fold fit in 16 KB). */
  private static final int COPY_BLOCK = 4096;

  /** Copies {@code text[from, to)} into {@code dst} at the same offsets. */
  private static void copy(CharSequence text, int from, int to, char[] dst) {
    if (text instanceof String str) {
      str.getChars(from, to, dst, from);
    } else {
      for (int i = from; i < to; i++) {
        dst[i] = text.charAt(i);
      }
    }
  }

  private static boolean isLetter(char c) {
    return c < 128 ? ASCII_CLASS[c] == LETTER : Character.isLetter(c);
  }

  private static boolean isWordChar(char c) {
    return c < 128 ? (ASCII_CLASS[c] & (LETTER | DIGIT)) != 0 : Character.isLetter(c);
  }

  private static boolean isSeparator(char c) {
    return c < 128 && ASCII_CLASS[c] == SEPARATOR;
  }

  /**
   * The second pass over the {@code n} chars the first pass left in {@code a} (leetspeak undone),
   * with the first pass's offset map in {@code buffers.breaks} ({@code firstCount} ints; none when
   * the first pass folded every char to one).
   */
  private static NormalizedText secondPass(
      CharSequence original, char[] a, int n, Buffers buffers, int firstCount) {
    // From here on the output is written into the same array: it is never longer than what has
    // been read, and whatever is read behind the write position is unchanged.
    char[] b = a;
    // The first pass's map is read through a cursor (first-pass indexes are read in increasing
    // order): the offset of first-pass char k is k + delta1 while k < next1.
    int[] first = buffers.breaks;
    int cursor = 0;
    int delta1 = 0;
    int next1 = firstCount > 0 ? first[0] : Integer.MAX_VALUE;
    // The folded text's map: output char m comes from original offset m + delta while no pair
    // says otherwise; a pair is recorded for the next char to be written (m), when it is written
    // or, in the word loop, as soon as the delta changes. Invariant outside the word loop: delta
    // is the delta of the last pair recorded (0 before any).
    int[] out = buffers.foldedBreaks;
    // The first int is left for the number of ints used, written at the end, the second for where
    // the last lookup ended (see NormalizedText).
    int count = 2;
    // The index of the last pair recorded (-1 before any), kept here rather than read back.
    int pairAt = -1;
    int delta = 0;
    int m = 0;
    int longestRun = 0;
    int runStart = 0;
    int runEnd = 0;
    int i = 0;
    while (i < n) {
      while (i >= next1) {
        delta1 = first[cursor + 1];
        cursor += 2;
        next1 = cursor < firstCount ? first[cursor] : Integer.MAX_VALUE;
      }
      char c = a[i];
      if (c == ' ' || c == '\n') {
        boolean newline = false;
        int start = i;
        while (i < n && (a[i] == ' ' || a[i] == '\n')) {
          newline |= a[i] == '\n';
          i++;
        }
        if (m > 0) {
          // The offset of first-pass char start (the cursor is at start).
          int o = start + delta1;
          if (o - m != delta) {
            delta = o - m;
            out = addBreak(out, count, m, delta);
            pairAt = m;
            count += 2;
          }
          b[m++] = newline ? '\n' : ' ';
        }
        continue;
      }
      if (i + 2 < n && isSeparator(a[i + 1]) && isLetter(c) && (i == 0 || !isWordChar(a[i - 1]))) {
        int end = spacedRunEnd(a, n, i);
        if (end > 0) {
          int letters = (end - i + 1) / 2;
          int start = i + delta1;
          for (int k = i; k < end; k += 2) {
            while (k >= next1) {
              delta1 = first[cursor + 1];
              cursor += 2;
              next1 = cursor < firstCount ? first[cursor] : Integer.MAX_VALUE;
            }
            if (!(m > 0 && b[m - 1] == a[k] && a[k] >= 'a' && a[k] <= 'z')) {
              int o = k + delta1;
              if (o - m != delta) {
                delta = o - m;
                out = addBreak(out, count, m, delta);
                pairAt = m;
                count += 2;
              }
              b[m++] = a[k];
            }
          }
          if (letters > longestRun) {
            longestRun = letters;
            runStart = start;
            // The last k of the loop was end - 1, so delta1 is its delta.
            runEnd = end - 1 + delta1 + 1;
          }
          i = end;
          continue;
        }
      }
      // Squeeze doubled letters ("outputt yourr" reads as "output your"); the vocabulary is
      // squeezed the same way.
      if (c >= 'a' && c <= 'z' && m > 0 && b[m - 1] == c) {
        // Squeezed: the next char written here comes from one further on, recorded at once (as
        // in the word loop below).
        i++;
        int shifted = i + delta1 - m;
        if (shifted != delta) {
          if (pairAt == m) {
            out[count - 1] = shifted;
          } else {
            out = addBreak(out, count, m, shifted);
            count += 2;
            pairAt = m;
          }
          delta = shifted;
        }
      } else {
        int o = i + delta1;
        if (o - m != delta) {
          delta = o - m;
          out = addBreak(out, count, m, delta);
          pairAt = m;
          count += 2;
        }
        b[m++] = c;
        i++;
      }
      if (isWordChar(c)) {
        // The rest of a word: ASCII letters after a word char start nothing and only need the
        // squeeze. Input and output advance together, so the offset map needs nothing, except
        // where a letter is squeezed: the output falls one behind, which is recorded at once for
        // the next char written (should another pair be recorded there, the later one counts).
        // A first-pass pair ends this loop, and so does the room left in the map (room for a pair
        // per char is made before, so that the loop checks none): the loop above goes on from
        // there (it treats a letter after a word char the same way). The last char written is
        // kept in a local: reading it back from the array would wait on the store just made.
        if (out.length - count < 64) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        char last = c;
        int end = Math.min(n, next1);
        int limit = Math.min(end, i + ((out.length - count) >> 1) - 1);
        while (i < limit) {
          char d = a[i];
          if (d < 'a' || d > 'z') {
            break;
          }
          i++;
          if (last != d) {
            b[m++] = d;
            last = d;
          } else {
            // A run of one letter ("aaaa") is squeezed whole, and one pair records the shift.
            while (i < end && a[i] == d) {
              i++;
            }
            int at = pairAt == m ? count - 2 : count;
            out[at] = m;
            out[at + 1] = i + delta1 - m;
            count = at + 2;
            pairAt = m;
          }
        }
        delta = i + delta1 - m;
      }
    }
    while (m > 0 && (b[m - 1] == ' ' || b[m - 1] == '\n')) {
      m--;
    }
    out[0] = count;
    out[1] = 0;
    buffers.foldedBreaks = out;
    // The original chars stay in buffers.source (NormalizedText#originalChars).
    return new NormalizedText(
        original, b, m, out, longestRun, runStart, runEnd, buffers.reused ? buffers : null);
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
}
