package dev.llmguard.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.cli.JsonLines;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Span;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * PII format: {@code entities} with code-point offsets and Presidio type names. Scoring is
 * span-level: a gold entity is found when a prediction of the same type overlaps it, a prediction
 * is correct when it overlaps a gold entity of its type. Only the types in {@link
 * EvalSettings#piiTypes()} are scored; gold entities and predictions of other types are ignored.
 * Predictions are the findings of the {@value #DETECTOR} detector at or above the threshold, their
 * {@code entity} metadata mapped to Presidio names ({@link #presidioName}).
 */
final class PiiEvaluation extends Evaluation {
  static final String DETECTOR = "pii";

  private record Entity(String type, Span span) {}

  private record Row(long line, String text, String source, List<Entity> gold) {}

  /** Counts for one entity type: gold found/missed, predictions right/wrong, exact matches. */
  private static final class Counts {
    long gold;
    long goldFound;
    long goldExact;
    long pred;
    long predCorrect;

    void add(Counts o) {
      gold += o.gold;
      goldFound += o.goldFound;
      goldExact += o.goldExact;
      pred += o.pred;
      predCorrect += o.predCorrect;
    }

    double precision() {
      return Confusion.ratio(predCorrect, pred);
    }

    double recall() {
      return Confusion.ratio(goldFound, gold);
    }

    double f1() {
      double p = precision();
      double r = recall();
      if (Double.isNaN(p) || Double.isNaN(r)) {
        return Double.NaN;
      }
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final List<List<Entity>> predictions = new ArrayList<>();

  PiiEvaluation(String file, EvalSettings settings) {
    super(file, settings);
  }

  @Override
  public List<String> detectorIds() {
    return List.of(DETECTOR);
  }

  @Override
  public String format() {
    return "pii";
  }

  /** Maps an entity name a detector reports to Presidio's name for that type. */
  static String presidioName(String entity) {
    String e = entity.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    return switch (e) {
      case "EMAIL", "EMAIL_ADDRESS", "E_MAIL" -> "EMAIL_ADDRESS";
      case "PHONE", "PHONE_NUMBER", "TELEPHONE" -> "PHONE_NUMBER";
      case "CREDIT_CARD", "PAYMENT_CARD", "CARD", "CARD_NUMBER" -> "CREDIT_CARD";
      case "IBAN", "IBAN_CODE" -> "IBAN_CODE";
      case "SSN", "US_SSN" -> "US_SSN";
      case "IP", "IP_ADDRESS", "IPV4", "IPV6", "IPV4_ADDRESS", "IPV6_ADDRESS" -> "IP_ADDRESS";
      default -> e;
    };
  }

  @Override
  protected void accept(JsonLines source, JsonLines.Line line) {
    String text = requireText(source, line);
    JsonNode ents = line.node().get("entities");
    if (ents == null || !ents.isArray()) {
      throw source.malformed(line.number(), "missing array field \"entities\"");
    }
    int cpCount = text.codePointCount(0, text.length());
    List<Entity> gold = new ArrayList<>();
    for (JsonNode e : ents) {
      JsonNode type = e.get("type");
      JsonNode start = e.get("start");
      JsonNode end = e.get("end");
      if (type == null
          || !type.isTextual()
          || start == null
          || !start.canConvertToInt()
          || end == null
          || !end.canConvertToInt()) {
        throw source.malformed(
            line.number(), "each entity needs a string \"type\" and integer \"start\", \"end\"");
      }
      int s = start.asInt();
      int en = end.asInt();
      if (s < 0 || en < s || en > cpCount) {
        throw source.malformed(
            line.number(),
            "entity [" + s + ", " + en + ") lies outside the text of " + cpCount + " code points");
      }
      String t = presidioName(type.asText());
      if (settings.piiTypes().contains(t)) {
        gold.add(
            new Entity(t, new Span(text.offsetByCodePoints(0, s), text.offsetByCodePoints(0, en))));
      }
    }
    rows.add(new Row(line.number(), text, optText(line.node(), "source", "unknown"), gold));
  }

  @Override
  protected List<String> texts() {
    predictions.clear();
    List<String> t = new ArrayList<>();
    for (Row r : rows) {
      t.add(r.text());
      predictions.add(List.of());
    }
    return t;
  }

  @Override
  protected void record(int index, List<Finding> findings) {
    List<Entity> pred = new ArrayList<>();
    for (Finding f : findings) {
      if (!f.detectorId().equals(DETECTOR) || f.score() < settings.threshold()) {
        continue;
      }
      String type = presidioName(f.entity());
      if (!settings.piiTypes().contains(type)) {
        continue;
      }
      for (Span s : f.spans()) {
        pred.add(new Entity(type, s));
      }
    }
    predictions.set(index, pred);
  }

  private Map<String, Counts> count(List<Integer> subset) {
    Map<String, Counts> m = new LinkedHashMap<>();
    for (String t : settings.piiTypes()) {
      m.put(t, new Counts());
    }
    for (int i : subset) {
      List<Entity> gold = rows.get(i).gold();
      List<Entity> pred = predictions.get(i);
      for (Entity g : gold) {
        Counts c = m.get(g.type());
        c.gold++;
        boolean found = false;
        boolean exact = false;
        for (Entity p : pred) {
          if (p.type().equals(g.type()) && p.span().overlaps(g.span())) {
            found = true;
            exact |= p.span().equals(g.span());
          }
        }
        c.goldFound += found ? 1 : 0;
        c.goldExact += exact ? 1 : 0;
      }
      for (Entity p : pred) {
        Counts c = m.get(p.type());
        c.pred++;
        for (Entity g : gold) {
          if (p.type().equals(g.type()) && p.span().overlaps(g.span())) {
            c.predCorrect++;
            break;
          }
        }
      }
    }
    return m;
  }

  private static Counts total(Map<String, Counts> m) {
    Counts all = new Counts();
    m.values().forEach(all::add);
    return all;
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

  private static void put(ObjectNode o, Counts c) {
    o.put("gold", c.gold)
        .put("found", c.goldFound)
        .put("exact", c.goldExact)
        .put("missed", c.gold - c.goldFound)
        .put("predicted", c.pred)
        .put("correct", c.predCorrect)
        .put("false_positives", c.pred - c.predCorrect);
    Report.putRatio(o, "precision", c.precision());
    Report.putRatio(o, "recall", c.recall());
    Report.putRatio(o, "f1", c.f1());
  }

  @Override
  protected void fill(ObjectNode o) {
    Map<String, Counts> m = count(all());
    ArrayNode types = o.putArray("types_scored");
    settings.piiTypes().forEach(types::add);
    put(o.putObject("overall"), total(m));
    ObjectNode per = o.putObject("per_type");
    m.forEach((k, v) -> put(per.putObject(k), v));
    ObjectNode sources = o.putObject("sources");
    bySource().forEach((k, v) -> put(sources.putObject(k), total(count(v))));
    if (settings.errors()) {
      ArrayNode errs = o.putArray("errors");
      for (String err : errors()) {
        errs.add(err);
      }
    }
  }

  private static String row(String name, Counts c) {
    return String.format(
        Locale.ROOT,
        "%-16s %6d %6d %6d %6d %6d %6d %9s %7s %7s",
        name,
        c.gold,
        c.goldFound,
        c.gold - c.goldFound,
        c.goldExact,
        c.pred,
        c.pred - c.predCorrect,
        Report.pct(c.precision()),
        Report.pct(c.recall()),
        Report.pct(c.f1()));
  }

  @Override
  protected void printBody(PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "%d texts; types scored (overlap match): %s; detector '%s', threshold %.2f%n%n",
        rows.size(),
        String.join(", ", settings.piiTypes()),
        DETECTOR,
        settings.threshold());
    Map<String, Counts> m = count(all());
    out.printf(
        Locale.ROOT,
        "%-16s %6s %6s %6s %6s %6s %6s %9s %7s %7s%n",
        "type",
        "gold",
        "found",
        "missed",
        "exact",
        "pred",
        "FP",
        "precision",
        "recall",
        "F1");
    m.forEach((k, v) -> out.println(row(k, v)));
    out.println(row("ALL (micro)", total(m)));
    out.println();
    out.println("per source (all scored types):");
    bySource()
        .forEach(
            (k, v) -> {
              Counts c = total(count(v));
              out.printf(
                  Locale.ROOT,
                  "  %-60s gold %5d found %5d FP %4d  P %s R %s F1 %s%n",
                  Report.shortSource(k),
                  c.gold,
                  c.goldFound,
                  c.pred - c.predCorrect,
                  Report.pct(c.precision()),
                  Report.pct(c.recall()),
                  Report.pct(c.f1()));
            });
    out.println();
    if (settings.errors()) {
      List<String> errs = errors();
      out.println(
          "wrong spans ("
              + errs.size()
              + (errs.size() > settings.errorLimit() ? ", first " + settings.errorLimit() : "")
              + "):");
      for (int k = 0; k < errs.size() && k < settings.errorLimit(); k++) {
        out.println("  " + errs.get(k));
      }
      out.println();
    }
  }

  private List<String> errors() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      for (Entity g : r.gold()) {
        boolean found = false;
        for (Entity p : predictions.get(i)) {
          found |= p.type().equals(g.type()) && p.span().overlaps(g.span());
        }
        if (!found) {
          out.add(describe(r, "missed", g));
        }
      }
      for (Entity p : predictions.get(i)) {
        boolean ok = false;
        for (Entity g : r.gold()) {
          ok |= p.type().equals(g.type()) && p.span().overlaps(g.span());
        }
        if (!ok) {
          out.add(describe(r, "spurious", p));
        }
      }
    }
    return out;
  }

  private String describe(Row r, String kind, Entity e) {
    return String.format(
        Locale.ROOT,
        "%s:%d %s %s '%s' in: %s",
        file,
        r.line(),
        kind,
        e.type(),
        Report.snippet(
            r.text()
                .substring(
                    Math.min(e.span().start(), r.text().length()),
                    Math.min(e.span().end(), r.text().length())),
            60),
        Report.snippet(r.text(), settings.width()));
  }
}
