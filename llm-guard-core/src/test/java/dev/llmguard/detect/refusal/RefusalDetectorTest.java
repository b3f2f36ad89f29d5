package dev.llmguard.detect.refusal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import dev.llmguard.testkit.DetectorContractTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefusalDetectorTest extends DetectorContractTest {

  @Override
  protected DetectorProvider provider() {
    return new RefusalDetectorProvider();
  }

  @Override
  protected List<String> positiveSamples() {
    List<String> texts = new ArrayList<>();
    for (Entry e : entries("refusals.txt")) {
      texts.add(e.text());
    }
    return texts;
  }

  @Test
  void everyRefusalFixtureIsReportedInItsLanguage() {
    for (Entry e : entries("refusals.txt")) {
      List<Finding> found = detectResponse(e.text());
      assertThat(found).as("refusal not found in: %s", e.text()).hasSize(1);
      Finding f = found.get(0);
      assertThat(f.category()).isEqualTo(Category.REFUSAL);
      assertThat(f.score()).as("score of: %s", e.text()).isGreaterThanOrEqualTo(0.6);
      assertThat(f.metadata()).containsEntry("language", e.language());
      for (Span s : f.spans()) {
        assertThat(s.end()).isLessThanOrEqualTo(e.text().length());
      }
    }
  }

  @Test
  void aThreadScanningRefusalsAndAnswersInTurnGetsTheVerdictsOfAFreshDetector() {
    // one thread reuses its matchers from scan to scan; no scan may see another's text
    List<String> texts = new ArrayList<>();
    for (Entry e : entries("refusals.txt")) {
      texts.add(e.text());
    }
    for (Entry e : entries("answers.txt")) {
      texts.add(e.text());
    }
    List<List<Finding>> first = new ArrayList<>();
    for (String t : texts) {
      first.add(detectResponse(t));
    }
    java.util.Collections.reverse(texts);
    java.util.Collections.reverse(first);
    for (int k = 0; k < texts.size(); k++) {
      Detector fresh = new RefusalDetectorProvider().create(DetectorConfig.empty("refusal"));
      List<Finding> again = detectResponse(texts.get(k));
      assertThat(again).as(texts.get(k)).isEqualTo(first.get(k));
      assertThat(fresh.detect(ScanInput.of(Phase.RESPONSE, texts.get(k))))
          .as(texts.get(k))
          .isEqualTo(first.get(k));
    }
  }

  @Test
  void ordinaryAnswersThatSayCannotOrSorryAreNotRefusals() {
    for (Entry e : entries("answers.txt")) {
      assertThat(detectResponse(e.text())).as("false refusal in: %s", e.text()).isEmpty();
    }
  }

  @Test
  void theSpanCoversTheRefusingPhrase() {
    String text = "Sure thing. I can't help with that, though.";
    Finding f = detectResponse(text).get(0);
    Span s = f.spans().get(0);
    assertThat(text.substring(s.start(), s.end())).isEqualTo("I can't help with that");
  }

  @Test
  void anApologyBeforeTheDeclineScoresHigherThanTheDeclineAlone() {
    double plain = detectResponse("I can't help with that.").get(0).score();
    double apologetic = detectResponse("I'm sorry, but I can't help with that.").get(0).score();
    assertThat(plain).isEqualTo(0.9);
    assertThat(apologetic).isGreaterThan(plain);
  }

  @Test
  void anApologyOrAnAiDisclaimerAloneStaysBelowTheReportingThreshold() {
    assertThat(detectResponse("I'm sorry for the confusion, here is the corrected table."))
        .isEmpty();
    assertThat(
            detectResponse(
                "As an AI, I don't have personal preferences, but many readers enjoy Dune."))
        .isEmpty();
  }

  @Test
  void aDeclineDeepInsideALongAnswerWeighsLessThanOneThatOpensIt() {
    String prose = "The quarterly report covers revenue, churn and hiring in detail. ".repeat(5);
    double opening = detectResponse("I can't help with that. " + prose).get(0).score();
    double late = detectResponse(prose + "I can't help with that.").get(0).score();
    assertThat(late).isLessThan(opening).isEqualTo(0.72);
  }

  @Test
  void textBeyondTheScannedHeadIsIgnored() {
    String padding = "Here is the long list of changes you asked for. ".repeat(40);
    assertThat(padding.length()).isGreaterThan(RefusalDetector.DEFAULT_HEAD_CHARS);
    assertThat(detectResponse(padding + "I cannot assist with that.")).isEmpty();
    RefusalDetector whole =
        RefusalDetector.create(DetectorConfig.of("refusal", Map.of("head-chars", "0")));
    assertThat(whole.detect(ScanInput.of(Phase.RESPONSE, padding + "I cannot assist with that.")))
        .hasSize(1);
  }

  @Test
  void languagesCanBeRestricted() {
    RefusalDetector englishOnly =
        RefusalDetector.create(DetectorConfig.of("refusal", Map.of("languages", "en")));
    assertThat(
            englishOnly.detect(
                ScanInput.of(Phase.RESPONSE, "Lo siento, pero no puedo ayudarte con eso.")))
        .isEmpty();
    assertThat(englishOnly.detect(ScanInput.of(Phase.RESPONSE, "I cannot help with that.")))
        .hasSize(1);
  }

  @Test
  void runsOnlyOnResponses() {
    assertThat(detector.phases()).containsExactly(Phase.RESPONSE);
  }

  @Test
  void badConfigurationIsRejectedWithTheFullKey() {
    assertThatThrownBy(
            () -> RefusalDetector.create(DetectorConfig.of("refusal", Map.of("min-score", "1.5"))))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage("llmguard.detector.refusal.min-score must be between 0 and 1 but was 1.5");
    assertThatThrownBy(
            () ->
                RefusalDetector.create(DetectorConfig.of("refusal", Map.of("languages", "en,nl"))))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage(
            "llmguard.detector.refusal.languages contains unknown language 'nl'; expected some of"
                + " [de, en, es, fr, it, pt]");
    assertThatThrownBy(
            () -> RefusalDetector.create(DetectorConfig.of("refusal", Map.of("head-chars", "-1"))))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("head-chars");
  }

  private List<Finding> detectResponse(String text) {
    return detector.detect(ScanInput.of(Phase.RESPONSE, text));
  }

  record Entry(String language, String text) {}

  /** Reads a fixture file: entries separated by a line {@code ----}, optional {@code #lang=}. */
  static List<Entry> entries(String file) {
    String all;
    try (InputStream in =
        RefusalDetectorTest.class.getResourceAsStream("/fixtures/refusal/" + file)) {
      assertThat(in).as("fixture %s", file).isNotNull();
      all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    List<Entry> out = new ArrayList<>();
    for (String chunk : all.split("\n----\n")) {
      String lang = null;
      String text = chunk.strip();
      if (text.startsWith("#lang=")) {
        int nl = text.indexOf('\n');
        lang = text.substring("#lang=".length(), nl).strip();
        text = text.substring(nl + 1).strip();
      }
      out.add(new Entry(lang, text));
    }
    return out;
  }
}
