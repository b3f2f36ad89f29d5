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
 * One detector at a time, in every phase it supports, to see which one dominates the set. The
 * default {@code detector} values are this module's own; pass every id with {@code -p
 * detector=a,b,c} (the ids are printed by {@code java -cp benchmarks.jar
 * dev.llmguard.benchmarks.ListDetectors}). Like {@link DetectorSetBenchmark}, each invocation scans
 * the other of two equal but distinct {@code String} instances, so no per-instance cache hides the
 * cost of folding the text.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SingleDetectorBenchmark {

  @Param({"exfiltration", "refusal", "system-prompt-leak"})
  public String detector;

  @Param({"102400"})
  public int size;

  @Param({"prose", "near-misses"})
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

  private List<Detector> one;
  private DetectorSet.Alternating promptInputs;
  private DetectorSet.Alternating responseInputs;

  @Setup
  public void setUp() {
    one = List.of(DetectorSet.byId(detector));
    promptInputs = DetectorSet.Alternating.of(input, size, variants, DetectorSet::promptInput);
    responseInputs = DetectorSet.Alternating.of(input, size, variants, DetectorSet::responseInput);
  }

  @Benchmark
  public int scan() {
    return DetectorSet.scan(one, Phase.PROMPT, promptInputs.next())
        + DetectorSet.scan(one, Phase.RESPONSE, responseInputs.next());
  }
}
