package dev.llmguard.detect.custom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.Redactor;
import dev.llmguard.Vault;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BannedSubstringsDetectorTest extends DetectorContractTest {
  private static final String MEMO = Fixtures.text("banned-substrings/memo.txt");

  @Override
  protected DetectorProvider provider() {
    return new BannedSubstringsDetectorProvider();
  }

  @Override
  protected DetectorConfig config() {
    return DetectorConfig.of(
        "banned-substrings", Map.of("substrings", "project falcon,confidential"));
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
    return List.of(MEMO, "Is project falcon late?");
  }

  private static Detector create(Map<String, String> settings) {
    return new BannedSubstringsDetectorProvider()
        .create(DetectorConfig.of("banned-substrings", settings));
  }

  private static List<Finding> scan(Detector d, String text) {
    return d.detect(ScanInput.of(Phase.PROMPT, text));
  }

  private static List<String> covered(List<Finding> found, String text) {
    return found.stream()
        .flatMap(f -> f.spans().stream())
        .map(s -> text.substring(s.start(), s.end()))
        .toList();
  }

  @Test
  void withoutConfigurationNothingIsReported() {
    assertThat(scan(create(Map.of()), MEMO)).isEmpty();
  }

  @Test
  void wholeWordMatchingIgnoresCaseAndSkipsLongerWords() {
    List<Finding> found = scan(create(Map.of("substrings", "falcon")), MEMO);
    assertThat(found)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.category()).isEqualTo(Category.POLICY);
              assertThat(f.entity()).isEqualTo("BANNED");
              assertThat(f.metadata()).containsEntry("count", "3");
            });
    assertThat(covered(found, MEMO)).containsExactly("Falcon", "falcon", "FALCON");
  }

  @Test
  void substringMatchingAlsoFindsTheTextInsideWords() {
    List<Finding> found = scan(create(Map.of("substrings", "falcon", "match", "substring")), MEMO);
    assertThat(covered(found, MEMO)).containsExactly("Falcon", "falcon", "falcon", "FALCON");
  }

  @Test
  void caseSensitiveMatchingOnlyFindsTheExactSpelling() {
    List<Finding> found =
        scan(create(Map.of("substrings", "Project Falcon", "case-sensitive", "true")), MEMO);
    assertThat(covered(found, MEMO)).containsExactly("Project Falcon");
  }

  @Test
  void eachEntryGetsItsOwnFindingWithExactSpans() {
    List<Finding> found = scan(create(Map.of("substrings", "project falcon,confidential")), MEMO);
    assertThat(found).hasSize(2);
    int at = MEMO.indexOf("CONFIDENTIAL");
    assertThat(found.get(1).spans()).containsExactly(Span.of(at, at + 12));
  }

  @Test
  void theRedactorReplacesBannedTextWithPlaceholders() {
    String text = "Is Project Falcon late? Ask about project falcon.";
    List<Finding> found = scan(create(Map.of("substrings", "project falcon")), text);
    String redacted = Redactor.redact(text, found, new Vault());
    assertThat(redacted).doesNotContainIgnoringCase("falcon").contains("[BANNED_");
  }

  @Test
  void anUnknownMatchModeIsRejectedNamingTheKey() {
    assertThatThrownBy(() -> create(Map.of("substrings", "x", "match", "fuzzy")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("llmguard.detector.banned-substrings.match");
  }
}
