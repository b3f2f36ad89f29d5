package dev.llmguard.detect.jailbreak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.detect.text.Fixtures;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.testkit.DetectorContractTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JailbreakDetectorTest extends DetectorContractTest {

  private static final String DIR = "/fixtures/jailbreak/";

  @Override
  protected DetectorProvider provider() {
    return new JailbreakDetectorProvider();
  }

  @Override
  protected List<String> positiveSamples() {
    return Fixtures.lines(DIR + "personas.txt");
  }

  private double score(String text) {
    return scan(text).stream().mapToDouble(Finding::score).max().orElse(0.0);
  }

  @Test
  void everyPersonaJailbreakInTheFixtureScoresAtLeastOneHalf() {
    for (String attack : positiveSamples()) {
      assertThat(score(attack)).as("score of: %s", attack).isGreaterThanOrEqualTo(0.5);
    }
  }

  @Test
  void everyJailbreakOfTheAddedFamiliesScoresAtLeastOneHalf() {
    for (String attack : Fixtures.lines(DIR + "more-families.txt")) {
      assertThat(score(attack)).as("score of: %s", attack).isGreaterThanOrEqualTo(0.5);
    }
  }

  @Test
  void aRequestSlotMarksATemplateButABusinessPlaceholderAloneDoesNot() {
    String slot =
        Fixtures.lines(DIR + "more-families.txt").stream()
            .filter(l -> l.contains("[INSERT PROMPT HERE]"))
            .findFirst()
            .orElseThrow();
    String card =
        Fixtures.lines(DIR + "more-families.txt").stream()
            .filter(l -> l.contains("{{user}}"))
            .findFirst()
            .orElseThrow();
    String business =
        Fixtures.lines(DIR + "hard-negatives.txt").stream()
            .filter(l -> l.contains("{{customer_name}}"))
            .findFirst()
            .orElseThrow();
    assertThat(scan(slot).get(0).metadata().get("families")).contains("template");
    assertThat(scan(card).get(0).metadata().get("signals")).contains("template-placeholder");
    assertThat(score(business)).isLessThan(0.3);
  }

  @Test
  void harmlessRolePlayAndTriggerWordsStayBelowOneHalf() {
    for (String harmless : Fixtures.lines(DIR + "hard-negatives.txt")) {
      assertThat(score(harmless)).as("score of: %s", harmless).isLessThan(0.5);
    }
  }

  @Test
  void theScoreIsGradedByHowManyFamiliesAgree() {
    List<String> p = positiveSamples();
    double dan = score(p.get(0));
    double oneFamily = score(Fixtures.lines(DIR + "hard-negatives.txt").get(9));
    assertThat(dan).isGreaterThan(0.8);
    assertThat(oneFamily).isLessThan(0.5);
  }

  @Test
  void aFindingNamesItsFamiliesAndSpansTheMatchedPhrases() {
    String text = positiveSamples().get(0);
    Finding f = scan(text).get(0);
    assertThat(f.category()).isEqualTo(Category.JAILBREAK);
    assertThat(f.metadata().get("families")).contains("dan");
    assertThat(f.spans())
        .anySatisfy(
            s -> assertThat(text.substring(s.start(), s.end())).contains("Do Anything Now"));
  }

  @Test
  void runsInTheResponsePhaseWhenConfigured() {
    var d = provider().create(DetectorConfig.of("jailbreak", Map.of("phases", "prompt,response")));
    assertThat(d.phases()).containsExactlyInAnyOrder(Phase.PROMPT, Phase.RESPONSE);
    assertThatThrownBy(
            () -> provider().create(DetectorConfig.of("jailbreak", Map.of("phases", "output"))))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage(
            "Invalid value 'output' for llmguard.detector.jailbreak.phases: expected prompt,"
                + " response or both");
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
