package dev.llmguard.detect.tokens;

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
import dev.llmguard.testkit.DetectorContractTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenLimitDetectorTest extends DetectorContractTest {

  @Override
  protected DetectorProvider provider() {
    return new TokenLimitDetectorProvider();
  }

  @Override
  protected DetectorConfig config() {
    return DetectorConfig.of("token-limit", Map.of("max-tokens", "200"));
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
    return List.of(Fixtures.text("token-limit/prose.txt"), flood());
  }

  private static String flood() {
    return Fixtures.text("token-limit/flood-phrase.txt").repeat(300);
  }

  private static Detector create(Map<String, String> settings) {
    return new TokenLimitDetectorProvider().create(DetectorConfig.of("token-limit", settings));
  }

  private static List<Finding> scan(Detector d, String text) {
    return d.detect(ScanInput.of(Phase.PROMPT, text));
  }

  private static Finding kind(List<Finding> found, String kind) {
    return found.stream()
        .filter(f -> kind.equals(f.metadata().get("kind")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " finding in " + found));
  }

  @Test
  void aPromptOverTheLimitIsReportedWithItsExactTokenCount() {
    Finding f =
        kind(
            scan(create(Map.of("max-tokens", "9")), "The quick brown fox jumps over the lazy dog."),
            "token-limit");
    assertThat(f.category()).isEqualTo(Category.UNBOUNDED_CONSUMPTION);
    assertThat(f.metadata())
        .containsEntry("tokens", "10")
        .containsEntry("max_tokens", "9")
        .containsEntry("encoding", "cl100k_base");
  }

  @Test
  void aPromptWithinTheLimitIsNotReported() {
    assertThat(
            scan(
                create(Map.of("max-tokens", "10")), "The quick brown fox jumps over the lazy dog."))
        .isEmpty();
    assertThat(scan(create(Map.of()), Fixtures.text("token-limit/prose.txt"))).isEmpty();
  }

  @Test
  void theTwoEncodingsCountDifferently() {
    String hindi = Fixtures.text("token-limit/hindi.txt");
    int cl100k = count(create(Map.of("max-tokens", "1")), hindi);
    int o200k = count(create(Map.of("max-tokens", "1", "encoding", "o200k_base")), hindi);
    assertThat(o200k).isLessThan(cl100k);
  }

  private static int count(Detector d, String text) {
    return Integer.parseInt(
        kind(scan(d, text), "token-limit").metadata().get("tokens").replace("~", ""));
  }

  @Test
  void aPhraseRepeatedHundredsOfTimesIsFlooding() {
    Finding f = kind(scan(create(Map.of("max-tokens", "100000")), flood()), "flooding");
    assertThat(f.category()).isEqualTo(Category.UNBOUNDED_CONSUMPTION);
    assertThat(Double.parseDouble(f.metadata().get("repeated_share"))).isGreaterThan(0.9);
    assertThat(f.score()).isGreaterThan(0.8);
  }

  @Test
  void aLongRunOfOneCharacterIsFloodingAndItsSpanCoversTheRun() {
    String text = "Summarise this: " + "A".repeat(5000) + " thanks";
    Finding f = kind(scan(create(Map.of("max-tokens", "100000")), text), "flooding");
    assertThat(f.spans())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.start()).isEqualTo(16);
              assertThat(s.end()).isEqualTo(16 + 5000);
            });
  }

  @Test
  void ordinaryProseIsNotFlooding() {
    String prose = Fixtures.text("token-limit/prose.txt");
    assertThat(scan(create(Map.of("max-tokens", "100000")), prose)).isEmpty();
  }

  @Test
  void aHugePromptIsReportedWithoutTokenizingAllOfIt() {
    String huge = Fixtures.text("token-limit/prose.txt").repeat(2000);
    Finding f =
        kind(
            scan(create(Map.of("max-tokens", "1000", "flood-detection", "false")), huge),
            "token-limit");
    assertThat(f.metadata().get("tokens")).startsWith("~");
    assertThat(f.score()).isEqualTo(1.0);
  }

  @Test
  void countingInChunksCutBeforeWordsGivesTheOneShotCount() {
    var encoding =
        com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
            .getEncoding(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE);
    String text = Fixtures.text("token-limit/prose.txt").repeat(4);
    int sum = 0;
    int chunks = 0;
    for (int pos = 0; pos < text.length(); chunks++) {
      int end =
          TokenLimitDetector.chunkEnd(
              text, pos, Math.min(text.length(), pos + TokenLimitDetector.CHUNK));
      sum += encoding.countTokensOrdinary(text.substring(pos, end));
      pos = end;
    }
    assertThat(chunks).isGreaterThan(3);
    assertThat(sum).isEqualTo(encoding.countTokensOrdinary(text));
  }

  @Test
  void badSettingsAreRejectedNamingTheKey() {
    assertThatThrownBy(() -> create(Map.of("encoding", "p50k_base")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("llmguard.detector.token-limit.encoding");
    assertThatThrownBy(() -> create(Map.of("max-tokens", "0")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("llmguard.detector.token-limit.max-tokens");
  }
}
