package dev.llmguard.detect.text;

import dev.llmguard.spi.Confidence;
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
 * independent evidence, {@code 1 - Π(1 - family)}. Not thread-safe: one instance per scan at a
 * time.
 *
 * <p>Signals are kept in primitive arrays, in chunks allocated as signals arrive (nothing for a
 * text without signals, nothing copied when more come), and the per-family maxima are kept up to
 * date as signals arrive, so that scoring allocates nothing; families are always visited in the
 * order they were first seen, which keeps every score bit-for-bit reproducible.
 *
 * <p>A detector that scans many texts takes its evidence from {@link #open()} and closes it when
 * the finding is built: each thread then keeps a few instances, with their arrays, for all its
 * scans, so a scan allocates for its finding only. Everything an evidence returns (strings, lists)
 * is its own and stays valid after {@link #close()}.
 */
public final class Evidence implements AutoCloseable {

  /** One signal, with its span in the original text. */
  public record Signal(String name, String family, double weight, int start, int end) {}

  private static final int MAX_SIGNALS = 256;

  /**
   * Evidence instances each thread keeps for {@link #open()}: one per text being scanned at once on
   * that thread (a text, a decoded payload scanned while the text's evidence is open, another
   * detector's text); more nested scans get instances of their own.
   */
  static final int POOLED = 4;

  private static final ThreadLocal<Evidence[]> POOL =
      ThreadLocal.withInitial(() -> new Evidence[POOLED]);

  /**
   * Signals whose arrays a closed evidence keeps (the first {@value} fill the chunks it keeps); the
   * chunks of later ones are dropped, so a text with many signals pins no more than a few.
   */
  static final int RETAINED_SIGNALS = 64;

  /** Chunks kept by {@link #close()}: those of the first {@link #RETAINED_SIGNALS} signals. */
  private static final int RETAINED_CHUNKS = chunkOf(RETAINED_SIGNALS - 1) + 1;

  /** Distinct names and families whose slots a closed evidence keeps. */
  static final int RETAINED_NAMES = 32;

  /** Entries (chars of joined names, spans) of the scratch arrays a closed evidence keeps. */
  static final int RETAINED_SCRATCH = 512;

  /** Whether this is lent out by {@link #open()} (always false for one made with {@code new}). */
  private boolean open;

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

  /** Scratch for {@link #spans}, {@link #topFamilyOrder} and names being joined. */
  private long[] packed;

  private int[] order;
  private char[] joined;

  /** The phrase hits of the text this evidence is for ({@link #hits()}). */
  private PhraseMatcher.Hits hits;

  /** An empty evidence, for one scan; {@link #open()} reuses instances instead. */
  public Evidence() {}

  /**
   * An empty evidence for one scan on the calling thread, reused from the thread's pool (or new
   * when {@value #POOLED} are open on this thread already). Close it exactly once, on the same
   * thread, when the scan is done, best with try-with-resources (a second close would empty the
   * scan it was lent to next); nothing read from it depends on it afterwards.
   */
  public static Evidence open() {
    Evidence[] pool = POOL.get();
    for (int i = 0; i < pool.length; i++) {
      Evidence e = pool[i];
      if (e == null) {
        e = new Evidence();
        pool[i] = e;
      }
      if (!e.open) {
        e.open = true;
        return e;
      }
    }
    return new Evidence();
  }

  /**
   * Empties this evidence and, when it came from {@link #open()}, gives it back to the thread's
   * pool; arrays beyond the retained sizes ({@value #RETAINED_SIGNALS} signals, {@value
   * #RETAINED_NAMES} names, {@value #RETAINED_SCRATCH} scratch entries) are dropped.
   */
  @Override
  public void close() {
    if (spans != null) {
      for (int c = RETAINED_CHUNKS; c < CHUNKS; c++) {
        spans[c] = null;
        ids[c] = null;
        weights[c] = null;
      }
    }
    count = 0;
    if (names != null) {
      if (names.length > RETAINED_NAMES) {
        names = null;
      } else {
        Arrays.fill(names, 0, nameCount, null);
      }
    }
    nameCount = 0;
    if (families != null) {
      if (families.length > RETAINED_NAMES) {
        families = null;
        top = null;
        second = null;
      } else {
        Arrays.fill(families, 0, familyCount, null);
        Arrays.fill(top, 0, familyCount, 0.0);
        Arrays.fill(second, 0, familyCount, 0.0);
      }
    }
    familyCount = 0;
    if (packed != null && packed.length > RETAINED_SCRATCH) {
      packed = null;
    }
    if (joined != null && joined.length > RETAINED_SCRATCH) {
      joined = null;
    }
    if (order != null && order.length > RETAINED_NAMES) {
      order = null;
    }
    if (hits != null) {
      hits.clear();
    }
    open = false;
  }

  /** Signal slots allocated (for tests of what {@link #close()} keeps). */
  int signalCapacity() {
    int slots = 0;
    for (int c = 0; spans != null && c < CHUNKS; c++) {
      slots += spans[c] == null ? 0 : spans[c].length;
    }
    return slots;
  }

  /**
   * A buffer for the phrase hits of the text this evidence is for, reused with the evidence (see
   * {@link PhraseMatcher#match(NormalizedText, PhraseMatcher.Hits)}).
   */
  public PhraseMatcher.Hits hits() {
    if (hits == null) {
      hits = new PhraseMatcher.Hits();
    }
    return hits;
  }

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
      if (spans[chunk] == null) {
        int size = chunk == 0 ? 4 : 1 << (chunk + 1);
        spans[chunk] = new long[size];
        ids[chunk] = new int[size];
        weights[chunk] = new double[size];
      }
    }
    double w = Math.min(weight, 0.99);
    int f = familyIndex(family);
    spans[chunk][at] = PackedSpans.pack(start, end);
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
    add(hit.rule(), hit.start(), hit.end(), text);
  }

  /** Adds a hit of {@code rule} at folded offsets {@code [start, end)} of {@code text}. */
  public void add(PhraseMatcher.Rule rule, int start, int end, NormalizedText text) {
    add(rule.name(), rule.family(), rule.weight(), text.originStart(start), text.originEnd(end));
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
    int length = 0;
    int k = 0;
    while (k < nameCount) {
      length += (length > 0 ? 1 : 0) + names[k].length();
      k++;
      if (length > maxChars) {
        break;
      }
    }
    return joinedNames(k, length);
  }

  /**
   * The names of the signals, each once, in the order they were first added, joined by commas; when
   * that is longer than {@code maxChars}, only the names that end within {@code maxChars} chars
   * (none, if the first is longer).
   */
  public String joinedSignalNamesWithin(int maxChars) {
    int length = 0;
    int k = 0;
    int within = 0;
    int withinLength = 0;
    while (k < nameCount) {
      length += (length > 0 ? 1 : 0) + names[k].length();
      k++;
      if (length <= maxChars) {
        within = k;
        withinLength = length;
      }
    }
    return length <= maxChars ? joinedNames(k, length) : joinedNames(within, withinLength);
  }

  /** The first {@code k} names joined by commas ({@code length} chars, commas counted). */
  private String joinedNames(int k, int length) {
    if (k == 0) {
      return "";
    }
    if (k == 1) {
      return names[0];
    }
    char[] out = joined;
    if (out == null || out.length < length) {
      out = new char[Math.max(length, 64)];
      joined = out;
    }
    int at = 0;
    for (int i = 0; i < k; i++) {
      if (at > 0) {
        out[at++] = ',';
      }
      String name = names[i];
      name.getChars(0, name.length(), out, at);
      at += name.length();
    }
    return new String(out, 0, at);
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

  /**
   * The confidence the prompt detectors give a combined score: {@code HIGH} from 0.8, {@code
   * MEDIUM} from 0.5, else {@code LOW}.
   */
  public static Confidence confidenceOf(double score) {
    return score >= 0.8 ? Confidence.HIGH : score >= 0.5 ? Confidence.MEDIUM : Confidence.LOW;
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
    int[] sorted = topFamilyOrder();
    List<String> out = new ArrayList<>(Math.min(max, familyCount));
    for (int i = 0; i < familyCount && i < max; i++) {
      out.add(families[sorted[i]]);
    }
    return out;
  }

  /**
   * {@code prefix}, the {@link #topFamilies} joined by {@code separator}, then {@code suffix}, made
   * as one string (without the list).
   */
  public String topFamilies(int max, String prefix, String separator, String suffix) {
    int[] sorted = topFamilyOrder();
    int n = Math.min(max, familyCount);
    if (n == 1 && prefix.isEmpty() && suffix.isEmpty()) {
      return families[sorted[0]];
    }
    switch (n) {
      case 0:
        return prefix + suffix;
      case 1:
        return prefix + families[sorted[0]] + suffix;
      case 2:
        return prefix + families[sorted[0]] + separator + families[sorted[1]] + suffix;
      case 3:
        return prefix
            + families[sorted[0]]
            + separator
            + families[sorted[1]]
            + separator
            + families[sorted[2]]
            + suffix;
      default:
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < n; i++) {
          sb.append(i > 0 ? separator : "").append(families[sorted[i]]);
        }
        return sb.append(suffix).toString();
    }
  }

  /** The family indexes by weight, strongest first, ties in first-seen order; a reused array. */
  private int[] topFamilyOrder() {
    if (order == null || order.length < familyCount) {
      order = new int[Math.max(familyCount, 8)];
    }
    int[] sorted = order;
    for (int f = 0; f < familyCount; f++) {
      // Insertion sort: stable, and there are only a handful of families.
      int k = f;
      while (k > 0 && familyWeight(sorted[k - 1]) < familyWeight(f)) {
        sorted[k] = sorted[k - 1];
        k--;
      }
      sorted[k] = f;
    }
    return sorted;
  }

  /**
   * Spans of the signals, merged where they overlap, at most {@code max}, within {@code length}; an
   * immutable list.
   */
  public List<Span> spans(int length, int max) {
    // (start, end) pairs packed into longs sort in the order of Span.compareTo.
    if (packed == null || packed.length < count) {
      packed = new long[Math.max(count, 16)];
    }
    long[] raw = packed;
    int n = 0;
    for (int i = 0; i < count; i++) {
      long span = span(i);
      int st = Math.max(0, Math.min((int) (span >> 32), length));
      int en = Math.max(st, Math.min((int) span, length));
      if (en > st) {
        raw[n++] = PackedSpans.pack(st, en);
      }
    }
    Arrays.sort(raw, 0, n);
    // Merged in place: raw[0, merged) are the merged spans so far, the last one still growing.
    int merged = 0;
    for (int i = 0; i < n; i++) {
      int st = (int) (raw[i] >>> 32);
      int en = (int) raw[i];
      if (merged > 0 && (int) raw[merged - 1] >= st) {
        int curEnd = (int) raw[merged - 1];
        raw[merged - 1] = raw[merged - 1] & 0xFFFF_FFFF_0000_0000L | Math.max(curEnd, en);
        continue;
      }
      if (merged == max) {
        break;
      }
      raw[merged++] = raw[i];
    }
    return PackedSpans.toList(raw, merged);
  }
}
