package dev.llmguard.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.cli.JsonLines;
import dev.llmguard.cli.Runner;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Measures detectors on one labelled JSON-lines file. The format (prompts, pii, secrets) is told
 * from the first record; every record is validated before any detector runs, so a malformed file
 * fails fast with its line number.
 */
public abstract class Evaluation {
  static final Set<String> PROMPT_LABELS = Set.of("injection", "jailbreak", "benign", "harmful");
  static final Set<String> SECRET_LABELS = Set.of("secret", "not_secret");

  protected final String file;
  protected final EvalSettings settings;
  private long nanos;
  private long cpuNanos = -1;
  private long texts;
  private long bytes;
  private int warmups;

  protected Evaluation(String file, EvalSettings settings) {
    this.file = file;
    this.settings = settings;
  }

  /**
   * Picks the evaluation for the file's format and validates all its records.
   *
   * @throws dev.llmguard.cli.MalformedInputException naming file and line when the format cannot be
   *     told or a record is invalid
   */
  public static Evaluation of(JsonLines source, List<JsonLines.Line> lines, EvalSettings settings) {
    if (lines.isEmpty()) {
      throw source.malformed(1, "empty file: no records to evaluate");
    }
    JsonLines.Line first = lines.get(0);
    JsonNode node = first.node();
    Evaluation e;
    if (node.has("entities")) {
      e = new PiiEvaluation(source.name(), settings);
    } else if (node.has("label") && SECRET_LABELS.contains(node.get("label").asText())) {
      e = new SecretsEvaluation(source.name(), settings);
    } else if (node.has("label") && PROMPT_LABELS.contains(node.get("label").asText())) {
      e = new PromptEvaluation(source.name(), settings);
    } else {
      throw source.malformed(
          first.number(),
          "cannot tell the format: expected \"entities\" (pii) or \"label\" with one of "
              + "injection|jailbreak|benign|harmful (prompts) or secret|not_secret (secrets)");
    }
    for (JsonLines.Line l : lines) {
      e.accept(source, l);
    }
    return e;
  }

  /** The name of the format: {@code prompts}, {@code pii} or {@code secrets}. */
  public abstract String format();

  /** The ids of the detectors whose findings this format scores. */
  public abstract List<String> detectorIds();

  /** Validates and stores one record. */
  protected abstract void accept(JsonLines source, JsonLines.Line line);

  /** The texts to scan, in file order. */
  protected abstract List<String> texts();

  /** Records the findings for text number {@code index}. */
  protected abstract void record(int index, List<Finding> findings);

  /** Runs the detectors (after {@code settings.warmups()} untimed passes) and scores them. */
  public final void run(Runner runner) {
    List<String> all = texts();
    for (int w = 0; w < settings.warmups(); w++) {
      for (String t : all) {
        runner.run(ScanInput.of(Phase.PROMPT, t));
      }
    }
    warmups = settings.warmups();
    runner.resetClock();
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    boolean cpu = mx.isCurrentThreadCpuTimeSupported();
    long cpu0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
    for (int i = 0; i < all.size(); i++) {
      record(i, runner.run(ScanInput.of(Phase.PROMPT, all.get(i))));
    }
    cpuNanos = cpu ? mx.getCurrentThreadCpuTime() - cpu0 : -1;
    nanos = runner.nanos();
    texts = runner.texts();
    bytes = runner.utf8Bytes();
  }

  /** The figures as a JSON object. */
  public final ObjectNode toJson() {
    ObjectNode o = JsonLines.mapper().createObjectNode();
    o.put("file", file);
    o.put("format", format());
    o.put("threshold", settings.threshold());
    fill(o);
    ObjectNode t = o.putObject("throughput");
    t.put("texts", texts);
    t.put("bytes", bytes);
    t.put("seconds", nanos / 1e9);
    Report.putRatio(
        t, "texts_per_second", texts == 0 || nanos == 0 ? Double.NaN : texts * 1e9 / nanos);
    Report.putRatio(t, "mb_per_second", nanos == 0 ? Double.NaN : bytes * 1e3 / nanos);
    t.put("warmup_passes", warmups);
    if (cpuNanos > 0) {
      t.put("cpu_seconds", cpuNanos / 1e9);
      Report.putRatio(t, "cpu_mb_per_second", bytes * 1e3 / cpuNanos);
      Report.putRatio(t, "cpu_microseconds_per_kb", cpuNanos / 1e3 / (bytes / 1024.0));
    }
    return o;
  }

  protected abstract void fill(ObjectNode o);

  /** The figures as a human-readable report. */
  public final void print(PrintWriter out) {
    out.println("== " + file + " (" + format() + ")");
    printBody(out);
    out.println(
        String.format(
            Locale.ROOT,
            "throughput: %d texts, %.2f MB in %.3f s of detection = %.0f texts/s, %.2f MB/s"
                + " (after %d warm-up pass%s)",
            texts,
            bytes / 1e6,
            nanos / 1e9,
            nanos == 0 ? 0.0 : texts * 1e9 / nanos,
            nanos == 0 ? 0.0 : bytes * 1e3 / nanos,
            warmups,
            warmups == 1 ? "" : "es"));
    if (cpuNanos > 0) {
      out.println(
          String.format(
              Locale.ROOT,
              "cpu time of the timed pass (this thread, includes bookkeeping): %.3f s = %.2f MB/s,"
                  + " %.1f µs per KB",
              cpuNanos / 1e9,
              bytes * 1e3 / cpuNanos,
              cpuNanos / 1e3 / (bytes / 1024.0)));
    }
    out.println();
  }

  protected abstract void printBody(PrintWriter out);

  /** The highest score a detector gave to any finding, 0 when it found nothing. */
  static double maxScore(List<Finding> findings, String detectorId) {
    double max = 0;
    for (Finding f : findings) {
      if (f.detectorId().equals(detectorId) && f.score() > max) {
        max = f.score();
      }
    }
    return max;
  }

  /**
   * The {@code text} field of a line.
   *
   * @throws dev.llmguard.cli.MalformedInputException naming file and line when it is missing or not
   *     a string
   */
  public static String requireText(JsonLines source, JsonLines.Line line) {
    JsonNode t = line.node().get("text");
    if (t == null || !t.isTextual()) {
      throw source.malformed(line.number(), "missing string field \"text\"");
    }
    return t.asText();
  }

  /**
   * The {@code label} field of a prompts line.
   *
   * @throws dev.llmguard.cli.MalformedInputException naming file and line unless it is injection,
   *     jailbreak, benign or harmful
   */
  public static String requirePromptLabel(JsonLines source, JsonLines.Line line) {
    String label = optText(line.node(), "label", null);
    if (label == null || !PROMPT_LABELS.contains(label)) {
      throw source.malformed(
          line.number(),
          "field \"label\" must be one of injection|jailbreak|benign|harmful but was " + label);
    }
    return label;
  }

  static String optText(JsonNode node, String field, String dflt) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? dflt : v.asText();
  }
}
