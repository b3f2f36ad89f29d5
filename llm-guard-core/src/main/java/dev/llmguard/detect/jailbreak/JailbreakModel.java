package dev.llmguard.detect.jailbreak;

import dev.llmguard.LlmGuardException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A learned signal that corroborates weak jailbreak evidence: logistic regression over hashed word
 * unigrams and bigrams of the first {@link #maxChars()} chars of a text.
 *
 * <p>Features: the text is cut after {@code maxChars} chars (never inside a surrogate pair) and
 * split into tokens — runs of letters, digits, combining marks and {@code _}, lower-cased, and
 * every other non-space code point on its own. Each token and each pair of neighbouring tokens is
 * hashed into one of {@code 2^dimBits} buckets; a bucket's value is {@code log(1 + count)}, and the
 * vector is scaled to unit length. The probability is {@code 1 / (1 + exp(-(bias + w·x)))}.
 *
 * <p>The detector consults the model only for texts whose rule evidence is weak but present (see
 * {@link JailbreakDetector#LEARNED_GATE}): the model never reports a text on its own. The bundled
 * model ({@link #bundled()}) was trained with the command-line tool's {@code train-jailbreak}
 * command; the README names the data and the cross-fitted figures.
 *
 * <p>Immutable and thread-safe. {@link #probability} is one pass over the cut text and allocates
 * nothing once its per-thread buffers have grown (at most about 72 bytes per char of {@code
 * maxChars}: about 150 KB for the bundled model's 2,048 chars, only in threads that consult it).
 */
public final class JailbreakModel {

  /** Class-path location of the bundled model. */
  public static final String BUNDLED_RESOURCE =
      "/dev/llmguard/detect/jailbreak/jailbreak-model.bin";

  static final int MAGIC = 0x4C474A4D; // "LGJM"
  static final int VERSION = 1;
  static final int MIN_DIM_BITS = 4;
  static final int MAX_DIM_BITS = 24;

  /** The most chars a model may read: bounds the per-thread buffer to 8 MB. */
  public static final int MAX_CHARS_LIMIT = 1 << 20;

  private static final int FNV_OFFSET = 0x811C9DC5;
  private static final int FNV_PRIME = 0x01000193;
  private static final int BIGRAM_SALT = 0x9E3779B9;

  private final int dimBits;
  private final int maxChars;
  private final double bias;
  private final double threshold;
  private final float[] weights;
  private final String provenance;

  /**
   * @param dimBits features are hashed into {@code 2^dimBits} buckets (4..24)
   * @param maxChars only the first this many chars of a text are read (1..{@value
   *     #MAX_CHARS_LIMIT})
   * @param bias the intercept
   * @param threshold the probability at or above which the model corroborates weak evidence (0..1)
   * @param weights one weight per bucket ({@code 2^dimBits} finite values); copied
   * @param provenance a one-line description of how the model was made (may be empty, not null)
   * @throws IllegalArgumentException when a parameter is out of range
   */
  public JailbreakModel(
      int dimBits,
      int maxChars,
      double bias,
      double threshold,
      float[] weights,
      String provenance) {
    if (dimBits < MIN_DIM_BITS || dimBits > MAX_DIM_BITS) {
      throw new IllegalArgumentException(
          "dimBits must be between "
              + MIN_DIM_BITS
              + " and "
              + MAX_DIM_BITS
              + " but was "
              + dimBits);
    }
    if (maxChars < 1 || maxChars > MAX_CHARS_LIMIT) {
      throw new IllegalArgumentException(
          "maxChars must be between 1 and " + MAX_CHARS_LIMIT + " but was " + maxChars);
    }
    if (!Double.isFinite(bias)) {
      throw new IllegalArgumentException("bias must be finite but was " + bias);
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be between 0 and 1 but was " + threshold);
    }
    if (weights.length != 1 << dimBits) {
      throw new IllegalArgumentException(
          "expected "
              + (1 << dimBits)
              + " weights for dimBits "
              + dimBits
              + " but got "
              + weights.length);
    }
    for (int i = 0; i < weights.length; i++) {
      if (!Float.isFinite(weights[i])) {
        throw new IllegalArgumentException("weight " + i + " is not finite: " + weights[i]);
      }
    }
    this.dimBits = dimBits;
    this.maxChars = maxChars;
    this.bias = bias;
    this.threshold = threshold;
    this.weights = weights.clone();
    this.provenance = provenance.replace('\n', ' ');
  }

  /**
   * The model shipped in this jar.
   *
   * @throws ModelFormatException if the bundled resource is missing or damaged (a packaging error)
   */
  public static JailbreakModel bundled() {
    return Bundled.MODEL;
  }

  private static final class Bundled {
    static final JailbreakModel MODEL = load();

    private static JailbreakModel load() {
      try (InputStream in = JailbreakModel.class.getResourceAsStream(BUNDLED_RESOURCE)) {
        if (in == null) {
          throw new ModelFormatException(BUNDLED_RESOURCE + " is missing from the class path");
        }
        return read(in, BUNDLED_RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + BUNDLED_RESOURCE, e);
      }
    }
  }

  /**
   * Reads a model file written by {@link #write}.
   *
   * @throws ModelFormatException when the file is not a model of a supported version, is truncated,
   *     or has trailing bytes
   * @throws IOException when the file cannot be read
   */
  public static JailbreakModel read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  /**
   * Reads a model from a stream written by {@link #write}; does not close it.
   *
   * @param name used in error messages
   * @throws ModelFormatException when the content is not a model of a supported version, is
   *     truncated, or has trailing bytes
   * @throws IOException when reading fails
   */
  public static JailbreakModel read(InputStream stream, String name) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
    try {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new ModelFormatException(name + ": not a jailbreak model file (bad magic number)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new ModelFormatException(
            name
                + ": model format version "
                + version
                + " is not supported (expected "
                + VERSION
                + ")");
      }
      int dimBits = in.readInt();
      if (dimBits < MIN_DIM_BITS || dimBits > MAX_DIM_BITS) {
        throw new ModelFormatException(name + ": dimBits " + dimBits + " is out of range");
      }
      int maxChars = in.readInt();
      double bias = in.readDouble();
      double threshold = in.readDouble();
      double scale = in.readDouble();
      String provenance = in.readUTF();
      if (!(scale > 0) || !Double.isFinite(scale)) {
        throw new ModelFormatException(name + ": weight scale must be positive but was " + scale);
      }
      byte[] q = new byte[1 << dimBits];
      in.readFully(q);
      if (in.read() != -1) {
        throw new ModelFormatException(name + ": unexpected bytes after the weights");
      }
      float[] w = new float[q.length];
      for (int i = 0; i < q.length; i++) {
        w[i] = (float) (q[i] * scale);
      }
      try {
        return new JailbreakModel(dimBits, maxChars, bias, threshold, w, provenance);
      } catch (IllegalArgumentException e) {
        throw new ModelFormatException(name + ": " + e.getMessage());
      }
    } catch (EOFException e) {
      throw new ModelFormatException(name + ": the model file is truncated");
    }
  }

  /**
   * Writes this model; weights are stored as signed bytes times one scale (the largest weight maps
   * to 127), so a model read back scores within about 0.4 % of the largest weight per feature. Does
   * not close the stream.
   */
  public void write(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(stream);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(dimBits);
    out.writeInt(maxChars);
    out.writeDouble(bias);
    out.writeDouble(threshold);
    double max = 0;
    for (float w : weights) {
      max = Math.max(max, Math.abs(w));
    }
    double scale = max == 0 ? 1 : max / 127;
    out.writeDouble(scale);
    out.writeUTF(provenance.length() > 2000 ? provenance.substring(0, 2000) : provenance);
    byte[] q = new byte[weights.length];
    for (int i = 0; i < q.length; i++) {
      q[i] = (byte) Math.max(-127, Math.min(127, Math.round(weights[i] / scale)));
    }
    out.write(q);
    out.flush();
  }

  /** The same model with another corroboration threshold (0..1). */
  public JailbreakModel withThreshold(double newThreshold) {
    return new JailbreakModel(dimBits, maxChars, bias, newThreshold, weights, provenance);
  }

  public int dimBits() {
    return dimBits;
  }

  public int maxChars() {
    return maxChars;
  }

  public double bias() {
    return bias;
  }

  public double threshold() {
    return threshold;
  }

  public String provenance() {
    return provenance;
  }

  /** The weight of one bucket. */
  public float weight(int bucket) {
    return weights[bucket];
  }

  /** The model's probability that {@code text} is a jailbreak, in 0..1. */
  public double probability(CharSequence text) {
    Scratch scratch = SCRATCH.get();
    int need = 2 * Math.min(text.length(), maxChars) + 2;
    int[] buckets = scratch.buckets(need);
    int n = collect(text, dimBits, maxChars, buckets);
    Counts counts = scratch.counts(n);
    for (int i = 0; i < n; i++) {
      counts.add(buckets[i]);
    }
    double dot = 0;
    double norm = 0;
    for (int k = 0; k < counts.distinct; k++) {
      int slot = counts.order[k];
      double v = log1p(counts.count[slot]);
      dot += v * weights[counts.key[slot]];
      norm += v * v;
    }
    double z = bias + (norm == 0 ? 0 : dot / Math.sqrt(norm));
    return 1 / (1 + Math.exp(-z));
  }

  private static final double[] LOG1P = new double[256];

  static {
    for (int c = 0; c < LOG1P.length; c++) {
      LOG1P[c] = Math.log1p(c);
    }
  }

  private static double log1p(int count) {
    return count < LOG1P.length ? LOG1P[count] : Math.log1p(count);
  }

  /** Per-thread buffers of {@link #probability}: the bucket ids of a text and their counts. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    private int[] buckets = new int[256];
    private final Counts counts = new Counts();

    int[] buckets(int need) {
      if (buckets.length < need) {
        buckets = new int[Math.max(need, buckets.length * 2)];
      }
      return buckets;
    }

    Counts counts(int entries) {
      counts.reset(entries);
      return counts;
    }
  }

  /**
   * Counts per bucket id in an open-addressing table; a generation stamp empties it in O(1), and
   * {@code order} lists the used slots so that reading them costs O(distinct), not O(capacity).
   */
  private static final class Counts {
    int[] key = new int[0];
    int[] count = new int[0];
    int[] stamp = new int[0];
    int[] order = new int[0];
    int distinct;
    private int generation;
    private int mask;

    void reset(int entries) {
      int capacity = Integer.highestOneBit(Math.max(16, entries + entries / 2)) << 1;
      if (key.length < capacity) {
        key = new int[capacity];
        count = new int[capacity];
        stamp = new int[capacity];
        order = new int[capacity];
        generation = 0;
      }
      mask = key.length - 1;
      distinct = 0;
      if (++generation == 0) {
        java.util.Arrays.fill(stamp, 0);
        generation = 1;
      }
    }

    void add(int bucket) {
      int slot = (bucket * 0x9E3779B1) & mask;
      while (stamp[slot] == generation) {
        if (key[slot] == bucket) {
          count[slot]++;
          return;
        }
        slot = (slot + 1) & mask;
      }
      stamp[slot] = generation;
      key[slot] = bucket;
      count[slot] = 1;
      order[distinct++] = slot;
    }
  }

  /**
   * The unit-length feature vector of {@code text}, as {@link #probability} sees it: distinct
   * bucket ids in increasing order and their values. For training.
   */
  public static Features features(CharSequence text, int dimBits, int maxChars) {
    if (dimBits < MIN_DIM_BITS
        || dimBits > MAX_DIM_BITS
        || maxChars < 1
        || maxChars > MAX_CHARS_LIMIT) {
      throw new IllegalArgumentException("dimBits " + dimBits + " or maxChars " + maxChars);
    }
    int[] buckets = new int[2 * Math.min(text.length(), maxChars) + 2];
    int n = collect(text, dimBits, maxChars, buckets);
    Arrays.sort(buckets, 0, n);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || buckets[i] != buckets[i - 1]) {
        distinct++;
      }
    }
    int[] ids = new int[distinct];
    float[] values = new float[distinct];
    double norm = 0;
    int k = -1;
    for (int i = 0; i < n; i++) {
      if (i == 0 || buckets[i] != buckets[i - 1]) {
        ids[++k] = buckets[i];
      }
      values[k]++;
    }
    for (int i = 0; i < distinct; i++) {
      values[i] = (float) Math.log1p(values[i]);
      norm += values[i] * (double) values[i];
    }
    double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
    for (int i = 0; i < distinct; i++) {
      values[i] = (float) (values[i] * scale);
    }
    return new Features(ids, values);
  }

  /**
   * A sparse unit-length feature vector.
   *
   * @param buckets distinct bucket ids in increasing order
   * @param values the value of each bucket
   */
  public record Features(int[] buckets, float[] values) {
    /** {@code bias + w·x} for the given weights. */
    public double dot(double[] w, double bias) {
      double z = bias;
      for (int i = 0; i < buckets.length; i++) {
        z += w[buckets[i]] * values[i];
      }
      return z;
    }
  }

  /** Class of each ASCII char: space, word or other (a token of its own). */
  private static final byte SPACE = 0;

  private static final byte WORD = 1;
  private static final byte OTHER = 2;
  private static final byte[] ASCII = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      ASCII[c] =
          Character.isWhitespace(c) || Character.isSpaceChar(c)
              ? SPACE
              : isWordChar(c) ? WORD : OTHER;
    }
  }

  private static byte classOf(int cp) {
    if (cp < 128) {
      return ASCII[cp];
    }
    if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
      return SPACE;
    }
    return isWordChar(cp) ? WORD : OTHER;
  }

  private static int lower(int cp) {
    if (cp < 128) {
      return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    }
    return Character.toLowerCase(cp);
  }

  /** Writes the bucket of every token and token pair into {@code out}; returns how many. */
  private static int collect(CharSequence text, int dimBits, int maxChars, int[] out) {
    int end = Math.min(text.length(), maxChars);
    if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    int shift = 32 - dimBits;
    int n = 0;
    boolean hasPrev = false;
    int prev = 0;
    int i = 0;
    while (i < end) {
      int cp = Character.codePointAt(text, i);
      byte kind = classOf(cp);
      if (kind == SPACE) {
        i += Character.charCount(cp);
        continue;
      }
      int h = FNV_OFFSET;
      if (kind == WORD) {
        while (true) {
          h = (h ^ lower(cp)) * FNV_PRIME;
          i += Character.charCount(cp);
          if (i >= end) {
            break;
          }
          cp = Character.codePointAt(text, i);
          if (classOf(cp) != WORD) {
            break;
          }
        }
      } else {
        h = (h ^ lower(cp)) * FNV_PRIME;
        i += Character.charCount(cp);
      }
      out[n++] = mix(h) >>> shift;
      if (hasPrev) {
        out[n++] = mix((prev * 31 + h) ^ BIGRAM_SALT) >>> shift;
      }
      prev = h;
      hasPrev = true;
    }
    return n;
  }

  private static boolean isWordChar(int cp) {
    if (Character.isLetterOrDigit(cp) || cp == '_') {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
  }

  /** Murmur3's finaliser: spreads every input bit over the high bits used as the bucket. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    h ^= h >>> 16;
    return h;
  }

  /** A model file or resource that cannot be used. */
  public static final class ModelFormatException extends LlmGuardException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
      super(message);
    }
  }
}
