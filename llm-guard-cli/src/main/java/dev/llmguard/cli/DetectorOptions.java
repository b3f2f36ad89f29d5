package dev.llmguard.cli;

import dev.llmguard.spi.Detector;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the commands that run detectors. */
final class DetectorOptions {

  @Option(
      names = "--detectors",
      split = ",",
      paramLabel = "ID",
      description = "Detector ids to run, comma-separated (default: every discovered detector).")
  List<String> detectors = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "ID.KEY=VALUE",
      description =
          "A detector setting, e.g. --set prompt-injection.min-score=0.4 (repeatable); the same"
              + " keys as llmguard.detector.<id>.<key>.")
  List<String> settings = new ArrayList<>();

  List<Detector> load(PrintWriter err) {
    List<String> warnings = new ArrayList<>();
    List<Detector> loaded =
        DetectorSet.load(detectors, DetectorSet.parseSettings(settings), warnings);
    for (String w : warnings) {
      err.println("warning: " + w);
    }
    return loaded;
  }
}
