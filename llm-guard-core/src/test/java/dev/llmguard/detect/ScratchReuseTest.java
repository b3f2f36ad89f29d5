package dev.llmguard.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.detect.injection.PromptInjectionDetectorProvider;
import dev.llmguard.detect.jailbreak.JailbreakDetectorProvider;
import dev.llmguard.detect.pii.PiiDetectorProvider;
import dev.llmguard.detect.text.Evidence;
import dev.llmguard.detect.unicode.InvisibleTextDetectorProvider;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The detectors that keep buffers per thread between scans (prompt injection and jailbreak: their
 * {@link Evidence} and phrase hits; pii: its match list and phone-number state; invisible text: its
 * tallies) give every scan the findings a fresh thread gives it: after a huge text, from two
 * threads taking turns, and when the thread's pool of evidence is taken already.
 */
class ScratchReuseTest {

  private static final List<String> SAMPLES = Fixtures.lines("reuse/samples.txt");

  static Stream<Detector> detectors() {
    List<DetectorProvider> providers =
        List.of(
            new PromptInjectionDetectorProvider(),
            new JailbreakDetectorProvider(),
            new PiiDetectorProvider(),
            new InvisibleTextDetectorProvider());
    return providers.stream().map(p -> p.create(DetectorConfig.of(p.id(), Map.of())));
  }

  private static List<Finding> scan(Detector d, String text) {
    return d.detect(ScanInput.of(Phase.PROMPT, text));
  }

  private static List<List<Finding>> scanSamples(Detector d) {
    List<List<Finding>> out = new ArrayList<>();
    for (String s : SAMPLES) {
      out.add(scan(d, s));
    }
    return out;
  }

  /** The samples' findings as a thread that never scanned anything else finds them. */
  private static List<List<Finding>> onFreshThread(Callable<List<List<Finding>>> task)
      throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      return thread.submit(task).get(60, TimeUnit.SECONDS);
    } finally {
      thread.shutdownNow();
    }
  }

  /** The samples repeated, with their findings, to well over a megabyte of chars. */
  private static String hugeText() {
    String all = String.join("\n", SAMPLES) + "\n";
    return all.repeat((1 << 20) / all.length() + 1);
  }

  @ParameterizedTest
  @MethodSource("detectors")
  void findingsOfEverySampleAreSeveralAndAgreeOnAFreshThread(Detector d) throws Exception {
    List<List<Finding>> first = onFreshThread(() -> scanSamples(d));
    assertThat(first.stream().mapToInt(List::size).sum()).as(d.id()).isGreaterThanOrEqualTo(2);
    assertThat(onFreshThread(() -> scanSamples(d))).isEqualTo(first);
  }

  @ParameterizedTest
  @MethodSource("detectors")
  void aHugeTextScannedFirstLeavesTheFindingsOfSmallTextsUnchanged(Detector d) throws Exception {
    List<List<Finding>> expected = onFreshThread(() -> scanSamples(d));
    String huge = hugeText();
    List<List<Finding>> after =
        onFreshThread(
            () -> {
              assertThat(scan(d, huge)).as(d.id()).isNotEmpty();
              return scanSamples(d);
            });
    assertThat(after).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("detectors")
  void twoThreadsTakingTurnsEachGetTheFindingsOfTheirOwnTexts(Detector d) throws Exception {
    List<List<Finding>> expected = onFreshThread(() -> scanSamples(d));
    int n = SAMPLES.size();
    CyclicBarrier turn = new CyclicBarrier(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      // one thread goes through the samples forwards, the other backwards, a scan each per turn
      Callable<List<List<Finding>>> forwards =
          () -> {
            List<List<Finding>> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              turn.await(10, TimeUnit.SECONDS);
              out.add(scan(d, SAMPLES.get(i)));
            }
            return out;
          };
      Callable<List<List<Finding>>> backwards =
          () -> {
            List<List<Finding>> out = new ArrayList<>();
            for (int i = n - 1; i >= 0; i--) {
              turn.await(10, TimeUnit.SECONDS);
              out.add(0, scan(d, SAMPLES.get(i)));
            }
            return out;
          };
      Future<List<List<Finding>>> a = threads.submit(forwards);
      Future<List<List<Finding>>> b = threads.submit(backwards);
      assertThat(a.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
      assertThat(b.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
    } finally {
      threads.shutdownNow();
    }
  }

  @ParameterizedTest
  @MethodSource("detectors")
  void scansWhileTheThreadsEvidencePoolIsTakenFindTheSame(Detector d) throws Exception {
    List<List<Finding>> expected = onFreshThread(() -> scanSamples(d));
    List<List<Finding>> nested =
        onFreshThread(
            () -> {
              // as if scans of other texts were open on this thread around these ones
              List<Evidence> taken = new ArrayList<>();
              for (int k = 0; k < 8; k++) {
                Evidence e = Evidence.open();
                e.add("outer", "outer", 0.9, 0, 1);
                taken.add(e);
              }
              try {
                return scanSamples(d);
              } finally {
                taken.forEach(Evidence::close);
              }
            });
    assertThat(nested).isEqualTo(expected);
  }
}
