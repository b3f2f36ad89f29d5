package dev.llmguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scan}: one JSON line of findings per JSON line of input. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the detectors over JSON lines ({\"text\": ...} or {\"messages\": [{\"role\", \"content\"}]})"
          + " and writes one JSON line of findings per input line.",
    })
final class ScanCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      description = "JSON-lines input; '-' or absent for standard input.")
  String file = "-";

  @Mixin DetectorOptions detectorOptions = new DetectorOptions();

  @Option(
      names = "--phase",
      description = "prompt or response (default: ${DEFAULT-VALUE}).",
      defaultValue = "prompt")
  String phase;

  @Option(
      names = "--min-score",
      description = "Leave out findings scoring below this (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.0")
  double minScore;

  @Option(
      names = "--progress",
      description =
          "auto (a bar on stderr when it is a terminal and the input is over 1 MB or stdin), always or never (default: ${DEFAULT-VALUE}).",
      defaultValue = "auto")
  String progress;

  private final PrintStream progressOut;

  ScanCommand() {
    this(System.err);
  }

  ScanCommand(PrintStream progressOut) {
    this.progressOut = progressOut;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Phase p = Main.parsePhase(phase);
    Runner runner = new Runner(detectorOptions.load(err));
    boolean stdin = "-".equals(file);
    long total = stdin ? -1 : Files.size(Path.of(file));
    boolean bar =
        switch (progress) {
          case "always" -> true;
          case "never" -> false;
          default -> Progress.terminalAttached() && (total < 0 || total > 1 << 20);
        };
    try (BufferedReader reader =
        stdin
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      JsonLines lines = new JsonLines(stdin ? "<stdin>" : file, reader);
      Progress progressBar = new Progress(progressOut, bar, total);
      JsonLines.Line line;
      long count = 0;
      while ((line = lines.next()) != null) {
        ScanInput input = Inputs.toScanInput(lines, line, p);
        List<Finding> findings = runner.run(input);
        out.println(JsonLines.MAPPER.writeValueAsString(toJson(line, findings)));
        progressBar.update(lines.charsRead(), ++count);
      }
      progressBar.finish();
    }
    out.flush();
    return 0;
  }

  private ObjectNode toJson(JsonLines.Line line, List<Finding> findings) {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("line", line.number());
    JsonNode id = line.node().get("id");
    if (id != null) {
      o.set("id", id);
    }
    ArrayNode arr = o.putArray("findings");
    double max = 0;
    for (Finding f : findings) {
      if (f.score() < minScore) {
        continue;
      }
      max = Math.max(max, f.score());
      arr.add(findingJson(f));
    }
    o.put("max_score", max);
    return o;
  }

  static ObjectNode findingJson(Finding f) {
    ObjectNode j = JsonLines.MAPPER.createObjectNode();
    j.put("detector", f.detectorId());
    j.put("category", f.category().id());
    j.put("score", Math.round(f.score() * 10000) / 10000.0);
    j.put("confidence", f.confidence().name());
    ArrayNode spans = j.putArray("spans");
    for (Span s : f.spans()) {
      spans.addArray().add(s.start()).add(s.end());
    }
    j.put("message", f.message());
    if (!f.metadata().isEmpty()) {
      ObjectNode meta = j.putObject("metadata");
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(f.metadata()).entrySet()) {
        meta.put(e.getKey(), e.getValue());
      }
    }
    return j;
  }
}
