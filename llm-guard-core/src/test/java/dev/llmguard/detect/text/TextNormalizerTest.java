package dev.llmguard.detect.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {

  @Test
  void foldsCaseWidthHomoglyphsLeetspeakInvisiblesSpacingAndDoubledLetters() {
    List<String> cases = Fixtures.lines("/fixtures/text/normalization.tsv");
    assertThat(cases).hasSizeGreaterThan(10);
    for (String line : cases) {
      String[] parts = line.split("\t", -1);
      assertThat(TextNormalizer.fold(parts[0]).toString())
          .as("fold of %s", parts[0])
          .isEqualTo(parts[1]);
    }
  }

  @Test
  void everyFoldedCharMapsBackIntoTheOriginalText() {
    for (String line : Fixtures.lines("/fixtures/prompt-injection/obfuscated.txt")) {
      NormalizedText t = TextNormalizer.fold(line);
      for (int i = 0; i < t.length(); i++) {
        assertThat(t.originStart(i)).isBetween(0, line.length() - 1);
        if (i > 0) {
          assertThat(t.originStart(i)).isGreaterThanOrEqualTo(t.originStart(i - 1));
        }
      }
      assertThat(t.originEnd(t.length())).isEqualTo(line.length());
    }
  }

  @Test
  void aPhraseFoundInFoldedTextMapsToItsOriginalSpan() {
    String original = Fixtures.lines("/fixtures/prompt-injection/obfuscated.txt").get(3);
    NormalizedText t = TextNormalizer.fold(original);
    int at = t.indexOf("previous", 0);
    assertThat(at).isNotNegative();
    String span = original.substring(t.originStart(at), t.originEnd(at + "previous".length()));
    assertThat(span.replace("\u200b", "")).isEqualToIgnoringCase("previous");
  }

  @Test
  void theLastResultIsReusedForTheSameStringInstanceOnly() {
    String text = Fixtures.lines("/fixtures/prompt-injection/multilingual.txt").get(0);
    NormalizedText first = TextNormalizer.normalize(text);
    assertThat(TextNormalizer.normalize(text)).isSameAs(first);
    assertThat(TextNormalizer.normalize(new String(text)))
        .isNotSameAs(first)
        .hasToString(first.toString());
  }

  /** Every fixture text of the text, prompt-injection and jailbreak families. */
  private static List<String> samples() {
    List<String> all = new ArrayList<>();
    for (String f :
        List.of(
            "/fixtures/text/payloads.txt",
            "/fixtures/text/long-prose.txt",
            "/fixtures/prompt-injection/obfuscated.txt",
            "/fixtures/prompt-injection/multilingual.txt",
            "/fixtures/prompt-injection/templates.txt",
            "/fixtures/prompt-injection/encoded.txt",
            "/fixtures/jailbreak/personas.txt")) {
      all.addAll(Fixtures.lines(f));
    }
    for (String line : Fixtures.lines("/fixtures/text/normalization.tsv")) {
      all.add(line.split("\t", -1)[0]);
    }
    return all;
  }

  /** Prose of at least {@code length} chars. */
  static String longProse(int length) {
    String paragraph = String.join(" ", Fixtures.lines("/fixtures/text/long-prose.txt"));
    StringBuilder sb = new StringBuilder(length + paragraph.length());
    while (sb.length() < length) {
      sb.append(paragraph).append("\n\n");
    }
    return sb.toString();
  }

  private static void assertSameFold(NormalizedText actual, NormalizedText expected) {
    assertThat(actual.toString()).isEqualTo(expected.toString());
    for (int i = 0; i <= expected.length(); i++) {
      assertThat(actual.originStart(i)).as("origin of %d", i).isEqualTo(expected.originStart(i));
      assertThat(actual.originEnd(i)).as("end of %d", i).isEqualTo(expected.originEnd(i));
    }
    assertThat(actual.longestSpacedRun()).isEqualTo(expected.longestSpacedRun());
    assertThat(actual.spacedRunStart()).isEqualTo(expected.spacedRunStart());
    assertThat(actual.spacedRunEnd()).isEqualTo(expected.spacedRunEnd());
  }

  @Test
  void anInvisibleCharInFrontShiftsEveryOffsetByOneWhereverTheFirstUnusualCharComes() {
    // Offsets of a text whose every char folds to one char are not stored but known: a zero-width
    // char in front makes the normaliser store them all, and must change nothing but the shift.
    List<String> texts = new ArrayList<>(samples());
    texts.add(longProse(3_000));
    String prose = longProse(2_000);
    for (String unusual : List.of("\u00df", "\u200b", "\uD83D\uDE00", "\uFB01", "  \n ")) {
      for (int at : new int[] {0, 1, 700, 1_999}) {
        texts.add(prose.substring(0, at) + unusual + prose.substring(at));
      }
    }
    for (String text : texts) {
      NormalizedText plain = TextNormalizer.normalize(text);
      String plainFold = plain.toString();
      int[] starts = new int[plain.length() + 1];
      int[] ends = new int[plain.length() + 1];
      for (int i = 0; i <= plain.length(); i++) {
        starts[i] = plain.originStart(i);
        ends[i] = plain.originEnd(i);
      }
      NormalizedText shifted = TextNormalizer.normalize("\u200b" + text);
      assertThat(shifted.toString()).isEqualTo(plainFold);
      for (int i = 0; i <= shifted.length(); i++) {
        assertThat(shifted.originStart(i)).as("origin of %d", i).isEqualTo(starts[i] + 1);
        assertThat(shifted.originEnd(i)).as("end of %d", i).isEqualTo(i == 0 ? 0 : ends[i] + 1);
      }
    }
  }

  @Test
  void reusedBuffersFoldEveryTextAsFreshBuffersDoWhateverCameBefore() {
    List<String> texts = new ArrayList<>(samples());
    // Long, short, long again: the buffers grow, are reused for shorter texts, and grow again.
    texts.add(0, longProse(50_000));
    texts.add(texts.size() / 2, longProse(20_000));
    for (String text : texts) {
      NormalizedText reused = TextNormalizer.normalize(text);
      assertSameFold(reused, TextNormalizer.fold(text));
      assertSameFold(TextNormalizer.foldDecoded(text), TextNormalizer.fold(text));
    }
  }

  @Test
  void aTextLongerThanTheRetainedBuffersFoldsLikeAnyOtherAndLeavesTheNextTextIntact() {
    String huge = longProse(TextNormalizer.MAX_RETAINED_CHARS + 10_000);
    String small = samples().get(0);
    assertSameFold(TextNormalizer.normalize(huge), TextNormalizer.fold(huge));
    assertSameFold(TextNormalizer.normalize(small), TextNormalizer.fold(small));
    assertSameFold(TextNormalizer.normalize(huge), TextNormalizer.fold(huge));
  }

  @Test
  void theOriginalCharsOfAFoldedTextAreTheTextItselfWhateverItsFoldAndItsLength() {
    List<String> texts = new ArrayList<>(samples());
    // Longer than the retained buffers, exactly as long, then short again.
    texts.add(longProse(TextNormalizer.MAX_RETAINED_CHARS + 500));
    texts.add(
        longProse(TextNormalizer.MAX_RETAINED_CHARS)
            .substring(0, TextNormalizer.MAX_RETAINED_CHARS));
    texts.add(longProse(20_000));
    for (String text : texts) {
      for (NormalizedText folded :
          List.of(
              TextNormalizer.normalize(text),
              TextNormalizer.foldDecoded(text),
              TextNormalizer.fold(text))) {
        char[] original = folded.originalChars();
        assertThat(original.length).isGreaterThanOrEqualTo(text.length());
        assertThat(new String(original, 0, text.length())).isEqualTo(text);
      }
    }
  }

  @Test
  void theOriginalCharsOfTheScannedTextStayIntactWhilePayloadsAreFolded() {
    List<String> texts = samples();
    String text = longProse(10_000) + texts.get(3);
    NormalizedText scan = TextNormalizer.normalize(text);
    char[] original = scan.originalChars();
    for (String payload : texts) {
      TextNormalizer.foldDecoded(payload);
      TextNormalizer.fold(payload);
    }
    assertThat(new String(original, 0, text.length())).isEqualTo(text);
    assertThat(TextNormalizer.normalize(text).originalChars()).isSameAs(original);
  }

  @Test
  void foldingADecodedPayloadLeavesTheNormalizedTextOfTheScanIntact() {
    List<String> texts = samples();
    String text = texts.get(3);
    NormalizedText scan = TextNormalizer.normalize(text);
    String before = scan.toString();
    for (String payload : texts) {
      TextNormalizer.foldDecoded(payload);
    }
    assertThat(scan.toString()).isEqualTo(before);
    assertThat(TextNormalizer.normalize(text)).isSameAs(scan);
  }

  @Test
  void threadsFoldingDifferentTextsAtTheSameTimeEachGetTheirOwnResult() throws Exception {
    List<String> texts = samples();
    texts.add(longProse(30_000));
    List<String> expected = texts.stream().map(t -> TextNormalizer.fold(t).toString()).toList();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int thread = 0; thread < 6; thread++) {
        int offset = thread * 7;
        results.add(
            pool.submit(
                () -> {
                  int checked = 0;
                  for (int round = 0; round < 20; round++) {
                    for (int k = 0; k < texts.size(); k++) {
                      int at = (k + offset + round) % texts.size();
                      // A fresh instance, so that the per-thread cache cannot answer.
                      String text = new String(texts.get(at).toCharArray());
                      assertThat(TextNormalizer.normalize(text).toString())
                          .isEqualTo(expected.get(at));
                      checked++;
                    }
                  }
                  return checked;
                }));
      }
      for (Future<Integer> r : results) {
        assertThat(r.get()).isEqualTo(20 * texts.size());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
