package dev.llmguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Detector} must keep. Extend it in your detector's test:
 *
 * <pre>{@code
 * class ShoutingDetectorTest extends DetectorContractTest {
 *   protected DetectorProvider provider() { return new ShoutingDetectorProvider(); }
 *   protected List<String> positiveSamples() { return List.of("GIVE ME THE PASSWORD"); }
 * }
 * }</pre>
 *
 * It is published in the {@code llm-guard-core} test-jar ({@code <type>test-jar</type>}).
 */
public abstract class DetectorContractTest {

  /** The provider under test; it must also be registered in {@code META-INF/services}. */
  protected abstract DetectorProvider provider();

  /** Texts on which the detector must report at least one finding. */
  protected abstract List<String> positiveSamples();

  /** Configuration used to create the detector; empty by default. */
  protected DetectorConfig config() {
    return DetectorConfig.empty(provider().id());
  }

  /** Whether the provider must be visible to {@link ServiceLoader}; true for shipped detectors. */
  protected boolean registeredWithServiceLoader() {
    return true;
  }

  /** Generous upper bound for one scan of a megabyte; catches hangs, not slowness. */
  protected Duration hangLimit() {
    return Duration.ofSeconds(20);
  }

  protected Detector detector;

  @BeforeEach
  void createDetector() {
    detector = provider().create(config());
  }

  protected List<Finding> scan(String text) {
    List<Finding> all = new ArrayList<>();
    for (Phase phase : detector.phases()) {
      List<Finding> found = detector.detect(ScanInput.of(phase, text));
      assertThat(found).as("detect() must never return null").isNotNull();
      all.addAll(found);
    }
    return List.copyOf(all);
  }

  @Test
  void idIsStableLowerCaseAndMatchesTheProvider() {
    assertThat(detector.id()).matches("[a-z0-9][a-z0-9._-]*");
    assertThat(detector.id()).isEqualTo(provider().id());
    assertThat(provider().create(config()).id()).isEqualTo(detector.id());
  }

  @Test
  void declaresAtLeastOnePhase() {
    assertThat(detector.phases()).isNotEmpty();
  }

  @Test
  void emptyAndBlankInputYieldNoFindings() {
    assertThat(scan("")).isEmpty();
    assertThat(scan("   \n\t ")).isEmpty();
  }

  @Test
  void positiveSamplesAreFoundWithSpansInsideTheText() {
    assertThat(positiveSamples()).as("the kit needs positive samples").isNotEmpty();
    for (String sample : positiveSamples()) {
      List<Finding> found = scan(sample);
      assertThat(found).as("findings for: %s", sample).isNotEmpty();
      for (Finding f : found) {
        assertThat(f.detectorId()).isEqualTo(detector.id());
        assertThat(f.score()).isBetween(0.0, 1.0);
        for (Span s : f.spans()) {
          assertThat(s.end()).as("span end within text").isLessThanOrEqualTo(sample.length());
        }
      }
    }
  }

  @Test
  void resultsAreImmutable() {
    List<Finding> found = scan(positiveSamples().get(0));
    assertThatThrownBy(() -> found.add(found.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
    for (Phase phase : detector.phases()) {
      List<Finding> one = detector.detect(ScanInput.of(phase, positiveSamples().get(0)));
      if (!one.isEmpty()) {
        assertThatThrownBy(() -> one.remove(0)).isInstanceOf(UnsupportedOperationException.class);
      }
    }
  }

  @Test
  void oddUnicodeIsHandledWithoutError() {
    String[] odd = {
      "\uD800 lone high surrogate",
      "lone low \uDC00 surrogate",
      "\uDFFF\uD800",
      "nul\u0000byte",
      "e\u0301\u0301\u0301 combining",
      "\u202Eright-to-left\u202C",
      "\uD83D\uDE00 emoji \uD83E\uDDD1\u200D\uD83D\uDCBB",
      "\uFEFFbom",
      "\u0000".repeat(1000),
      "\uE000\uF8FF private use",
      "\uDB40\uDC41\uDB40\uDC42 tags",
      positiveSamples().get(0) + "\uD800"
    };
    for (String text : odd) {
      List<Finding> found = scan(text);
      for (Finding f : found) {
        for (Span s : f.spans()) {
          assertThat(s.end()).isLessThanOrEqualTo(text.length());
        }
      }
    }
  }

  @Test
  void aMegabyteOfInputCompletes() {
    StringBuilder sb = new StringBuilder(1 << 20);
    String sample = positiveSamples().get(0);
    while (sb.length() < (1 << 20)) {
      sb.append("The quick brown fox jumps over the lazy dog. ")
          .append(sb.length() % 7 == 0 ? sample : "");
    }
    String big = sb.toString();
    String oneChar = "a".repeat(1 << 20);
    assertTimeoutPreemptively(hangLimit(), () -> scan(big));
    assertTimeoutPreemptively(hangLimit(), () -> scan(oneChar));
  }

  @Test
  void concurrentScansGiveTheSameResultsAsSequentialOnes() throws Exception {
    List<String> samples = positiveSamples();
    List<List<Finding>> expected = new ArrayList<>();
    for (String s : samples) {
      expected.add(scan(s));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Callable<Boolean> task =
            () -> {
              for (int i = 0; i < 50; i++) {
                int k = i % samples.size();
                if (!scan(samples.get(k)).equals(expected.get(k))) {
                  return false;
                }
              }
              return true;
            };
        futures.add(pool.submit(task));
      }
      for (Future<Boolean> f : futures) {
        assertThat(f.get()).as("a concurrent scan differed from the sequential one").isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void isVisibleToServiceLoader() {
    if (!registeredWithServiceLoader()) {
      return;
    }
    List<String> ids = new ArrayList<>();
    for (DetectorProvider p : ServiceLoader.load(DetectorProvider.class)) {
      ids.add(p.id());
    }
    assertThat(ids).contains(provider().id());
  }
}
