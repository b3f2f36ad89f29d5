package dev.llmguard.detect.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.detect.Fixtures;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import dev.llmguard.testkit.DetectorContractTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiDetectorTest extends DetectorContractTest {

  @Override
  protected DetectorProvider provider() {
    return new PiiDetectorProvider();
  }

  /**
   * The kit combines phases into its own mutable list; hand it back immutable, as detect() does.
   */
  @Override
  protected List<Finding> scan(String text) {
    return List.copyOf(super.scan(text));
  }

  @Override
  protected List<String> positiveSamples() {
    List<String> out = new ArrayList<>();
    for (String[] row : Fixtures.rows("pii/positives.tsv")) {
      out.add(row[2]);
    }
    return out;
  }

  private static List<Finding> scan(Detector d, String text) {
    return d.detect(ScanInput.of(Phase.PROMPT, text));
  }

  @Test
  void everyFixtureEntityIsFoundWithItsExactSpan() {
    for (String[] row : Fixtures.rows("pii/positives.tsv")) {
      String entity = row[0];
      String value = row[1];
      String text = row[2];
      int start = text.indexOf(value);
      List<Finding> found = scan(detector, text);
      assertThat(found)
          .as("%s in: %s", entity, text)
          .anySatisfy(
              f -> {
                assertThat(f.entity()).isEqualTo(entity);
                assertThat(f.spans()).containsExactly(Span.of(start, start + value.length()));
                assertThat(f.category()).isEqualTo(Category.SENSITIVE_INFORMATION);
              });
    }
  }

  @Test
  void fixtureNearMissesAreNotReportedAsThatEntity() {
    for (String[] row : Fixtures.rows("pii/negatives.tsv")) {
      assertThat(scan(detector, row[1]))
          .as("%s in: %s", row[0], row[1])
          .noneMatch(f -> f.entity().equals(row[0]));
    }
  }

  @Test
  void messagesNeverContainTheValueFound() {
    for (String[] row : Fixtures.rows("pii/positives.tsv")) {
      for (Finding f : scan(detector, row[2])) {
        assertThat(f.message()).doesNotContain(row[1]);
        assertThat(f.metadata().values()).doesNotContain(row[1]);
      }
    }
  }

  @Test
  void spansCountUtf16CharsSoTheyStayExactAfterEmojiAndAccents() {
    String text = "\uD83D\uDE00 Grüße — schreib an lena.vogt@example.org bitte";
    int start = text.indexOf("lena.vogt@example.org");
    assertThat(scan(detector, text))
        .singleElement()
        .satisfies(f -> assertThat(f.spans()).containsExactly(Span.of(start, start + 21)));
  }

  @Test
  void entitySelectionLimitsWhatIsReported() {
    Detector emailsOnly =
        provider().create(DetectorConfig.of("pii", Map.of("entities", "EMAIL,IP_ADDRESS")));
    List<Finding> found =
        scan(emailsOnly, "Mail ops@example.org, card 4111 1111 1111 1111, host 203.0.113.9");
    assertThat(found).extracting(Finding::entity).containsExactly("EMAIL", "IP_ADDRESS");
  }

  @Test
  void theDefaultRegionDecidesHowNationalNumbersAreRead() {
    String text = "Ruf mich an: 030 90182000";
    Detector german =
        provider()
            .create(
                DetectorConfig.of("pii", Map.of("default-region", "DE", "phone-regions", "none")));
    Detector american =
        provider().create(DetectorConfig.of("pii", Map.of("phone-regions", "none")));
    assertThat(scan(german, text)).extracting(Finding::entity).containsExactly("PHONE_NUMBER");
    assertThat(scan(american, text)).isEmpty();
  }

  @Test
  void aValidCardScoresHigherThanANumberThatIsOnlyPhoneShaped() {
    double card = scan(detector, "card 4111 1111 1111 1111").get(0).score();
    double phone = scan(detector, "call 555-0134 now").get(0).score();
    assertThat(card).isGreaterThan(phone);
  }

  @Test
  void theRedactorTurnsFindingsIntoEntityPlaceholdersAndBack() {
    String text =
        "Mail maria.keller@posteo.de or call +1 202-456-1111; again: maria.keller@posteo.de";
    dev.llmguard.Vault vault = new dev.llmguard.Vault();
    String redacted = dev.llmguard.Redactor.redact(text, scan(detector, text), vault);
    assertThat(redacted).isEqualTo("Mail [EMAIL_1] or call [PHONE_NUMBER_1]; again: [EMAIL_1]");
    assertThat(vault.restore(redacted)).isEqualTo(text);
  }

  @Test
  void unknownEntityNamesAreRejectedNamingTheKey() {
    assertThatThrownBy(
            () -> provider().create(DetectorConfig.of("pii", Map.of("entities", "EMAIL,PASSPORT"))))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("llmguard.detector.pii.entities")
        .hasMessageContaining("PASSPORT");
  }

  @Test
  void unknownRegionsAreRejectedNamingTheKey() {
    assertThatThrownBy(
            () -> provider().create(DetectorConfig.of("pii", Map.of("default-region", "XY"))))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("llmguard.detector.pii.default-region");
  }

  @Test
  void luhnAndMod97ChecksMatchTheirSpecifications() {
    assertThat(Scanners.luhn("79927398713".toCharArray(), 11)).isTrue();
    assertThat(Scanners.luhn("79927398710".toCharArray(), 11)).isFalse();
    assertThat(Scanners.mod97("GB82WEST12345698765432")).isTrue();
    assertThat(Scanners.mod97("GB82WEST12345698765433")).isFalse();
  }
}
