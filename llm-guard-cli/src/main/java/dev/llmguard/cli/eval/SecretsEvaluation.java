package dev.llmguard.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.cli.JsonLines;
import dev.llmguard.spi.Finding;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Secrets format: {@code label} secret or not_secret, {@code meta.label_scope}. Text-level: a text
 * is detected when the {@value #DETECTOR} detector reports a finding at or above the threshold.
 * Negatives whose {@code label_scope} is {@code rule} (the upstream test only says that its own
 * rule must not fire) are reported apart from plain negatives.
 */
final class SecretsEvaluation extends Evaluation {
  static final String DETECTOR = "secrets";

  private record Row(
      long line, String text, boolean secret, boolean ruleScoped, String source, String rule) {}

  private final List<Row> rows = new ArrayList<>();
  private boolean[] detected;
  private String[] formats;

  SecretsEvaluation(String file, EvalSettings settings) {
    super(file, settings);
  }

  @Override
  public List<String> detectorIds() {
    return List.of(DETECTOR);
  }

  @Override
  public String format() {
    return "secrets";
  }

  @Override
  protected void accept(JsonLines source, JsonLines.Line line) {
    String text = requireText(source, line);
    String label = optText(line.node(), "label", null);
    if (label == null || !SECRET_LABELS.contains(label)) {
      throw source.malformed(
          line.number(), "field \"label\" must be secret or not_secret but was " + label);
    }
    JsonNode meta = line.node().get("meta");
    String scope = meta == null ? "" : optText(meta, "label_scope", "");
    String rule = meta == null ? "" : optText(meta, "rule", "");
    rows.add(
        new Row(
            line.number(),
            text,
            label.equals("secret"),
            scope.equals("rule"),
            optText(line.node(), "source", "unknown"),
            rule));
  }

  @Override
  protected List<String> texts() {
    detected = new boolean[rows.size()];
    formats = new String[rows.size()];
    List<String> t = new ArrayList<>();
    for (Row r : rows) {
      t.add(r.text());
    }
    return t;
  }

  @Override
  protected void record(int index, List<Finding> findings) {
    for (Finding f : findings) {
      if (f.detectorId().equals(DETECTOR) && f.score() >= settings.threshold()) {
        detected[index] = true;
        formats[index] = f.entity();
        return;
      }
    }
  }

  /** [all negatives, plain negatives only, rule-scoped negatives only]. */
  private Confusion[] confusions(List<Integer> subset) {
    Confusion all = new Confusion();
    Confusion plain = new Confusion();
    Confusion rule = new Confusion();
    for (int i : subset) {
      Row r = rows.get(i);
      all.add(r.secret(), detected[i]);
      if (r.secret()) {
        plain.add(true, detected[i]);
        rule.add(true, detected[i]);
      } else if (r.ruleScoped()) {
        rule.add(false, detected[i]);
      } else {
        plain.add(false, detected[i]);
      }
    }
    return new Confusion[] {all, plain, rule};
  }

  private List<Integer> all() {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      idx.add(i);
    }
    return idx;
  }

  private Map<String, List<Integer>> bySource() {
    Map<String, List<Integer>> m = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      m.computeIfAbsent(rows.get(i).source(), k -> new ArrayList<>()).add(i);
    }
    return m;
  }

  @Override
  protected void fill(ObjectNode o) {
    Confusion[] c = confusions(all());
    c[0].putInto(o.putObject("all_negatives"));
    c[1].putInto(o.putObject("plain_negatives"));
    c[2].putInto(o.putObject("rule_scoped_negatives"));
    ObjectNode sources = o.putObject("sources");
    bySource().forEach((k, v) -> confusions(v)[0].putInto(sources.putObject(k)));
    if (settings.errors()) {
      ArrayNode errs = o.putArray("errors");
      for (int i : wrong()) {
        Row r = rows.get(i);
        errs.addObject()
            .put("line", r.line())
            .put("label", r.secret() ? "secret" : "not_secret")
            .put("rule_scoped", r.ruleScoped())
            .put("rule", r.rule())
            .put("source", r.source())
            .put("text", r.text());
      }
    }
  }

  private List<Integer> wrong() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).secret() != detected[i]) {
        out.add(i);
      }
    }
    return out;
  }

  @Override
  protected void printBody(PrintWriter out) {
    Confusion[] c = confusions(all());
    out.printf(
        Locale.ROOT,
        "%d texts: secret %d, not_secret %d (%d plain, %d rule-scoped); detector '%s',"
            + " threshold %.2f%n%n",
        rows.size(),
        c[0].positives(),
        c[0].negatives(),
        c[1].negatives(),
        c[2].negatives(),
        DETECTOR,
        settings.threshold());
    out.println(Report.confusionHeader());
    out.println(Report.confusionRow("secret vs all negatives", c[0]));
    out.println(Report.confusionRow("secret vs plain negatives", c[1]));
    out.println(Report.confusionRow("secret vs rule-scoped negatives", c[2]));
    out.println();
    out.println("per source (all negatives):");
    bySource()
        .forEach(
            (k, v) -> {
              Confusion s = confusions(v)[0];
              out.printf(
                  Locale.ROOT,
                  "  %-60s recall %s  FP %s%n",
                  Report.shortSource(k),
                  Report.rate(s.tp(), s.positives()),
                  Report.rate(s.fp(), s.negatives()));
            });
    out.println();
    if (settings.errors()) {
      List<Integer> wrong = wrong();
      out.println(
          "wrong texts ("
              + wrong.size()
              + (wrong.size() > settings.errorLimit() ? ", first " + settings.errorLimit() : "")
              + "):");
      for (int k = 0; k < wrong.size() && k < settings.errorLimit(); k++) {
        int i = wrong.get(k);
        Row r = rows.get(i);
        out.printf(
            Locale.ROOT,
            "  %s:%d %s%s rule=%s%s %s%n",
            file,
            r.line(),
            r.secret() ? "missed secret" : "false alarm",
            r.ruleScoped() ? " (rule-scoped)" : "",
            r.rule(),
            formats[i] == null ? "" : " as " + formats[i],
            Report.snippet(r.text(), settings.width()));
      }
      out.println();
    }
  }
}
