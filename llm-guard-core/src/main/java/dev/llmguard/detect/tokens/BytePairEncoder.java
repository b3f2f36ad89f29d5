package dev.llmguard.detect.tokens;

/**
 * Byte-pair encoding over a {@link Vocabulary}, as tiktoken and jtokkit do it: a piece that is a
 * token as a whole is one token; otherwise, starting from single bytes, the adjacent pair whose
 * concatenation has the lowest rank is merged (the leftmost of equal ranks first) until no pair is
 * a token. Works on caller-supplied {@link Scratch} arrays, so it allocates nothing once they have
 * grown. Thread-safe (no state of its own besides the immutable vocabulary).
 */
final class BytePairEncoder {
  /** Pieces up to this many bytes are merged with a quadratic scan, longer ones with a heap. */
  static final int SMALL = 128;

  private final Vocabulary vocabulary;

  BytePairEncoder(Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
  }

  Vocabulary vocabulary() {
    return vocabulary;
  }

  /**
   * Tokens of the piece {@code b[from, to)}; sets {@link Scratch#first} and {@link Scratch#last} to
   * its first and last token.
   */
  int countPiece(byte[] b, int from, int to, Scratch s) {
    int whole = vocabulary.rank(b, from, to);
    if (whole != Vocabulary.NONE) {
      s.first = whole;
      s.last = whole;
      return 1;
    }
    return merge(b, from, to, s);
  }

  /**
   * Tokens of {@code b[from, to)} by merging alone (no whole-piece shortcut): the BPE of a part of
   * a piece. Sets {@link Scratch#first} and {@link Scratch#last}.
   */
  int merge(byte[] b, int from, int to, Scratch s) {
    return to - from <= SMALL ? mergeSmall(b, from, to, s) : mergeLarge(b, from, to, s);
  }

  /**
   * Whether tokens {@code left} then {@code right} are what BPE makes of their bytes together. If
   * the last token of one valid encoding and the first of the next are compatible, the two
   * encodings joined are the encoding of the joined bytes (the property behind github/rust-gems'
   * bpe crate), so separately merged chunks of a long piece add up exactly.
   */
  boolean compatible(int left, int right, Scratch s) {
    byte[] pair = s.pair;
    int mid = vocabulary.copy(left, pair, 0);
    int end = vocabulary.copy(right, pair, mid);
    int firstSeen = s.first;
    int lastSeen = s.last;
    boolean ok = mergeSmall(pair, 0, end, s) == 2 && s.first == left;
    s.first = firstSeen;
    s.last = lastSeen;
    return ok;
  }

  private int mergeSmall(byte[] b, int from, int to, Scratch s) {
    int parts = to - from;
    s.ensureSmall(parts);
    int[] pos = s.pos;
    int[] rank = s.rank;
    for (int k = 0; k <= parts; k++) {
      pos[k] = from + k;
    }
    for (int k = 0; k + 1 < parts; k++) {
      rank[k] = vocabulary.rank(b, pos[k], pos[k + 2]);
    }
    while (parts > 1) {
      int best = Vocabulary.NONE;
      int at = -1;
      for (int k = 0; k + 1 < parts; k++) {
        if (rank[k] < best) {
          best = rank[k];
          at = k;
        }
      }
      if (at < 0) {
        break;
      }
      // parts at and at + 1 become one: drop boundary at + 1 and pair at
      System.arraycopy(pos, at + 2, pos, at + 1, parts - at - 1);
      System.arraycopy(rank, at + 1, rank, at, parts - at - 2);
      parts--;
      if (at > 0) {
        rank[at - 1] = vocabulary.rank(b, pos[at - 1], pos[at + 1]);
      }
      if (at + 1 < parts) {
        rank[at] = vocabulary.rank(b, pos[at], pos[at + 2]);
      }
    }
    s.first = vocabulary.rank(b, pos[0], pos[1]);
    s.last = vocabulary.rank(b, pos[parts - 1], pos[parts]);
    return parts;
  }

  /**
   * O(n log n) merging for long pieces: parts in a linked list, candidate pairs in a binary heap
   * keyed by (rank, position), stale heap entries skipped when popped.
   */
  private int mergeLarge(byte[] b, int from, int to, Scratch s) {
    int n = to - from;
    s.ensureLarge(n);
    int[] next = s.next;
    int[] prev = s.prev;
    int[] pairRank = s.pairRank;
    long[] heap = s.heap;
    int size = 0;
    for (int i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    for (int i = 0; i < n; i++) {
      int r = pairRank(b, from, n, next, i);
      pairRank[i] = r;
      if (r != Vocabulary.NONE) {
        size = push(heap, size, ((long) r << 32) | i);
      }
    }
    int parts = n;
    int last = n - 1;
    while (size > 0) {
      long top = heap[0];
      size = pop(heap, size);
      int i = (int) top;
      int r = (int) (top >>> 32);
      if (pairRank[i] != r) {
        continue; // stale: the pair changed or its left part was merged away
      }
      int j = next[i];
      next[i] = next[j];
      if (next[j] >= 0) {
        prev[next[j]] = i;
      } else {
        last = i;
      }
      pairRank[j] = -1;
      parts--;
      int ri = pairRank(b, from, n, next, i);
      pairRank[i] = ri;
      if (ri != Vocabulary.NONE) {
        size = push(heap, size, ((long) ri << 32) | i);
      }
      int p = prev[i];
      if (p >= 0) {
        int rp = pairRank(b, from, n, next, p);
        pairRank[p] = rp;
        if (rp != Vocabulary.NONE) {
          size = push(heap, size, ((long) rp << 32) | p);
        }
      }
    }
    s.first = vocabulary.rank(b, from, from + (next[0] < 0 ? n : next[0]));
    s.last = vocabulary.rank(b, from + last, to);
    return parts;
  }

  /** The rank of the pair of parts that starts at {@code i}, or NONE if it is the last part. */
  private int pairRank(byte[] b, int from, int n, int[] next, int i) {
    int j = next[i];
    if (j < 0) {
      return Vocabulary.NONE;
    }
    int end = next[j] < 0 ? n : next[j];
    return vocabulary.rank(b, from + i, from + end);
  }

  private static int push(long[] heap, int size, long key) {
    int i = size;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent] <= key) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = key;
    return size + 1;
  }

  private static int pop(long[] heap, int size) {
    size--;
    long key = heap[size];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= key) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    if (size > 0) {
      heap[i] = key;
    }
    return size;
  }

  /**
   * Per-thread working memory of the encoder and the counter: grows to the largest piece seen (up
   * to {@link #KEEP} bytes; larger pieces get arrays that are dropped afterwards).
   */
  static final class Scratch {
    /** Largest piece, in bytes, whose arrays are kept for the next call. */
    static final int KEEP = 1 << 16;

    int first;
    int last;
    byte[] bytes = new byte[256];
    byte[] pair;
    int[] pos = new int[SMALL + 1];
    int[] rank = new int[SMALL];
    int[] next = new int[0];
    int[] prev = new int[0];
    int[] pairRank = new int[0];
    long[] heap = new long[0];
    final long[] seamKeys = new long[16];
    final long[] key = new long[2];
    final boolean[] seamOk = new boolean[16];

    Scratch(int maxTokenLength) {
      pair = new byte[2 * maxTokenLength];
      java.util.Arrays.fill(seamKeys, -1L);
    }

    void ensureSmall(int n) {
      if (pos.length < n + 1) {
        pos = new int[n + 1];
        rank = new int[n];
      }
    }

    void ensureLarge(int n) {
      if (next.length < n) {
        next = new int[n];
        prev = new int[n];
        pairRank = new int[n];
        heap = new long[3 * n];
      }
    }

    /** A byte buffer of at least {@code n} bytes. */
    byte[] bytes(int n) {
      if (bytes.length < n) {
        bytes = new byte[Math.max(n, 2 * bytes.length)];
      }
      return bytes;
    }

    /** Drops arrays grown past {@link #KEEP} so that one huge piece does not pin memory. */
    void trim() {
      if (bytes.length > KEEP) {
        bytes = new byte[256];
      }
      if (next.length > KEEP) {
        next = new int[0];
        prev = new int[0];
        pairRank = new int[0];
        heap = new long[0];
      }
    }
  }
}
