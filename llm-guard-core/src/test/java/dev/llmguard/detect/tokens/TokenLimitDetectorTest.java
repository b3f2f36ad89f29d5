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
  void countingARangeGivesTheCountOfThatRangeAsAText() {
    var encoding =
        com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
            .getEncoding(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE);
    TokenCounter counter = TokenCounter.forEncoding("cl100k_base");
    String text = Fixtures.text("token-limit/prose.txt").repeat(4);
    for (int from = 0; from < text.length(); from += 997) {
      int to = Math.min(text.length(), from + 1500);
      long counted = counter.countUntil(text, from, to, Integer.MAX_VALUE);
      assertThat(TokenCounter.index(counted)).isEqualTo(to);
      assertThat(TokenCounter.count(counted))
          .isEqualTo(
              encoding.countTokensOrdinary(
                  TokenLimitDetector.wellFormed(text.substring(from, to))));
    }
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

  /** Every fixture text of the detector families, in many scripts and shapes. */
  private static List<String> fixtureTexts() {
    return List.of(
        Fixtures.text("token-limit/prose.txt"),
        Fixtures.text("token-limit/hindi.txt"),
        Fixtures.text("token-limit/flood-phrase.txt").repeat(20),
        Fixtures.text("prompt-injection/multilingual.txt"),
        Fixtures.text("prompt-injection/obfuscated.txt"),
        Fixtures.text("prompt-injection/encoded.txt"),
        Fixtures.text("invisible-text/tag-smuggling.txt"),
        Fixtures.text("invisible-text/bidi.txt"),
        Fixtures.text("exfiltration/url-forms.md"),
        Fixtures.text("secrets/negatives.txt"));
  }

  private static final List<com.knuddels.jtokkit.api.Encoding> ENCODINGS =
      List.of(
          com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
              .getEncoding(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE),
          com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
              .getEncoding(com.knuddels.jtokkit.api.EncodingType.O200K_BASE));

  @Test
  void thePieceLowerBoundNeverExceedsTheRealCountOfEitherEncoding() {
    List<String> texts = new java.util.ArrayList<>(fixtureTexts());
    // and random mixtures of the char classes the bound treats differently
    String alphabet = "aZé\u0301\u093f\u0915'’ 0९¹\u2167.-_\n\t字🙂𝟏\u200b\uD800";
    java.util.Random random = new java.util.Random(11);
    for (int k = 0; k < 300; k++) {
      StringBuilder sb = new StringBuilder();
      int len = 1 + random.nextInt(200);
      for (int i = 0; i < len; i++) {
        int at = random.nextInt(alphabet.length());
        char c = alphabet.charAt(at);
        sb.append(c);
        if (Character.isHighSurrogate(c) && at + 1 < alphabet.length() && random.nextBoolean()) {
          sb.append(alphabet.charAt(at + 1));
        }
      }
      texts.add(sb.toString());
    }
    for (String text : texts) {
      long bound = TokenLimitDetector.pieceLowerBound(text, Integer.MAX_VALUE);
      for (var encoding : ENCODINGS) {
        int real = encoding.countTokensOrdinary(TokenLimitDetector.wellFormed(text));
        assertThat(bound).as("%s on %s", encoding.getName(), text).isLessThanOrEqualTo(real);
      }
    }
  }

  @Test
  void aLongPromptProvenOverTheLimitReportsAnEstimateCloseToTheRealCount() {
    String prose = Fixtures.text("token-limit/prose.txt").repeat(60); // about 100 KB
    int real = ENCODINGS.get(0).countTokensOrdinary(prose);
    Finding f = kind(scan(create(Map.of("flood-detection", "false")), prose), "token-limit");
    assertThat(f.metadata().get("tokens")).startsWith("~");
    assertThat(Long.parseLong(f.metadata().get("tokens").substring(1)))
        .isBetween(Math.round(real * 0.9), Math.round(real * 1.1));
    assertThat(f.metadata()).containsEntry("max_tokens", "4096");
  }

  @Test
  void aPromptBetweenTheBoundsIsCountedExactly() {
    // over 4096 UTF-8 bytes, but fewer than 4096 words: only BPE can tell
    String prose = Fixtures.text("token-limit/prose.txt").repeat(4);
    int real = ENCODINGS.get(0).countTokensOrdinary(prose);
    Finding f =
        kind(scan(create(Map.of("max-tokens", Integer.toString(real - 1))), prose), "token-limit");
    assertThat(f.metadata()).containsEntry("tokens", Integer.toString(real));
    assertThat(scan(create(Map.of("max-tokens", Integer.toString(real))), prose)).isEmpty();
  }

  @Test
  void aHundredKilobyteRunOfOneCharIsOverTheLimitAndFlooding() {
    String text = "Summarise this: " + "a".repeat(100_000);
    List<Finding> found = scan(create(Map.of()), text);
    assertThat(kind(found, "token-limit").score()).isGreaterThan(0.7);
    assertThat(kind(found, "flooding").spans().get(0).start()).isEqualTo(16);
  }

  @Test
  void sharesAreWrittenAsTheFormatterWritesThem() {
    java.util.Random random = new java.util.Random(3);
    for (int k = 0; k < 20_000; k++) {
      double x = k < 2001 ? k / 2000.0 : random.nextDouble();
      assertThat(TokenLimitDetector.decimals(x, 3))
          .isEqualTo(String.format(java.util.Locale.ROOT, "%.3f", x));
      assertThat(TokenLimitDetector.decimals(x * 100, 0))
          .isEqualTo(String.format(java.util.Locale.ROOT, "%.0f", x * 100));
    }
  }
}
