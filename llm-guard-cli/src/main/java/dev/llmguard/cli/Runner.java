package dev.llmguard.cli;

import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.ScanInput;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a fixed list of detectors over inputs, turning a detector's exception into a {@code
 * detector_error} finding (as the guard does) and accumulating the time spent in detectors. Not
 * thread-safe: one runner per thread.
 */
public final class Runner {
  private final List<Detector> detectors;
  private long nanos;
  private long texts;
  private long utf8Bytes;

  public Runner(List<Detector> detectors) {
    this.detectors = List.copyOf(detectors);
  }

  public List<Detector> detectors() {
    return detectors;
  }

  /** All findings of the detectors that run in {@code input.phase()}, in detector order. */
  public List<Finding> run(ScanInput input) {
    List<Finding> all = new ArrayList<>();
    long t0 = System.nanoTime();
    for (Detector d : detectors) {
      if (!d.phases().contains(input.phase())) {
        continue;
      }
      try {
        all.addAll(d.detect(input));
      } catch (RuntimeException e) {
        all.add(
            Finding.builder(d.id(), Category.DETECTOR_ERROR)
                .score(0.0)
                .confidence(Confidence.LOW)
                .message(e.getClass().getSimpleName() + ": " + e.getMessage())
                .build());
      }
    }
    nanos += System.nanoTime() - t0;
    texts++;
    utf8Bytes += utf8Length(input.text());
    return all;
  }

  /** Forgets the accumulated time and counts (after a warm-up pass). */
  public void resetClock() {
    nanos = 0;
    texts = 0;
    utf8Bytes = 0;
  }

  public long nanos() {
    return nanos;
  }

  public long texts() {
    return texts;
  }

  public long utf8Bytes() {
    return utf8Bytes;
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
