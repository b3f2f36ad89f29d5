package dev.llmguard.cli.eval;

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
 * Prompts format: {@code label} is injection, jailbreak, benign or harmful. A text counts as an
 * injection when {@value #INJECTION} scores at or above the threshold, as a jailbreak when {@value
 * #JAILBREAK} does; "any attack" when either does. Benign texts are the negatives of every task;
 * harmful texts are reported on their own.
 */
final class PromptEvaluation extends Evaluation {
  static final String INJECTION = "prompt-injection";
  static final String JAILBREAK = "jailbreak";
  private static final List<String> LABELS = List.of("injection", "jailbreak", "benign", "harmful");

  private record Row(long line, String text, String label, String source, String group) {}

  private final List<Row> rows = new ArrayList<>();
  private double[] injectionScores;
  private double[] jailbreakScores;

  PromptEvaluation(String file, EvalSettings settings) {
    super(file, settings);
  }

  @Override
  public List<String> detectorIds() {
    return List.of(INJECTION, JAILBREAK);
  }

  @Override
  public String format() {
    return "prompts";
  }

  @Override
  protected void accept(JsonLines source, JsonLines.Line line) {
    String text = requireText(source, line);
    String label = requirePromptLabel(source, line);
    rows.add(
        new Row(
            line.number(),
            text,
            label,
            optText(line.node(), "source", "unknown"),
            optText(line.node(), "group", "line-" + line.number())));
  }

  @Override
  protected List<String> texts() {
    List<String> t = new ArrayList<>(rows.size());
    for (Row r : rows) {
      t.add(r.text());
    }
    injectionScores = new double[rows.size()];
    jailbreakScores = new double[rows.size()];
    return t;
  }

  @Override
  protected void record(int index, List<Finding> findings) {
    injectionScores[index] = maxScore(findings, INJECTION);
    jailbreakScores[index] = maxScore(findings, JAILBREAK);
  }

  private boolean injection(int i) {
    return injectionScores[i] >= settings.threshold();
  }

  private boolean jailbreak(int i) {
    return jailbreakScores[i] >= settings.threshold();
  }

  private boolean any(int i) {
    return injection(i) || jailbreak(i);
  }

  /** The task confusions over a subset of rows: injection, jailbreak, any attack. */
  private Confusion[] tasks(List<Integer> subset) {
    Confusion inj = new Confusion();
    Confusion jb = new Confusion();
    Confusion any = new Confusion();
    for (int i : subset) {
      String label = rows.get(i).label();
      switch (label) {
        case "injection" -> {
          inj.add(true, injection(i));
          any.add(true, any(i));
        }
        case "jailbreak" -> {
          jb.add(true, jailbreak(i));
          any.add(true, any(i));
        }
        case "benign" -> {
          inj.add(false, injection(i));
          jb.add(false, jailbreak(i));
          any.add(false, any(i));
        }
        default -> {}
      }
    }
    return new Confusion[] {inj, jb, any};
  }

  /**
   * The task confusions with each near-duplicate family ({@code group}) counted once: a family is
   * detected when at least half of its rows are. Rows without a group are their own family.
   */
  private Confusion[] tasksByGroup() {
    Map<String, int[]> groups = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      int[] g = groups.computeIfAbsent(r.label() + "\u0000" + r.group(), k -> new int[4]);
      g[0]++;
      g[1] += injection(i) ? 1 : 0;
      g[2] += jailbreak(i) ? 1 : 0;
      g[3] += any(i) ? 1 : 0;
    }
    Confusion inj = new Confusion();
    Confusion jb = new Confusion();
    Confusion any = new Confusion();
    for (Map.Entry<String, int[]> e : groups.entrySet()) {
      String label = e.getKey().substring(0, e.getKey().indexOf('\u0000'));
      int[] g = e.getValue();
      boolean i = 2 * g[1] >= g[0];
      boolean j = 2 * g[2] >= g[0];
      boolean a = 2 * g[3] >= g[0];
      switch (label) {
        case "injection" -> {
          inj.add(true, i);
          any.add(true, a);
        }
        case "jailbreak" -> {
          jb.add(true, j);
          any.add(true, a);
        }
        case "benign" -> {
          inj.add(false, i);
          jb.add(false, j);
          any.add(false, a);
        }
        default -> {}
      }
    }
    return new Confusion[] {inj, jb, any};
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

  /** Counts per label: texts, flagged by injection, by jailbreak, by either. */
  private long[][] labelMatrix(List<Integer> subset) {
    long[][] m = new long[LABELS.size()][4];
    for (int i : subset) {
      long[] r = m[LABELS.indexOf(rows.get(i).label())];
      r[0]++;
      r[1] += injection(i) ? 1 : 0;
      r[2] += jailbreak(i) ? 1 : 0;
      r[3] += any(i) ? 1 : 0;
    }
    return m;
  }

  @Override
  protected void fill(ObjectNode o) {
    Confusion[] t = tasks(all());
    ObjectNode tasks = o.putObject("tasks");
    t[0].putInto(tasks.putObject("injection"));
    t[1].putInto(tasks.putObject("jailbreak"));
    t[2].putInto(tasks.putObject("any_attack"));
    Confusion[] g = tasksByGroup();
    ObjectNode byGroup = o.putObject("tasks_by_group");
    g[0].putInto(byGroup.putObject("injection"));
    g[1].putInto(byGroup.putObject("jailbreak"));
    g[2].putInto(byGroup.putObject("any_attack"));
    ObjectNode labels = o.putObject("labels");
    long[][] m = labelMatrix(all());
    for (int l = 0; l < LABELS.size(); l++) {
      ObjectNode n = labels.putObject(LABELS.get(l));
      n.put("n", m[l][0]).put(INJECTION, m[l][1]).put(JAILBREAK, m[l][2]).put("any", m[l][3]);
    }
    ObjectNode sources = o.putObject("sources");
    for (Map.Entry<String, List<Integer>> e : bySource().entrySet()) {
      ObjectNode s = sources.putObject(e.getKey());
      long[][] sm = labelMatrix(e.getValue());
      for (int l = 0; l < LABELS.size(); l++) {
        if (sm[l][0] > 0) {
          s.putObject(LABELS.get(l))
              .put("n", sm[l][0])
              .put(INJECTION, sm[l][1])
              .put(JAILBREAK, sm[l][2])
              .put("any", sm[l][3]);
        }
      }
    }
    if (settings.errors()) {
      ArrayNode errs = o.putArray("errors");
      for (int i : wrong()) {
        Row r = rows.get(i);
        errs.addObject()
            .put("line", r.line())
            .put("label", r.label())
            .put("source", r.source())
            .put(INJECTION, injectionScores[i])
            .put(JAILBREAK, jailbreakScores[i])
            .put("text", r.text());
      }
    }
  }

  /** Attacks the relevant detector missed, benign texts any attack detector flagged. */
  private List<Integer> wrong() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String label = rows.get(i).label();
      boolean bad =
          switch (label) {
            case "injection" -> !injection(i);
            case "jailbreak" -> !jailbreak(i);
            case "benign" -> any(i);
            default -> false;
          };
      if (bad) {
        out.add(i);
      }
    }
    return out;
  }

  @Override
  protected void printBody(PrintWriter out) {
    long[][] m = labelMatrix(all());
    out.printf(
        Locale.ROOT,
        "%d texts: injection %d, jailbreak %d, benign %d, harmful %d; threshold %.2f%n%n",
        rows.size(),
        m[0][0],
        m[1][0],
        m[2][0],
        m[3][0],
        settings.threshold());
    Confusion[] t = tasks(all());
    Confusion[] g = tasksByGroup();
    out.println(Report.confusionHeader());
    out.println(Report.confusionRow("injection (prompt-injection) vs benign", t[0]));
    out.println(Report.confusionRow("  near-duplicate groups counted once", g[0]));
    out.println(Report.confusionRow("jailbreak (jailbreak) vs benign", t[1]));
    out.println(Report.confusionRow("  near-duplicate groups counted once", g[1]));
    out.println(Report.confusionRow("any attack detector vs benign", t[2]));
    out.println(Report.confusionRow("  near-duplicate groups counted once", g[2]));
    out.println(
        "harmful (reported separately) flagged by an attack detector: "
            + Report.rate(m[3][3], m[3][0]));
    out.println();
    out.println("flagged per label:");
    out.printf(
        Locale.ROOT, "  %-10s %6s %20s %20s %20s%n", "label", "n", INJECTION, JAILBREAK, "any");
    for (int l = 0; l < LABELS.size(); l++) {
      out.printf(
          Locale.ROOT,
          "  %-10s %6d %20s %20s %20s%n",
          LABELS.get(l),
          m[l][0],
          Report.rate(m[l][1], m[l][0]),
          Report.rate(m[l][2], m[l][0]),
          Report.rate(m[l][3], m[l][0]));
    }
    out.println();
    out.println("per source (label: flagged by its own detector / by any attack detector):");
    for (Map.Entry<String, List<Integer>> e : bySource().entrySet()) {
      long[][] sm = labelMatrix(e.getValue());
      out.println("  " + Report.shortSource(e.getKey()));
      for (int l = 0; l < LABELS.size(); l++) {
        if (sm[l][0] == 0) {
          continue;
        }
        String own =
            switch (LABELS.get(l)) {
              case "injection" -> Report.rate(sm[l][1], sm[l][0]);
              case "jailbreak" -> Report.rate(sm[l][2], sm[l][0]);
              default -> "-";
            };
        out.printf(
            Locale.ROOT,
            "    %-10s n=%-5d own %-22s any %s%n",
            LABELS.get(l),
            sm[l][0],
            own,
            Report.rate(sm[l][3], sm[l][0]));
      }
    }
    out.println();
    if (settings.errors()) {
      printErrors(out);
    }
  }

  private void printErrors(PrintWriter out) {
    List<Integer> wrong = wrong();
    for (String kind : List.of("injection", "jailbreak", "benign")) {
      List<Integer> of = new ArrayList<>();
      for (int i : wrong) {
        if (rows.get(i).label().equals(kind)) {
          of.add(i);
        }
      }
      out.println(
          (kind.equals("benign") ? "false alarms on benign" : "missed " + kind)
              + " ("
              + of.size()
              + (of.size() > settings.errorLimit() ? ", first " + settings.errorLimit() : "")
              + "):");
      for (int k = 0; k < of.size() && k < settings.errorLimit(); k++) {
        int i = of.get(k);
        Row r = rows.get(i);
        out.printf(
            Locale.ROOT,
            "  %s:%d pi=%.2f jb=%.2f [%s] %s%n",
            file,
            r.line(),
            injectionScores[i],
            jailbreakScores[i],
            Report.shortSource(r.source()),
            Report.snippet(r.text(), settings.width()));
      }
      out.println();
    }
  }
}
