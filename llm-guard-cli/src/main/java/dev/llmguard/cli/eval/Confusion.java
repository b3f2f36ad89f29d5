package dev.llmguard.cli.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Binary confusion counts and the usual ratios. Ratios with a zero denominator are {@code NaN}
 * (printed as {@code -}), never a made-up 0 or 1. Not thread-safe.
 */
public final class Confusion {
  long tp;
  long fp;
  long fn;
  long tn;

  /** Records one decision: {@code actual} is the label, {@code predicted} the detector's call. */
  public void add(boolean actual, boolean predicted) {
    if (actual) {
      if (predicted) {
        tp++;
      } else {
        fn++;
      }
    } else if (predicted) {
      fp++;
    } else {
      tn++;
    }
  }

  public long tp() {
    return tp;
  }

  public long fp() {
    return fp;
  }

  public long fn() {
    return fn;
  }

  public long tn() {
    return tn;
  }

  public long positives() {
    return tp + fn;
  }

  public long negatives() {
    return fp + tn;
  }

  public double precision() {
    return ratio(tp, tp + fp);
  }

  public double recall() {
    return ratio(tp, tp + fn);
  }

  /** False-positive rate: the share of negatives flagged. */
  public double fpr() {
    return ratio(fp, fp + tn);
  }

  public double f1() {
    double p = precision();
    double r = recall();
    if (Double.isNaN(p) || Double.isNaN(r)) {
      return Double.NaN;
    }
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
  }

  static double ratio(long num, long den) {
    return den == 0 ? Double.NaN : (double) num / den;
  }

  void putInto(ObjectNode o) {
    o.put("tp", tp).put("fn", fn).put("fp", fp).put("tn", tn);
    Report.putRatio(o, "precision", precision());
    Report.putRatio(o, "recall", recall());
    Report.putRatio(o, "f1", f1());
    Report.putRatio(o, "fpr", fpr());
  }
}
