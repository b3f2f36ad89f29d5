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

  // The learned model (JailbreakModel): consulted only for weak rule evidence.

  private static final JailbreakModel ALWAYS_YES =
      new JailbreakModel(4, 4096, 20, 0.6, new float[16], "always yes");
  private static final JailbreakModel ALWAYS_NO =
      new JailbreakModel(4, 4096, -20, 0.6, new float[16], "always no");

  private static Finding only(JailbreakDetector d, String text) {
    List<Finding> findings = d.detect(dev.llmguard.spi.ScanInput.of(Phase.PROMPT, text));
    assertThat(findings).as(text).hasSize(1);
    return findings.get(0);
  }

  private static double rulesOnly(String text) {
    return new JailbreakDetector(0, java.util.Set.of(Phase.PROMPT), null)
        .detect(dev.llmguard.spi.ScanInput.of(Phase.PROMPT, text)).stream()
            .mapToDouble(Finding::score)
            .max()
            .orElse(0);
  }

  /** Hard negatives whose rule evidence is weak but present: the texts the model is shown. */
  private static List<String> weakEvidence() {
    List<String> weak =
        Fixtures.lines(DIR + "hard-negatives.txt").stream()
            .filter(
                t ->
                    rulesOnly(t) >= JailbreakDetector.LEARNED_GATE
                        && rulesOnly(t) < JailbreakDetector.LEARNED_PROMOTION)
            .toList();
    assertThat(weak).as("hard negatives with weak evidence").hasSizeGreaterThanOrEqualTo(5);
    return weak;
  }

  @Test
  void weakEvidenceThatTheModelCorroboratesRisesToAMediumFindingMarkedLearned() {
    JailbreakDetector d = new JailbreakDetector(0.3, java.util.Set.of(Phase.PROMPT), ALWAYS_YES);
    for (String text : weakEvidence()) {
      Finding f = only(d, text);
      assertThat(f.score()).as(text).isBetween(0.5, 0.75);
      assertThat(f.confidence()).isEqualTo(dev.llmguard.spi.Confidence.MEDIUM);
      assertThat(f.metadata().get("families")).as(text).endsWith(",learned");
      assertThat(f.metadata()).containsEntry("model-probability", "1.000");
      assertThat(f.message()).endsWith(", corroborated by the learned model");
    }
  }

  @Test
  void weakEvidenceThatTheModelDoesNotCorroborateKeepsItsRuleScore() {
    JailbreakDetector d = new JailbreakDetector(0.3, java.util.Set.of(Phase.PROMPT), ALWAYS_NO);
    for (String text : weakEvidence()) {
      Finding f = only(d, text);
      assertThat(f.score()).as(text).isEqualTo(rulesOnly(text));
      assertThat(f.metadata().get("families")).as(text).doesNotContain("learned");
      assertThat(f.metadata()).containsEntry("model-probability", "0.000");
    }
  }

  @Test
  void theModelNeverReportsATextThatHasNoRuleEvidence() {
    JailbreakDetector d = new JailbreakDetector(0.0, java.util.Set.of(Phase.PROMPT), ALWAYS_YES);
    int checked = 0;
    for (String text : Fixtures.lines(DIR + "hard-negatives.txt")) {
      if (rulesOnly(text) < JailbreakDetector.LEARNED_GATE) {
        assertThat(
                d.detect(dev.llmguard.spi.ScanInput.of(Phase.PROMPT, text)).stream()
                    .mapToDouble(Finding::score)
                    .max()
                    .orElse(0))
            .as(text)
            .isLessThan(JailbreakDetector.LEARNED_GATE);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(10);
  }

  @Test
  void strongEvidenceIsNotShownToTheModel() {
    JailbreakDetector d = new JailbreakDetector(0.3, java.util.Set.of(Phase.PROMPT), ALWAYS_NO);
    for (String attack : positiveSamples()) {
      Finding f = only(d, attack);
      assertThat(f.score()).as(attack).isEqualTo(rulesOnly(attack));
      assertThat(f.metadata()).as(attack).doesNotContainKey("model-probability");
    }
  }

  @Test
  void theBundledModelCorroboratesNoHardNegativeNorLookalike() {
    JailbreakDetector d = new JailbreakDetector();
    List<String> harmless = new java.util.ArrayList<>(Fixtures.lines(DIR + "hard-negatives.txt"));
    for (String line : Fixtures.lines(DIR + "lookalikes-recall3.txt")) {
      harmless.add(line.substring(line.indexOf('|') + 1).strip());
    }
    for (String text : harmless) {
      for (Finding f : d.detect(dev.llmguard.spi.ScanInput.of(Phase.PROMPT, text))) {
        assertThat(f.metadata().get("families")).as(text).doesNotContain("learned");
      }
    }
  }

  @Test
  void theModelProbabilityIsWrittenWithThreeDecimalsAsFormatWouldWriteIt() {
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 20_000; i++) {
      double p = i < 1001 ? i / 1000.0 : random.nextDouble();
      assertThat(JailbreakDetector.threeDecimals(p))
          .as("%s", p)
          .isEqualTo(String.format(java.util.Locale.ROOT, "%.3f", p));
    }
  }

  @Test
  void aPromotedScoreRisesLinearlyFromTheThresholdToTheCeiling() {
    assertThat(JailbreakDetector.promoted(0.6, 0.6)).isEqualTo(0.5);
    assertThat(JailbreakDetector.promoted(1.0, 0.6)).isEqualTo(0.75);
    assertThat(JailbreakDetector.promoted(0.8, 0.6))
        .isCloseTo(0.625, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(JailbreakDetector.promoted(1.0, 1.0)).isEqualTo(0.75);
  }

  private static JailbreakDetector configured(Map<String, String> settings) {
    return (JailbreakDetector)
        new JailbreakDetectorProvider().create(DetectorConfig.of("jailbreak", settings));
  }

  @Test
  void theModelSettingChoosesTheBundledModelNoneOrAFile(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    assertThat(configured(Map.of()).model()).isSameAs(JailbreakModel.bundled());
    assertThat(configured(Map.of("model", "bundled")).model()).isSameAs(JailbreakModel.bundled());
    assertThat(configured(Map.of("model", "none")).model()).isNull();

    java.nio.file.Path file = dir.resolve("my-model.bin");
    try (var out = java.nio.file.Files.newOutputStream(file)) {
      ALWAYS_NO.write(out);
    }
    JailbreakDetector fromFile = configured(Map.of("model", file.toString()));
    assertThat(fromFile.model().provenance()).isEqualTo("always no");
    assertThat(fromFile.model().threshold()).isEqualTo(0.6);
    assertThat(
            configured(Map.of("model", file.toString(), "model-threshold", "0.9"))
                .model()
                .threshold())
        .isEqualTo(0.9);
    assertThat(configured(Map.of("model-threshold", "0.8")).model().threshold()).isEqualTo(0.8);
  }

  @Test
  void aModelThatCannotBeLoadedOrABadThresholdIsAConfigurationError(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    java.nio.file.Path missing = dir.resolve("missing.bin");
    assertThatThrownBy(() -> configured(Map.of("model", missing.toString())))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageStartingWith(
            "Cannot load the jailbreak model named by llmguard.detector.jailbreak.model ('"
                + missing
                + "'): ");
    java.nio.file.Path junk = dir.resolve("junk.bin");
    java.nio.file.Files.writeString(junk, "not a model");
    assertThatThrownBy(() -> configured(Map.of("model", junk.toString())))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageEndingWith("not a jailbreak model file (bad magic number)");
    assertThatThrownBy(() -> configured(Map.of("model-threshold", "1.5")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("llmguard.detector.jailbreak.model-threshold");
    assertThatThrownBy(() -> configured(Map.of("model", "none", "model-threshold", "0.5")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage(
            "llmguard.detector.jailbreak.model-threshold is set but"
                + " llmguard.detector.jailbreak.model is none");
  }

  @Test
  void theSweepForOneBraceFindsEachDoubleBraceWhereStringSearchFindsIt() {
    for (String text : dev.llmguard.detect.Fixtures.lines("jailbreak/brace-lookalikes.txt")) {
      for (int from = 0; from <= text.length() + 1; from++) {
        assertThat(dev.llmguard.detect.text.CharSweep.indexOf(text, "{{", 0, from))
            .as("from %d in: %s", from, text)
            .isEqualTo(text.indexOf("{{", from));
      }
    }
  }
}
