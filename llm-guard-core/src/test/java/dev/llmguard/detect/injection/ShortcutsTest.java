package dev.llmguard.detect.injection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.detect.text.Fixtures;
import dev.llmguard.detect.text.TextNormalizer;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The cheap checks that let the prompt-injection passes skip prose: each must let through every
 * text its pass could report something for (else the detector would miss it), and should stop
 * ordinary prose (else it saves nothing).
 */
class ShortcutsTest {

  @Test
  void theFillerProbeLetsThroughEveryFillerAndStopsProse() {
    List<String> cases = Fixtures.lines("/fixtures/perf/repeat-probe.tsv");
    assertThat(cases).hasSizeGreaterThan(6);
    SoftAssertions softly = new SoftAssertions();
    for (String line : cases) {
      String[] parts = line.split("\t", -1);
      softly
          .assertThat(Markers.mayRepeat(TextNormalizer.fold(parts[0])))
          .as("probe on %s", parts[0])
          .isEqualTo(Boolean.parseBoolean(parts[1]));
    }
    softly.assertAll();
  }

  @Test
  void everyTextWithFillerPassesTheFillerProbe() {
    for (String line : Fixtures.lines("/fixtures/prompt-injection/filler.tsv")) {
      String[] parts = line.split("\t", -1);
      if (!parts[1].equals("none")) {
        assertThat(Markers.mayRepeat(TextNormalizer.fold(parts[0]))).as(parts[0]).isTrue();
      }
    }
  }

  @Test
  void theSpacedHexProbeFindsEightHexBytesAtAnyOffset() {
    List<String> runs = Fixtures.lines("/fixtures/perf/spaced-hex-probe.txt");
    assertThat(runs).hasSize(3);
    for (String run : runs) {
      for (int offset = 0; offset < 3 * 23; offset++) {
        char[] text = ("x".repeat(offset) + " " + run + " tail").toCharArray();
        assertThat(Decoder.mayHoldSpacedHex(text, text.length))
            .as("%s at offset %d", run, offset)
            .isTrue();
      }
    }
  }

  @Test
  void proseWithTwoLetterHexWordsPassesTheSpacedHexProbe() {
    for (String line : Fixtures.lines("/fixtures/perf/spaced-hex-prose.txt")) {
      char[] text = line.repeat(20).toCharArray();
      assertThat(Decoder.mayHoldSpacedHex(text, text.length)).as(line).isFalse();
    }
  }

  @Test
  void theGapCountLetsThroughLettersSpelledOutWithSeparatorsOnly() {
    List<String> cases = Fixtures.lines("/fixtures/perf/spelled-gaps.tsv");
    assertThat(cases).hasSizeGreaterThan(6);
    SoftAssertions softly = new SoftAssertions();
    for (String line : cases) {
      String[] parts = line.split("\t", -1);
      char[] text = parts[0].toCharArray();
      softly
          .assertThat(PromptInjectionDetector.mayJoin(text, text.length))
          .as("gap count on %s", parts[0])
          .isEqualTo(Boolean.parseBoolean(parts[1]));
    }
    softly.assertAll();
  }

  /**
   * The spaced-hex probe's quick test (one space and two hex digits in three chars next to each
   * probed char) lets through every text that the full check at every probed char accepts: random
   * texts of hex digits, spaces and other chars, whose near-runs fall at every offset and at both
   * ends of the text.
   */
  @Test
  void theSpacedHexProbeAgreesWithCheckingEveryPlaceNearEachProbe() {
    java.util.Random random = new java.util.Random(41);
    String alphabet = "0a9F  x.g\u00e9";
    int accepted = 0;
    for (int k = 0; k < 50_000; k++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(80);
      while (sb.length() < length) {
        sb.append(
            random.nextInt(3) == 0
                ? "a0 "
                : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
      }
      char[] text = sb.toString().toCharArray();
      boolean expected = spacedHexNearAProbe(text, text.length);
      accepted += expected ? 1 : 0;
      assertThat(Decoder.mayHoldSpacedHex(text, text.length)).as(sb.toString()).isEqualTo(expected);
    }
    assertThat(accepted).as("texts with hex bytes near a probe").isBetween(1_000, 40_000);
  }

  /** The probe without its quick test: three spaced hex bytes at most 7 chars before a probe. */
  private static boolean spacedHexNearAProbe(char[] text, int n) {
    int stride = 3 * Decoder.SPACED_HEX_MIN - 1;
    for (int c = 0; c < n; c += stride) {
      for (int j = Math.max(0, c - 7); j <= c && j + 7 < n; j++) {
        boolean bytes = text[j + 2] == ' ' && text[j + 5] == ' ';
        for (int h : new int[] {0, 1, 3, 4, 6, 7}) {
          bytes &= Character.digit(text[j + h], 16) >= 0 && text[j + h] < 128;
        }
        if (bytes) {
          return true;
        }
      }
    }
    return false;
  }
}
