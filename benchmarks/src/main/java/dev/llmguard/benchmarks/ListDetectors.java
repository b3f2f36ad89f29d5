package dev.llmguard.benchmarks;

/** Prints the ids of the detectors on the classpath, comma-separated, for {@code -p detector=}. */
public final class ListDetectors {
  private ListDetectors() {}

  public static void main(String[] args) {
    System.out.println(String.join(",", DetectorSet.ids()));
  }
}
