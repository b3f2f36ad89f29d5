package dev.llmguard.cli.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/** Formatting helpers shared by the evaluations. */
final class Report {
  private Report() {}

  static String pct(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  static String rate(long num, long den) {
    return den == 0
        ? num + "/0"
        : String.format(Locale.ROOT, "%d/%d (%.1f%%)", num, den, 100.0 * num / den);
  }

  static void putRatio(ObjectNode o, String key, double v) {
    if (Double.isNaN(v)) {
      o.putNull(key);
    } else {
      o.put(key, Math.round(v * 10000) / 10000.0);
    }
  }

  static String confusionHeader() {
    return String.format(
        Locale.ROOT,
        "%-38s %6s %6s %6s %6s %6s %6s %9s %7s %7s %7s",
        "task",
        "pos",
        "neg",
        "TP",
        "FN",
        "FP",
        "TN",
        "precision",
        "recall",
        "F1",
        "FPR");
  }

  static String confusionRow(String name, Confusion c) {
    return String.format(
        Locale.ROOT,
        "%-38s %6d %6d %6d %6d %6d %6d %9s %7s %7s %7s",
        name,
        c.positives(),
        c.negatives(),
        c.tp,
        c.fn,
        c.fp,
        c.tn,
        pct(c.precision()),
        pct(c.recall()),
        pct(c.f1()),
        pct(c.fpr()));
  }

  /** One line of text for an error listing: control characters flattened, cut to {@code width}. */
  static String snippet(String text, int width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length() && sb.length() < width; i++) {
      char c = text.charAt(i);
      sb.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (text.length() > width) {
      sb.append('…');
    }
    return sb.toString();
  }

  /** The last path element of a source name, to keep tables narrow. */
  static String shortSource(String source) {
    return source.length() <= 60 ? source : "…" + source.substring(source.length() - 59);
  }
}
