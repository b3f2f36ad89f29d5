package dev.llmguard.detect.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.detect.text.Fixtures;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Span;
import dev.llmguard.testkit.DetectorContractTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PromptInjectionDetectorTest extends DetectorContractTest {

  private static final String DIR = "/fixtures/prompt-injection/";

  @Override
  protected DetectorProvider provider() {
    return new PromptInjectionDetectorProvider();
  }

  @Override
  protected List<String> positiveSamples() {
    return Fixtures.lines(DIR + "multilingual.txt");
  }

  private double score(String text) {
    return scan(text).stream().mapToDouble(Finding::score).max().orElse(0.0);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "multilingual.txt",
        "obfuscated.txt",
        "templates.txt",
        "encoded.txt",
        "more-families.txt"
      })
  void everyAttackInTheFixtureScoresAtLeastOneHalf(String file) {
    for (String attack : Fixtures.lines(DIR + file)) {
      assertThat(score(attack)).as("score of: %s", attack).isGreaterThanOrEqualTo(0.5);
    }
  }

  @Test
  void hardNegativesStayBelowOneHalf() {
    for (String harmless : Fixtures.lines(DIR + "hard-negatives.txt")) {
      assertThat(score(harmless)).as("score of: %s", harmless).isLessThan(0.5);
    }
  }

  @Test
  void aFindingCarriesCategoryFamiliesAndTheSpanOfTheOverridePhrase() {
    String text = positiveSamples().get(0);
    List<Finding> found = scan(text);
    assertThat(found).hasSize(1);
    Finding f = found.get(0);
    assertThat(f.category()).isEqualTo(Category.PROMPT_INJECTION);
    assertThat(f.metadata().get("families")).contains("override");
    Span first = f.spans().get(0);
    assertThat(text.substring(first.start(), first.end()))
        .startsWith("ignore all previous instructions");
  }

  @Test
  void spansPointIntoTheOriginalTextThroughInvisibleAndLookAlikeCharacters() {
    String text = Fixtures.lines(DIR + "obfuscated.txt").get(3);
    Span s = scan(text).get(0).spans().get(0);
    assertThat(text.substring(s.start(), s.end()).replace("\u200b", ""))
        .startsWith("Ignore all previous instructions");
  }

  @Test
  void anEncodedPayloadIsReportedOverTheEncodedRun() {
    String text = Fixtures.lines(DIR + "encoded.txt").get(0);
    Finding f = scan(text).get(0);
    assertThat(f.metadata().get("signals")).contains("base64-payload");
    Span s = f.spans().get(f.spans().size() - 1);
    assertThat(text.substring(s.start(), s.end())).startsWith("SWdub3Jl");
  }

  @Test
  void moreSignalsGiveAHigherScore() {
    double single = score(Fixtures.lines(DIR + "templates.txt").get(4));
    double several = score(Fixtures.lines(DIR + "templates.txt").get(0));
    assertThat(single).isBetween(0.5, 0.99);
    assertThat(several).isGreaterThan(0.5);
    assertThat(score(Fixtures.lines(DIR + "hard-negatives.txt").get(0))).isLessThan(single);
  }

  @Test
  void decodingCanBeSwitchedOff() {
    var d = provider().create(DetectorConfig.of("prompt-injection", Map.of("max-decode", "0")));
    String text = Fixtures.lines(DIR + "encoded.txt").get(0);
    assertThat(d.detect(dev.llmguard.spi.ScanInput.of(dev.llmguard.spi.Phase.PROMPT, text)))
        .isEmpty();
  }

  @Test
  void anOutOfRangeSettingNamesTheKey() {
    assertThatThrownBy(
            () ->
                provider()
                    .create(DetectorConfig.of("prompt-injection", Map.of("min-score", "1.5"))))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("llmguard.detector.prompt-injection.")
        .hasMessageContaining("min-score must be between 0 and 1 but was 1.5");
  }

  private List<String> signals(String text) {
    return Fixtures.signalNames(scan(text));
  }

  @Test
  void eachSignalOfTheRecallRoundFiresOnItsSampleAndTheSampleScoresAtLeastOneHalf() {
    Fixtures.assertSignalLines(DIR + "signals-recall3.txt", true, this::signals, this::score);
  }

  @Test
  void harmlessLookAlikesOfTheRecallRoundSignalsStayBelowOneHalfWithoutTheSignal() {
    Fixtures.assertSignalLines(DIR + "lookalikes-recall3.txt", false, this::signals, this::score);
  }
}
