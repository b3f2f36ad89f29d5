package dev.llmguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.detect.pii.PiiDetectorProvider;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.support.Fixtures;
import dev.llmguard.support.TestDetectors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DetectorRunnerTest {
  private final ScanInput ticket =
      ScanInput.of(Phase.PROMPT, Fixtures.text("engine/support-ticket-with-email.txt"));

  private static List<String> messages(List<Finding> found) {
    List<String> out = new ArrayList<>();
    for (Finding f : found) {
      out.add(f.detectorId() + ": " + f.message());
    }
    return out;
  }

  @Test
  void aDetectorThatHangsIsReportedAsOverrunAndTheDetectorsAfterItStillReport() {
    DetectorRunner runner = new DetectorRunner(Duration.ofMillis(300));
    long t0 = System.nanoTime();
    List<Finding> found =
        runner.run(List.of(TestDetectors.sleeping("slow", 20_000), TestDetectors.email()), ticket);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(messages(found))
        .containsExactly(
            "slow: detector slow exceeded its time budget of 300 ms",
            "test-email: test-email match",
            "test-email: test-email match");
  }

  @Test
  void theDetectorThatOverranIsInterruptedSoItsPoolThreadIsFreed() throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);
    Detector stubborn =
        new NamedDetector("stubborn") {
          @Override
          public List<Finding> detect(ScanInput input) {
            try {
              Thread.sleep(60_000);
            } catch (InterruptedException e) {
              interrupted.countDown();
            }
            return List.of();
          }
        };
    List<Finding> found = new DetectorRunner(Duration.ofMillis(100)).run(List.of(stubborn), ticket);
    assertThat(found)
        .singleElement()
        .extracting(Finding::category)
        .isEqualTo(Category.DETECTOR_ERROR);
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void failuresOfEveryKindBecomeDetectorErrorsInDetectorOrder() {
    Detector nullReturning =
        new NamedDetector("null-returning") {
          @Override
          public List<Finding> detect(ScanInput input) {
            return null;
          }
        };
    Detector asserting =
        new NamedDetector("asserting") {
          @Override
          public List<Finding> detect(ScanInput input) {
            throw new AssertionError("invariant broken");
          }
        };
    List<Finding> found =
        new DetectorRunner(Duration.ofSeconds(30))
            .run(
                List.of(
                    TestDetectors.throwing("boom"),
                    nullReturning,
                    asserting,
                    TestDetectors.email()),
                ticket);
    assertThat(messages(found))
        .containsExactly(
            "boom: detector boom failed: IllegalStateException",
            "null-returning: detector null-returning returned null instead of a list",
            "asserting: detector asserting failed: AssertionError",
            "test-email: test-email match",
            "test-email: test-email match");
  }

  @Test
  void thirdPartyDetectorsRunOnThePoolWithABudgetAndInTheCallerWithout() {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    Detector recording =
        new NamedDetector("recording") {
          @Override
          public List<Finding> detect(ScanInput input) {
            ranOn.set(Thread.currentThread());
            return List.of();
          }
        };
    new DetectorRunner(Duration.ofSeconds(30)).run(List.of(recording), ticket);
    assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
    assertThat(ranOn.get().getName()).startsWith("llm-guard-detector-");
    new DetectorRunner(Duration.ZERO).run(List.of(recording), ticket);
    assertThat(ranOn.get()).isSameAs(Thread.currentThread());
  }

  @Test
  void onlyTheLibrarysOwnDetectorsCountAsBuiltIn() {
    Detector pii = new PiiDetectorProvider().create(DetectorConfig.of("pii", Map.of()));
    assertThat(DetectorRunner.isBuiltIn(pii)).isTrue();
    assertThat(DetectorRunner.isBuiltIn(TestDetectors.email())).isFalse();
  }

  @Test
  void builtInAndThirdPartyDetectorsTogetherReportInDetectorOrder() {
    Detector pii = new PiiDetectorProvider().create(DetectorConfig.of("pii", Map.of()));
    List<Finding> found =
        new DetectorRunner(Duration.ofSeconds(30))
            .run(List.of(TestDetectors.email(), pii, TestDetectors.throwing("boom")), ticket);
    assertThat(found)
        .extracting(Finding::detectorId)
        .containsExactly("test-email", "test-email", "pii", "pii", "boom");
  }

  @Test
  void aCallerInterruptedWhileWaitingGetsFailuresAndKeepsItsInterruptFlag() {
    Thread.currentThread().interrupt();
    try {
      List<Finding> found =
          new DetectorRunner(Duration.ofSeconds(30))
              .run(List.of(TestDetectors.sleeping("slow", 20_000)), ticket);
      assertThat(messages(found))
          .containsExactly("slow: detector slow failed: InterruptedException");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  /** A third-party detector of the prompt phase. */
  private abstract static class NamedDetector implements Detector {
    private final String id;

    NamedDetector(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Set<Phase> phases() {
      return Set.of(Phase.PROMPT);
    }
  }
}
