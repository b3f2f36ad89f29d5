package dev.llmguard.benchmarks;

import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Phase;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The whole default detector set (every {@code DetectorProvider} on the classpath, empty config) on
 * one text: {@link #prompt} runs the prompt-phase detectors with the text as the user turn, {@link
 * #response} the response-phase detectors with the text as the answer. Run with {@code -prof gc}
 * for the allocation per scan ({@code gc.alloc.rate.norm}).
 *
 * <p>Each invocation scans the other of two equal but distinct {@code String} instances, so that no
 * per-instance cache (the text normaliser keeps its last result per thread) can carry work over
 * from one invocation to the next: every scan pays for folding its text once, as a real call does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DetectorSetBenchmark {

  @Param({"1024", "10240", "102400"})
  public int size;

  @Param({
    "prose",
    "one-char",
    "brackets",
    "ignore-repeated",
    "akia-repeated",
    "at-signs",
    "digit-runs",
    "image-open-repeated",
    "base64-runs",
    "near-misses"
  })
  public String input;

  /**
   * How many different texts of each kind the scans rotate through (each as two distinct
   * instances). The default, 64, stands for a stream of different prompts: the CPU learns the
   * branches of one short text scanned over and over (1 KB of prose then costs about a quarter
   * less), and of up to about 16 texts, but not of 32 or more (the figure no longer moves from 32
   * to 256). {@code -p variants=1} gives the one-text figure. Single-unit inputs ({@code one-char})
   * have one variant whatever is asked.
   */
  @Param({"64"})
  public int variants;

  private List<Detector> detectors;
  private DetectorSet.Alternating promptInputs;
  private DetectorSet.Alternating responseInputs;

  @Setup
  public void setUp() {
    detectors = DetectorSet.discover();
    promptInputs = DetectorSet.Alternating.of(input, size, variants, DetectorSet::promptInput);
    responseInputs = DetectorSet.Alternating.of(input, size, variants, DetectorSet::responseInput);
  }

  @Benchmark
  public int prompt() {
    return DetectorSet.scan(detectors, Phase.PROMPT, promptInputs.next());
  }

  @Benchmark
  public int response() {
    return DetectorSet.scan(detectors, Phase.RESPONSE, responseInputs.next());
  }
}
