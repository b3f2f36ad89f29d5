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
}
