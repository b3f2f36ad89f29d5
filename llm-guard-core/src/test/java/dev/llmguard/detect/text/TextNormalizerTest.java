package dev.llmguard.detect.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
