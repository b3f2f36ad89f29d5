package dev.llmguard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.llmguard.GuardConfigurationException;
import dev.llmguard.cli.eval.EvalSettings;
import dev.llmguard.cli.eval.Evaluation;
import dev.llmguard.spi.Detector;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eval}: measures the detectors on labelled JSON-lines files. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the detectors on labelled JSON lines. The format (prompts, pii, secrets) is told"
          + " per file from its first record; every record is validated before detection starts.",
    })
final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Labelled JSON-lines files.")
  List<Path> files = new ArrayList<>();

  @Mixin DetectorOptions detectorOptions = new DetectorOptions();

  @Option(
      names = "--threshold",
      description = "A detector triggers at this score or above (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.5")
  double threshold;

  @Option(names = "--errors", description = "List the texts the detectors got wrong.")
  boolean errors;

  @Option(
      names = "--errors-limit",
      description = "At most this many wrong texts per kind (default: ${DEFAULT-VALUE}).",
      defaultValue = "100")
  int errorLimit;

  @Option(
      names = "--width",
      description = "Characters shown of each wrong text (default: ${DEFAULT-VALUE}).",
      defaultValue = "160")
  int width;

  @Option(
      names = "--warmup",
      description =
          "Untimed passes over each file before the timed one, so throughput is measured on"
              + " compiled code (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int warmups;

  @Option(
      names = "--pii-types",
      split = ",",
      paramLabel = "TYPE",
      description =
          "Presidio entity types scored in pii files (default: EMAIL_ADDRESS, PHONE_NUMBER,"
              + " CREDIT_CARD, IBAN_CODE, US_SSN, IP_ADDRESS).")
  List<String> piiTypes = new ArrayList<>(EvalSettings.DEFAULT_PII_TYPES);

  @Option(
      names = "--format",
      description = "text or json (one JSON document for all files) (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  String format;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!format.equals("text") && !format.equals("json")) {
      throw new GuardConfigurationException(
          "Unknown --format '" + format + "'; expected text or json");
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new GuardConfigurationException(
          "--threshold must be between 0 and 1 but was " + threshold);
    }
    if (warmups < 0 || errorLimit < 0 || width < 10) {
      throw new GuardConfigurationException(
          "--warmup and --errors-limit must be >= 0 and --width >= 10");
    }
    EvalSettings settings =
        new EvalSettings(threshold, errors, errorLimit, width, warmups, piiTypes);
    // Validate every file before spending time on detection.
    List<Evaluation> evaluations = new ArrayList<>();
    for (Path f : files) {
      try (BufferedReader reader = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        JsonLines lines = new JsonLines(f.toString(), reader);
        evaluations.add(Evaluation.of(lines, lines.readAll(), settings));
      }
    }
    List<Detector> detectors = detectorOptions.load(err);
    if (format.equals("text")) {
      List<String> ids = new ArrayList<>();
      detectors.forEach(d -> ids.add(d.id()));
      out.println("detectors: " + String.join(", ", ids));
      out.println();
    }
    for (Evaluation e : evaluations) {
      for (String needed : e.detectorIds()) {
        if (detectors.stream().noneMatch(d -> d.id().equals(needed))) {
          err.println(
              "warning: detector '"
                  + needed
                  + "' is not loaded; "
                  + e.format()
                  + " figures will show nothing detected by it");
        }
      }
    }
    ArrayNode json = JsonLines.mapper().createArrayNode();
    for (Evaluation e : evaluations) {
      e.run(new Runner(detectors));
      if (format.equals("json")) {
        json.add(e.toJson());
      } else {
        e.print(out);
      }
      out.flush();
    }
    if (format.equals("json")) {
      var doc = JsonLines.mapper().createObjectNode();
      ArrayNode ids = doc.putArray("detectors");
      detectors.forEach(d -> ids.add(d.id()));
      doc.set("files", json);
      out.println(JsonLines.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    }
    out.flush();
    return Main.OK;
  }
}
