package dev.llmguard.detect.text;

import dev.llmguard.spi.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Weak and strong signals collected while scanning one text, combined into a graded score.
 *
 * <p>Within a family of signals only the strongest counts fully and the second strongest adds a
 * quarter of its weight (five paraphrases of the same idea are one idea); families combine as
 * independent evidence, {@code 1 - Π(1 - family)}. Not thread-safe: one instance per scan.
 *
 * <p>Signals are kept in primitive arrays, in chunks allocated as signals arrive (nothing for a
 * text without signals, nothing copied when more come), and the per-family maxima are kept up to
 * date as signals arrive, so that scoring allocates nothing; families are always visited in the
 * order they were first seen, which keeps every score bit-for-bit reproducible.
 */
public final class Evidence {

  /** One signal, with its span in the original text. */
  public record Signal(String name, String family, double weight, int start, int end) {}

  private static final int MAX_SIGNALS = 256;

  /**
   * Signals are stored in chunks that double in size: chunk 0 holds signals 0–3, chunk {@code k >=
   * 1} signals {@code 2^(k+1)} to {@code 2^(k+2) - 1}. Nothing is allocated for a text without
   * signals, little for one with a few, and nothing is ever copied.
   */
  private static final int CHUNKS = chunkOf(MAX_SIGNALS - 1) + 1;

  private int count;

  /** Per signal: its span packed as {@code start << 32 | end}. */
  private long[][] spans;

  /** Per signal: the index of its name in {@link #names} and of its family, packed. */
  private int[][] ids;

  private double[][] weights;

  /** The distinct signal names, in the order they were first added. */
  private String[] names;

  private int nameCount;

  private int familyCount;
  private String[] families;

  /** Per family, the strongest and the second strongest distinct weight. */
  private double[] top;

  private double[] second;

  private static int chunkOf(int i) {
    return i < 4 ? 0 : 30 - Integer.numberOfLeadingZeros(i);
  }

  private static int offsetIn(int chunk, int i) {
    return chunk == 0 ? i : i - (1 << (chunk + 1));
  }

  /** Adds a signal whose range is in original-text offsets. */
  public void add(String name, String family, double weight, int start, int end) {
    if (count >= MAX_SIGNALS || !(weight > 0)) {
      return;
    }
    int chunk = chunkOf(count);
    int at = offsetIn(chunk, count);
    if (at == 0) {
      if (spans == null) {
        spans = new long[CHUNKS][];
        ids = new int[CHUNKS][];
        weights = new double[CHUNKS][];
      }
      int size = chunk == 0 ? 4 : 1 << (chunk + 1);
      spans[chunk] = new long[size];
      ids[chunk] = new int[size];
      weights[chunk] = new double[size];
    }
    double w = Math.min(weight, 0.99);
    int f = familyIndex(family);
    spans[chunk][at] = (long) start << 32 | (end & 0xFFFF_FFFFL);
    ids[chunk][at] = nameIndex(name) << 16 | f;
    weights[chunk][at] = w;
    count++;
    if (w > top[f]) {
      second[f] = top[f];
      top[f] = w;
    } else if (w > second[f] && !(w == top[f])) {
      second[f] = w;
    }
  }

  private int nameIndex(String name) {
    for (int k = nameCount - 1; k >= 0; k--) {
      String known = names[k];
      if (known == name || known.equals(name)) {
        return k;
      }
    }
    if (names == null) {
      names = new String[4];
    } else if (nameCount == names.length) {
      names = Arrays.copyOf(names, nameCount * 2);
    }
    names[nameCount] = name;
    return nameCount++;
  }

  private int familyIndex(String family) {
    for (int f = 0; f < familyCount; f++) {
      if (families[f] == family || families[f].equals(family)) {
        return f;
      }
    }
    if (families == null || familyCount == families.length) {
      int size = families == null ? 4 : familyCount * 2;
      families = families == null ? new String[size] : Arrays.copyOf(families, size);
      top = top == null ? new double[size] : Arrays.copyOf(top, size);
      second = second == null ? new double[size] : Arrays.copyOf(second, size);
    }
    families[familyCount] = family;
    return familyCount++;
  }

  private long span(int i) {
    int chunk = chunkOf(i);
    return spans[chunk][offsetIn(chunk, i)];
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
    return count == 0;
  }

  public List<Signal> signals() {
    List<Signal> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int chunk = chunkOf(i);
      int id = ids[chunk][offsetIn(chunk, i)];
      long span = span(i);
      out.add(
          new Signal(
              names[id >>> 16],
              families[id & 0xFFFF],
              weights[chunk][offsetIn(chunk, i)],
              (int) (span >> 32),
              (int) span));
    }
    return List.copyOf(out);
  }

  /** The names of the signals, each once, in the order they were first added. */
  public List<String> signalNames() {
    List<String> out = new ArrayList<>(nameCount);
    for (int k = 0; k < nameCount; k++) {
      out.add(names[k]);
    }
    return out;
  }

  /**
   * The names of the signals, each once, in the order they were first added, joined by commas;
   * names past {@code maxChars} chars are left out (the first always stays).
   */
  public String joinedSignalNames(int maxChars) {
    if (nameCount == 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder(Math.min(maxChars, 16 * nameCount) + 16);
    for (int k = 0; k < nameCount; k++) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(names[k]);
      if (sb.length() > maxChars) {
        break;
      }
    }
    return sb.toString();
  }

  /** How many families were seen. */
  public int familyCount() {
    return familyCount;
  }

  /** The {@code f}-th family seen, in the order they were first seen. */
  public String family(int f) {
    return families[f];
  }

  /** The combined weight of the family named {@code family}, or {@code orElse}. */
  public double familyWeight(String family, double orElse) {
    for (int f = 0; f < familyCount; f++) {
      if (families[f].equals(family)) {
        return familyWeight(f);
      }
    }
    return orElse;
  }

  /** The combined weight of family {@code f}. */
  private double familyWeight(int f) {
    return Math.min(0.99, top[f] + 0.25 * second[f] * (1 - top[f]));
  }

  /** Per family, the combined weight. */
  public Map<String, Double> families() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int f = 0; f < familyCount; f++) {
      out.put(families[f], familyWeight(f));
    }
    return out;
  }

  /** The families seen, in the order they were first seen. */
  public List<String> familyNames() {
    return familyCount == 0 ? List.of() : List.of(Arrays.copyOf(families, familyCount));
  }

  /** The combined score, 0..0.99, every family counting as core evidence. */
  public double score() {
    return score(Set.of(), 1.0);
  }

  /**
   * The combined score, 0..0.99, where {@code context} families (framing, personas: common in
   * harmless text too) only strengthen core evidence: their weight is scaled by {@code core /
   * gate}, capped at 1, so context alone never scores.
   */
  public double score(Set<String> context, double gate) {
    double keepCore = 1.0;
    double keepContext = 1.0;
    for (int f = 0; f < familyCount; f++) {
      if (context.contains(families[f])) {
        keepContext *= 1 - familyWeight(f);
      } else {
        keepCore *= 1 - familyWeight(f);
      }
    }
    double core = 1 - keepCore;
    double ctx = (1 - keepContext) * Math.min(1.0, core / gate);
    return Math.min(0.99, 1 - (1 - core) * (1 - ctx));
  }

  /** Families sorted by weight, strongest first (ties in first-seen order), for messages. */
  public List<String> topFamilies(int max) {
    int[] order = new int[familyCount];
    for (int f = 0; f < familyCount; f++) {
      // Insertion sort: stable, and there are only a handful of families.
      int k = f;
      while (k > 0 && familyWeight(order[k - 1]) < familyWeight(f)) {
        order[k] = order[k - 1];
        k--;
      }
      order[k] = f;
    }
    List<String> out = new ArrayList<>(Math.min(max, familyCount));
    for (int i = 0; i < familyCount && i < max; i++) {
      out.add(families[order[i]]);
    }
    return out;
  }

  /**
   * Spans of the signals, merged where they overlap, at most {@code max}, within {@code length}.
   */
  public List<Span> spans(int length, int max) {
    // (start, end) pairs packed into longs sort in the order of Span.compareTo.
    long[] raw = new long[count];
    int n = 0;
    for (int i = 0; i < count; i++) {
      long span = span(i);
      int st = Math.max(0, Math.min((int) (span >> 32), length));
      int en = Math.max(st, Math.min((int) span, length));
      if (en > st) {
        raw[n++] = (long) st << 32 | en;
      }
    }
    Arrays.sort(raw, 0, n);
    List<Span> merged = new ArrayList<>(Math.min(n, max));
    int curStart = -1;
    int curEnd = -1;
    for (int i = 0; i < n; i++) {
      int st = (int) (raw[i] >>> 32);
      int en = (int) raw[i];
      if (curStart >= 0 && curEnd >= st) {
        curEnd = Math.max(curEnd, en);
        continue;
      }
      if (curStart >= 0) {
        merged.add(new Span(curStart, curEnd));
        if (merged.size() == max) {
          return List.copyOf(merged);
        }
      }
      curStart = st;
      curEnd = en;
    }
    if (curStart >= 0 && merged.size() < max) {
      merged.add(new Span(curStart, curEnd));
    }
    return List.copyOf(merged);
  }
}
