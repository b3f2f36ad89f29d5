package dev.llmguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmguard.GuardConfigurationException;
import dev.llmguard.cli.eval.Evaluation;
import dev.llmguard.detect.jailbreak.JailbreakDetector;
import dev.llmguard.detect.jailbreak.JailbreakModel;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code train-jailbreak}: trains the jailbreak detector's learned model ({@link JailbreakModel})
 * on labelled prompts and reports how the detector does with it on rows the model never saw.
 *
 * <p>Rows labelled {@code jailbreak} are positives, {@code benign} and {@code harmful} negatives;
 * {@code injection} rows are not trained on but are scored. Rows are split into two halves by the
 * first bit of the SHA-256 of their {@code group} (near-duplicates stay together). A model trained
 * on one half scores the other (cross-fitting); the threshold is the {@code --quantile} of those
 * out-of-half probabilities on benign rows. The written model is then trained on every row and
 * keeps that threshold. Training is deterministic: full-batch gradient descent in a fixed order.
 */
@Command(
    name = "train-jailbreak",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the jailbreak detector's learned model on labelled prompts (the eval format) and"
          + " prints the detector's figures on rows each half-model never saw.",
    })
final class TrainJailbreakCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Labelled prompt JSON-lines files.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "MODEL",
      description = "Write the model trained on every row here (default: report only).")
  Path out;

  @Option(
      names = "--dim-bits",
      description = "Features are hashed into 2^N buckets (default: ${DEFAULT-VALUE}).",
      defaultValue = "16")
  int dimBits;

  @Option(
      names = "--max-chars",
      description = "Only the first N chars of a text are read (default: ${DEFAULT-VALUE}).",
      defaultValue = "2048")
  int maxChars;

  @Option(
      names = "--l2",
      description = "L2 regularisation strength (default: ${DEFAULT-VALUE}).",
      defaultValue = "1e-4")
  double l2;

  @Option(
      names = "--iterations",
      description = "Gradient-descent steps (default: ${DEFAULT-VALUE}).",
      defaultValue = "400")
  int iterations;

  @Option(
      names = "--learning-rate",
      description = "Gradient-descent step size (default: ${DEFAULT-VALUE}).",
      defaultValue = "4.0")
  double learningRate;

  @Option(
      names = "--quantile",
      description =
          "The model threshold is this quantile of the out-of-half probabilities of benign rows"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.995")
  double quantile;

  @Option(
      names = "--threshold",
      description =
          "The detector reports a text at this score or above (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.5")
  double threshold;

  /** Report order of the labels. */
  private static final List<String> LABELS = List.of("jailbreak", "benign", "harmful", "injection");

  record Row(String text, String label, int half, double ruleScore, JailbreakModel.Features x) {
    boolean trained() {
      return !label.equals("injection");
    }

    double target() {
      return label.equals("jailbreak") ? 1 : 0;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter pw = spec.commandLine().getOut();
    validate();
    List<Row> rows = new ArrayList<>();
    StringBuilder sources = new StringBuilder();
    JailbreakDetector rules = new JailbreakDetector(0.0, Set.of(Phase.PROMPT), null);
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      sources
          .append(sources.length() == 0 ? "" : " ")
          .append(f.getFileName())
          .append(" sha256=")
          .append(HexFormat.of().formatHex(sha256(bytes)), 0, 16);
      try (BufferedReader reader = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        JsonLines lines = new JsonLines(f.toString(), reader);
        for (JsonLines.Line line : lines.readAll()) {
          rows.add(row(lines, line, rules));
        }
      }
    }
    long positives = rows.stream().filter(r -> r.label().equals("jailbreak")).count();
    long negatives = rows.stream().filter(r -> r.trained() && r.target() == 0).count();
    if (positives == 0 || negatives == 0) {
      throw new GuardConfigurationException(
          "train-jailbreak needs rows labelled jailbreak and rows labelled benign or harmful;"
              + " found "
              + positives
              + " and "
              + negatives);
    }
    pw.printf(
        Locale.ROOT,
        "%d rows (%d jailbreak, %d benign or harmful, %d injection scored only);"
            + " 2^%d buckets, first %d chars, l2 %s, %d iterations%n",
        rows.size(),
        positives,
        negatives,
        rows.size() - positives - negatives,
        dimBits,
        maxChars,
        l2,
        iterations);

    double[] outOfHalf = new double[rows.size()];
    JailbreakModel[] halfModels = new JailbreakModel[2];
    for (int half = 0; half < 2; half++) {
      List<Row> train = new ArrayList<>();
      for (Row r : rows) {
        if (r.half() == half && r.trained()) {
          train.add(r);
        }
      }
      if (train.stream().noneMatch(r -> r.target() == 1)) {
        throw new GuardConfigurationException(
            "half " + half + " has no jailbreak rows to train on; give more groups");
      }
      halfModels[half] = fit(train, 0.5, "cross-fit half " + half);
      for (int i = 0; i < rows.size(); i++) {
        if (rows.get(i).half() != half) {
          outOfHalf[i] = halfModels[half].probability(rows.get(i).text());
        }
      }
    }
    double modelThreshold = quantileOfBenign(rows, outOfHalf);
    pw.printf(
        Locale.ROOT,
        "model threshold %.4f (quantile %s of the out-of-half probabilities of benign rows)%n%n",
        modelThreshold,
        quantile);
    report(pw, rows, halfModels, modelThreshold);

    if (out != null) {
      List<Row> all = rows.stream().filter(Row::trained).toList();
      String provenance =
          String.format(
              Locale.ROOT,
              "llm-guard train-jailbreak on %s: %d rows, dim-bits %d, max-chars %d, l2 %s,"
                  + " iterations %d, learning-rate %s, quantile %s",
              sources,
              all.size(),
              dimBits,
              maxChars,
              l2,
              iterations,
              learningRate,
              quantile);
      JailbreakModel model = fit(all, modelThreshold, provenance);
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream os = Files.newOutputStream(out)) {
        model.write(os);
      }
      pw.printf(Locale.ROOT, "%nwrote %s (%d bytes)%n", out, Files.size(out));
    }
    pw.flush();
    return Main.OK;
  }

  private void validate() {
    if (dimBits < 4 || dimBits > 24) {
      throw new GuardConfigurationException(
          "--dim-bits must be between 4 and 24 but was " + dimBits);
    }
    if (maxChars < 1 || maxChars > JailbreakModel.MAX_CHARS_LIMIT || iterations < 1) {
      throw new GuardConfigurationException(
          "--max-chars must be between 1 and "
              + JailbreakModel.MAX_CHARS_LIMIT
              + " and --iterations at least 1");
    }
    if (!(l2 >= 0) || !(learningRate > 0) || !Double.isFinite(l2 + learningRate)) {
      throw new GuardConfigurationException("--l2 must be >= 0 and --learning-rate > 0");
    }
    if (!(quantile > 0 && quantile <= 1) || !(threshold >= 0 && threshold <= 1)) {
      throw new GuardConfigurationException(
          "--quantile must be in (0, 1] and --threshold in [0, 1]");
    }
  }

  private Row row(JsonLines source, JsonLines.Line line, JailbreakDetector rules) {
    String text = Evaluation.requireText(source, line);
    String label = Evaluation.requirePromptLabel(source, line);
    JsonNode g = line.node().get("group");
    String group = g == null || g.isNull() ? source.name() + ":" + line.number() : g.asText();
    return new Row(
        text,
        label,
        sha256(group.getBytes(StandardCharsets.UTF_8))[0] & 1,
        score(rules, text),
        JailbreakModel.features(text, dimBits, maxChars));
  }

  private static double score(JailbreakDetector d, String text) {
    double s = 0;
    for (Finding f : d.detect(ScanInput.of(Phase.PROMPT, text))) {
      s = Math.max(s, f.score());
    }
    return s;
  }

  /** Logistic regression by full-batch gradient descent; deterministic. */
  JailbreakModel fit(List<Row> train, double modelThreshold, String provenance) {
    int dim = 1 << dimBits;
    double[] w = new double[dim];
    double[] grad = new double[dim];
    double bias = 0;
    int n = train.size();
    for (int it = 0; it < iterations; it++) {
      Arrays.fill(grad, 0);
      double gradBias = 0;
      for (Row r : train) {
        double p = 1 / (1 + Math.exp(-r.x().dot(w, bias)));
        double g = p - r.target();
        gradBias += g;
        int[] b = r.x().buckets();
        float[] v = r.x().values();
        for (int k = 0; k < b.length; k++) {
          grad[b[k]] += g * v[k];
        }
      }
      for (int j = 0; j < dim; j++) {
        w[j] -= learningRate * (grad[j] / n + l2 * w[j]);
      }
      bias -= learningRate * gradBias / n;
    }
    float[] weights = new float[dim];
    for (int j = 0; j < dim; j++) {
      weights[j] = (float) w[j];
    }
    return new JailbreakModel(dimBits, maxChars, bias, modelThreshold, weights, provenance);
  }

  private double quantileOfBenign(List<Row> rows, double[] p) {
    double[] benign =
        java.util.stream.IntStream.range(0, rows.size())
            .filter(i -> rows.get(i).label().equals("benign"))
            .mapToDouble(i -> p[i])
            .sorted()
            .toArray();
    if (benign.length == 0) {
      throw new GuardConfigurationException(
          "train-jailbreak needs benign rows to set the model threshold");
    }
    int idx = (int) Math.floor(quantile * benign.length);
    return idx >= benign.length ? Math.nextUp(benign[benign.length - 1]) : benign[idx];
  }

  /**
   * Flag rates per label and half: rules only, and the detector with the model of the other half
   * (so every row is scored by a model that did not see it, through the detector's own gate).
   */
  private void report(PrintWriter pw, List<Row> rows, JailbreakModel[] halfModels, double t) {
    JailbreakDetector[] withModel = {
      new JailbreakDetector(0.0, Set.of(Phase.PROMPT), halfModels[1].withThreshold(t)),
      new JailbreakDetector(0.0, Set.of(Phase.PROMPT), halfModels[0].withThreshold(t))
    };
    boolean[] learned = new boolean[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      learned[i] = score(withModel[rows.get(i).half()], rows.get(i).text()) >= threshold;
    }
    pw.println("detector on rows the model did not see (score >= " + threshold + "):");
    pw.printf(
        Locale.ROOT,
        "  %-10s %-6s %6s %22s %22s%n",
        "label",
        "half",
        "rows",
        "rules only",
        "rules + learned");
    for (String label : LABELS) {
      for (int half = -1; half < 2; half++) {
        int n = 0;
        int rulesOnly = 0;
        int withLearned = 0;
        for (int i = 0; i < rows.size(); i++) {
          Row r = rows.get(i);
          if (!r.label().equals(label) || half >= 0 && r.half() != half) {
            continue;
          }
          n++;
          rulesOnly += r.ruleScore() >= threshold ? 1 : 0;
          withLearned += learned[i] ? 1 : 0;
        }
        if (n == 0) {
          continue;
        }
        pw.printf(
            Locale.ROOT,
            "  %-10s %-6s %6d %22s %22s%n",
            label,
            half < 0 ? "both" : String.valueOf(half),
            n,
            rate(rulesOnly, n),
            rate(withLearned, n));
      }
    }
  }

  private static String rate(int k, int n) {
    return String.format(Locale.ROOT, "%d (%.4f)", k, (double) k / n);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
