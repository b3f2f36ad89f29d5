package dev.llmguard.detect.custom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.llmguard.DetectorException;
import dev.llmguard.GuardConfigurationException;
import dev.llmguard.detect.Fixtures;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.testkit.DetectorContractTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegexDetectorTest extends DetectorContractTest {
  private static final String TICKETS = Fixtures.text("regex/tickets.txt");

  @Override
  protected DetectorProvider provider() {
    return new RegexDetectorProvider();
  }

  @Override
  protected DetectorConfig config() {
    return DetectorConfig.of(
        "regex", Map.of("patterns", "EMP-\\d{6},JIRA-\\d{1\\,6}", "names", "employee-id,ticket"));
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
    return List.of(TICKETS, "badge EMP-123456");
  }

  private static Detector create(Map<String, String> settings) {
    return new RegexDetectorProvider().create(DetectorConfig.of("regex", settings));
  }

  private static List<Finding> scan(Detector d, String text) {
    return d.detect(ScanInput.of(Phase.RESPONSE, text));
  }

  @Test
  void withoutPatternsNothingIsReported() {
    assertThat(scan(create(Map.of()), TICKETS)).isEmpty();
  }

  @Test
  void eachNamedPatternReportsItsMatchesUnderItsOwnEntity() {
    List<Finding> found = scan(detector, TICKETS);
    assertThat(found).extracting(Finding::entity).containsExactly("EMPLOYEE_ID", "TICKET");
    Finding employees = found.get(0);
    assertThat(employees.category()).isEqualTo(Category.POLICY);
    assertThat(employees.spans())
        .extracting(s -> TICKETS.substring(s.start(), s.end()))
        .containsExactly("EMP-204981", "EMP-377120", "EMP-204981");
  }

  @Test
  void commasInsideBracesDoNotSplitPatterns() {
    assertThat(RegexDetectorProvider.split("a{1,3},[x,y]+,b\\,c"))
        .containsExactly("a{1,3}", "[x,y]+", "b,c");
  }

  @Test
  void patternKeysNameTheirPattern() {
    Detector d = create(Map.of("pattern.badge", "EMP-\\d{2}\\b"));
    assertThat(scan(d, TICKETS))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.entity()).isEqualTo("BADGE");
              assertThat(f.metadata()).containsEntry("count", "1");
            });
  }

  @Test
  void caseInsensitiveMatchingCanBeChosen() {
    Detector d = create(Map.of("patterns", "jira-\\d+", "case-sensitive", "false"));
    assertThat(scan(d, TICKETS)).singleElement().satisfies(f -> assertThat(f.spans()).hasSize(2));
  }

  @Test
  void aPatternThatDoesNotCompileIsRejectedNamingItsKey() {
    assertThatThrownBy(() -> create(Map.of("patterns", "EMP-(\\d+")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("llmguard.detector.regex.patterns");
    assertThatThrownBy(() -> create(Map.of("pattern.broken", "[a-")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("llmguard.detector.regex.pattern.broken");
  }

  @Test
  void aCatastrophicallyBacktrackingPatternFailsFastInsteadOfHanging() {
    Detector d = create(Map.of("pattern.evil", "(a+)+b"));
    String text = "a".repeat(5_000);
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertThatThrownBy(() -> scan(d, text))
                .isInstanceOf(DetectorException.class)
                .hasMessageContaining("evil"));
  }
}
