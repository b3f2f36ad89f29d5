package dev.llmguard.detect.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The normaliser keeps its map from folded to original offsets sparse (only where the delta
 * changes). These tests fold texts a second, plain way, with one offset stored per folded char, and
 * check that every method of {@link NormalizedText} answers exactly as that dense reference does.
 */
class SparseOffsetsTest {

  private static final List<String> PIECES = Fixtures.lines("/fixtures/text/fold-pieces.txt");

  @Test
  void randomTextsOfEveryUnusualKindMapBackExactlyAsADenseMapDoes() {
    Random random = new Random(20261126L);
    for (int round = 0; round < 4_000; round++) {
      String text = randomText(random, random.nextInt(round < 2_000 ? 12 : 120));
      assertSameAsDense(text);
    }
  }

  @Test
  void longTextsThatChangeTheDeltaAtNearlyEveryCharMapBackExactlyAsADenseMapDoes() {
    // Doubled letters, double spaces and invisibles every few chars: the map is nearly dense and
    // its arrays grow many times over.
    Random random = new Random(7L);
    for (String unit :
        List.of(
            "aab ",
            "x  y  ",
            "a\u200Bb",
            "\u00DFt",
            "i g n ",
            "\uD83D\uDE00z",
            "a",
            "ab",
            "aabbc",
            "AKIA")) {
      String text = unit.repeat(5_000 + random.nextInt(100));
      assertSameAsDense(text);
      assertSameAsDense("Q" + text + randomText(random, 50));
    }
  }

  @Test
  void longRandomTextsFoldAcrossTheCopyBlocksExactlyAsADenseMapDoes() {
    // The normaliser copies and folds long texts by blocks of 4,096 chars, undoing leetspeak one
    // char behind: leetspeak, spaced letters and unusual chars must fold alike on every boundary.
    Random random = new Random(99L);
    for (int round = 0; round < 12; round++) {
      assertSameAsDense(randomText(random, 1_500 + random.nextInt(1_500)));
    }
    String prose = TextNormalizerTest.longProse(9_000);
    for (String piece : List.of("h4ck3r", "3x", "x3", "i g n o r e", "\u00DF", "\u200B1")) {
      for (int at = 4_090; at <= 4_097; at++) {
        assertSameAsDense(prose.substring(0, at) + piece + prose.substring(at));
        assertSameAsDense(prose.substring(0, at) + "7" + piece + "4" + prose.substring(at));
      }
    }
  }

  @Test
  void aRunOfOneLetterKeepsItsOffsetMapSmall() {
    // Each squeezed letter moves the last pair on rather than adding one: 100,000 a's fold to "a"
    // with a map of one pair, not one pair per letter.
    String text = "b" + "a".repeat(100_000) + "c";
    assertSameAsDense(text);
    NormalizedText folded = TextNormalizer.fold(text);
    assertThat(folded).hasToString("bac");
    assertThat(folded.mapSize()).isLessThanOrEqualTo(2);
  }

  @Test
  void prosePlainOrWithOneUnusualCharMapsBackExactlyAsADenseMapDoes() {
    String prose = TextNormalizerTest.longProse(30_000);
    assertSameAsDense(prose);
    for (String unusual : List.of("\u00DF", "\u200B", "\uD83D\uDE00", "\uFB01", "  \n ", "ll")) {
      for (int at : new int[] {0, 1, 9_999, prose.length() - 1}) {
        assertSameAsDense(prose.substring(0, at) + unusual + prose.substring(at));
      }
    }
  }

  @Test
  void fixtureTextsOfEveryDetectorFamilyMapBackExactlyAsADenseMapDoes() {
    for (String f :
        List.of(
            "/fixtures/text/payloads.txt",
            "/fixtures/text/long-prose.txt",
            "/fixtures/prompt-injection/obfuscated.txt",
            "/fixtures/prompt-injection/multilingual.txt",
            "/fixtures/prompt-injection/templates.txt",
            "/fixtures/prompt-injection/encoded.txt",
            "/fixtures/jailbreak/personas.txt",
            "/fixtures/invisible-text/tag-smuggling.txt",
            "/fixtures/invisible-text/zero-width.txt")) {
      for (String text : Fixtures.lines(f)) {
        assertSameAsDense(text);
      }
    }
  }

  private static String randomText(Random random, int pieces) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < pieces; k++) {
      if (random.nextInt(4) == 0) {
        sb.append(' ');
      }
      sb.append(PIECES.get(random.nextInt(PIECES.size())));
    }
    return sb.toString();
  }

  /** Folds {@code text} every way the normaliser offers and compares each with the reference. */
  private static void assertSameAsDense(String text) {
    DenseFold expected = DenseFold.of(text);
    assertSame(TextNormalizer.fold(text), expected, text);
    assertSame(TextNormalizer.normalize(text), expected, text);
    assertSame(TextNormalizer.foldDecoded(new StringBuilder(text)), expected, text);
  }

  private static void assertSame(NormalizedText actual, DenseFold expected, String text) {
    String what = describe(text);
    assertThat(actual.toString()).as("fold of %s", what).isEqualTo(expected.folded());
    assertThat(actual.length()).isEqualTo(expected.length);
    for (int i = -1; i <= expected.length + 1; i++) {
      if (i >= 0) {
        int start = actual.originStart(i);
        if (start != expected.originStart(i)) {
          assertThat(start).as("origin of %d in %s", i, what).isEqualTo(expected.originStart(i));
        }
      }
      int end = actual.originEnd(i);
      if (end != expected.originEnd(i)) {
        assertThat(end).as("end of %d in %s", i, what).isEqualTo(expected.originEnd(i));
      }
    }
    // Lookups start where the last one ended: backwards and in jumps they must agree too.
    for (int i = expected.length; i >= 0; i -= 1 + (i % 7)) {
      int start = actual.originStart(i);
      if (start != expected.originStart(i)) {
        assertThat(start)
            .as("origin of %d, backwards, in %s", i, what)
            .isEqualTo(expected.originStart(i));
      }
      int end = actual.originEnd(i);
      if (end != expected.originEnd(i)) {
        assertThat(end).as("end of %d, backwards, in %s", i, what).isEqualTo(expected.originEnd(i));
      }
      int jump = (int) ((i * 2654435761L) % (expected.length + 1));
      if (actual.originStart(jump) != expected.originStart(jump)) {
        assertThat(actual.originStart(jump))
            .as("origin of %d, after a jump, in %s", jump, what)
            .isEqualTo(expected.originStart(jump));
      }
    }
    assertThat(actual.longestSpacedRun()).as("run in %s", what).isEqualTo(expected.longestRun);
    assertThat(actual.spacedRunStart()).as("run start in %s", what).isEqualTo(expected.runStart);
    assertThat(actual.spacedRunEnd()).as("run end in %s", what).isEqualTo(expected.runEnd);
  }

  /** The text with its chars outside printable ASCII escaped, cut short, for failure messages. */
  private static String describe(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(text.length(), 300); i++) {
      char c = text.charAt(i);
      sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\u%04X", (int) c));
    }
    return sb.toString();
  }

  /**
   * The fold made the plain way, one original offset stored for every folded char: both passes of
   * the normaliser written out without its shortcuts (no identity prefix, no writing in place, no
   * word loop), and its offset lookups as they were before the map became sparse.
   */
  private static final class DenseFold {
    private final String original;
    private final char[] chars;
    private final int[] origin;
    private int length;
    private int longestRun;
    private int runStart;
    private int runEnd;

    private DenseFold(String original, int capacity) {
      this.original = original;
      this.chars = new char[capacity];
      this.origin = new int[capacity];
    }

    String folded() {
      return new String(chars, 0, length);
    }

    static DenseFold of(String text) {
      // First pass: each code point (a lone surrogate is one) folded on its own; every char of
      // its fold maps to the offset of its first char.
      StringBuilder a = new StringBuilder();
      int[] ao = new int[text.length() * 4 + 4];
      for (int i = 0; i < text.length(); ) {
        char c = text.charAt(i);
        boolean pair =
            Character.isHighSurrogate(c)
                && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
        String fold = TextNormalizer.foldOf(pair ? text.codePointAt(i) : c);
        for (int k = 0; k < fold.length(); k++) {
          if (a.length() == ao.length) {
            ao = Arrays.copyOf(ao, ao.length * 2);
          }
          ao[a.length()] = i;
          a.append(fold.charAt(k));
        }
        i += pair ? 2 : 1;
      }
      int n = a.length();
      char[] in = new char[n];
      a.getChars(0, n, in, 0);
      // Leetspeak inside words.
      for (int i = 0; i < n; i++) {
        char c = in[i];
        char leet = leet(c);
        if (leet != 0 && (i > 0 && isLetter(in[i - 1]) || i + 1 < n && isLetter(in[i + 1]))) {
          in[i] = leet;
        }
      }
      DenseFold out = new DenseFold(text, n);
      int i = 0;
      while (i < n) {
        char c = in[i];
        if (c == ' ' || c == '\n') {
          boolean newline = false;
          int start = i;
          while (i < n && (in[i] == ' ' || in[i] == '\n')) {
            newline |= in[i] == '\n';
            i++;
          }
          if (out.length > 0) {
            out.put(newline ? '\n' : ' ', ao[start]);
          }
          continue;
        }
        if (isLetter(c) && (i == 0 || !isWordChar(in[i - 1]))) {
          int end = spacedRunEnd(in, n, i);
          if (end > 0) {
            int letters = (end - i + 1) / 2;
            if (letters > out.longestRun) {
              out.longestRun = letters;
              out.runStart = ao[i];
              out.runEnd = ao[end - 1] + 1;
            }
            for (int k = i; k < end; k += 2) {
              out.putSqueezed(in[k], ao[k]);
            }
            i = end;
            continue;
          }
        }
        out.putSqueezed(c, ao[i]);
        i++;
      }
      while (out.length > 0
          && (out.chars[out.length - 1] == ' ' || out.chars[out.length - 1] == '\n')) {
        out.length--;
      }
      return out;
    }

    /** Appends {@code c} unless it is an ASCII letter equal to the last char appended. */
    private void putSqueezed(char c, int offset) {
      if (c >= 'a' && c <= 'z' && length > 0 && chars[length - 1] == c) {
        return;
      }
      put(c, offset);
    }

    private void put(char c, int offset) {
      chars[length] = c;
      origin[length++] = offset;
    }

    int originStart(int i) {
      return i >= length ? original.length() : origin[i];
    }

    int originEnd(int end) {
      if (end <= 0) {
        return 0;
      }
      if (end >= length) {
        return original.length();
      }
      int last = origin[end - 1];
      int next = origin[end];
      if (next <= last) {
        return last + 1;
      }
      int e = next;
      while (e > last + 1 && Character.isWhitespace(original.charAt(e - 1))) {
        e--;
      }
      return e;
    }

    private static char leet(char c) {
      int k = "013457@$".indexOf(c);
      return k < 0 ? 0 : "oieastas".charAt(k);
    }

    private static boolean isLetter(char c) {
      return c < 128 ? c >= 'a' && c <= 'z' : Character.isLetter(c);
    }

    private static boolean isWordChar(char c) {
      return c < 128 ? c >= 'a' && c <= 'z' || c >= '0' && c <= '9' : Character.isLetter(c);
    }

    private static boolean isSeparator(char c) {
      return " .-_*/|".indexOf(c) >= 0;
    }

    /** Index after a run of at least three single letters with one separator between, or 0. */
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
      for (int j = i + 2; j <= k; j += 2) {
        if (a[j] != a[i]) {
          return k + 1;
        }
      }
      return 0;
    }
  }
}
