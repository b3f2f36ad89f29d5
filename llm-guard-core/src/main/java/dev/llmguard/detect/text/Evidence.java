package dev.llmguard.detect.text;

import dev.llmguard.spi.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weak and strong signals collected while scanning one text, combined into a graded score.
 *
 * <p>Within a family of signals only the strongest counts fully and the second strongest adds a
 * quarter of its weight (five paraphrases of the same idea are one idea); families combine as
 * independent evidence, {@code 1 - Π(1 - family)}. Not thread-safe: one instance per scan.
 */
public final class Evidence {

  /** One signal, with its span in the original text. */
  public record Signal(String name, String family, double weight, int start, int end) {}

  private static final int MAX_SIGNALS = 256;
  private final List<Signal> signals = new ArrayList<>();

  /** Adds a signal whose range is in original-text offsets. */
  public void add(String name, String family, double weight, int start, int end) {
    if (signals.size() < MAX_SIGNALS && weight > 0) {
      signals.add(new Signal(name, family, Math.min(weight, 0.99), start, end));
    }
  }

  /** Adds a phrase hit, mapping its folded offsets back to the original. */
  public void add(PhraseMatcher.Hit hit, NormalizedText text) {
    add(
        hit.rule().name(),
        hit.rule().family(),
        hit.rule().weight(),
        text.originStart(hit.start()),
        text.originEnd(hit.end()));
  }

  public boolean isEmpty() {
    return signals.isEmpty();
  }

  public List<Signal> signals() {
    return List.copyOf(signals);
  }

  /** Per family, the combined weight. */
  public Map<String, Double> families() {
    Map<String, double[]> top = new LinkedHashMap<>();
    for (Signal s : signals) {
      double[] t = top.computeIfAbsent(s.family(), k -> new double[2]);
      if (s.weight() > t[0]) {
        t[1] = t[0];
        t[0] = s.weight();
      } else if (s.weight() > t[1] && !(s.weight() == t[0])) {
        t[1] = s.weight();
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    top.forEach((k, v) -> out.put(k, Math.min(0.99, v[0] + 0.25 * v[1] * (1 - v[0]))));
    return out;
  }

  /** The combined score, 0..0.99, every family counting as core evidence. */
  public double score() {
    return score(java.util.Set.of(), 1.0);
  }

  /**
   * The combined score, 0..0.99, where {@code context} families (framing, personas: common in
   * harmless text too) only strengthen core evidence: their weight is scaled by {@code core /
   * gate}, capped at 1, so context alone never scores.
   */
  public double score(java.util.Set<String> context, double gate) {
    double keepCore = 1.0;
    double keepContext = 1.0;
    for (Map.Entry<String, Double> f : families().entrySet()) {
      if (context.contains(f.getKey())) {
        keepContext *= 1 - f.getValue();
      } else {
        keepCore *= 1 - f.getValue();
      }
    }
    double core = 1 - keepCore;
    double ctx = (1 - keepContext) * Math.min(1.0, core / gate);
    return Math.min(0.99, 1 - (1 - core) * (1 - ctx));
  }

  /** Families sorted by weight, strongest first, for messages. */
  public List<String> topFamilies(int max) {
    List<Map.Entry<String, Double>> e = new ArrayList<>(families().entrySet());
    e.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < e.size() && i < max; i++) {
      out.add(e.get(i).getKey());
    }
    return out;
  }

  /**
   * Spans of the signals, merged where they overlap, at most {@code max}, within {@code length}.
   */
  public List<Span> spans(int length, int max) {
    List<Span> raw = new ArrayList<>();
    for (Signal s : signals) {
      int st = Math.max(0, Math.min(s.start(), length));
      int en = Math.max(st, Math.min(s.end(), length));
      if (en > st) {
        raw.add(new Span(st, en));
      }
    }
    raw.sort(null);
    List<Span> merged = new ArrayList<>();
    for (Span s : raw) {
      if (!merged.isEmpty() && merged.get(merged.size() - 1).end() >= s.start()) {
        Span last = merged.remove(merged.size() - 1);
        merged.add(new Span(last.start(), Math.max(last.end(), s.end())));
      } else {
        merged.add(s);
      }
    }
    return merged.size() > max ? List.copyOf(merged.subList(0, max)) : List.copyOf(merged);
  }
}
