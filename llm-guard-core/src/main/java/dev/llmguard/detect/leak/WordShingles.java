package dev.llmguard.detect.leak;

import java.util.Arrays;

/**
 * The set of word n-gram hashes of one text (its "shingles"). Words are maximal runs of letters and
 * digits, compared case-insensitively, so punctuation, markdown and white space do not matter.
 * Immutable after construction and therefore thread-safe; lookups allocate nothing.
 */
final class WordShingles {
  private static final long EMPTY = 0L;

  private final long[] table;
  private final int mask;
  private final int count;
  private final int wordCount;

  private WordShingles(long[] table, int count, int wordCount) {
    this.table = table;
    this.mask = table.length - 1;
    this.count = count;
    this.wordCount = wordCount;
  }

  /** Builds the shingles of {@code text} for n-grams of {@code n} words. */
  static WordShingles of(String text, int n) {
    WordCursor words = new WordCursor(text);
    Rolling rolling = new Rolling(n);
    int seen = 0;
    long[] hashes = new long[16];
    int size = 0;
    while (words.next()) {
      long h = rolling.push(words.hash());
      seen++;
      if (seen >= n) {
        if (size == hashes.length) {
          hashes = Arrays.copyOf(hashes, size * 2);
        }
        hashes[size++] = h;
      }
    }
    int capacity = Integer.highestOneBit(Math.max(8, size * 2 - 1)) << 1;
    long[] table = new long[capacity];
    int distinct = 0;
    for (int i = 0; i < size; i++) {
      if (insert(table, capacity - 1, hashes[i])) {
        distinct++;
      }
    }
    return new WordShingles(table, distinct, seen);
  }

  /** The slot of {@code hash} in this set, or -1 when absent. */
  int slotOf(long hash) {
    int slot = spread(hash) & mask;
    while (table[slot] != EMPTY) {
      if (table[slot] == hash) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  /** Number of slots; slot numbers are below it. */
  int capacity() {
    return table.length;
  }

  /** Number of distinct n-grams. */
  int size() {
    return count;
  }

  /** Number of words in the text. */
  int wordCount() {
    return wordCount;
  }

  /**
   * The hash of the last {@code n} words, updated in constant time per word (a polynomial rolling
   * hash over the word hashes, then mixed). Not thread-safe; one per scan.
   */
  static final class Rolling {
    private static final long BASE = 0x100000001B3L;
    private final long[] ring;
    private final long outFactor;
    private int next;
    private long sum;

    Rolling(int n) {
      ring = new long[n];
      long f = 1;
      for (int i = 0; i < n; i++) {
        f *= BASE;
      }
      outFactor = f;
    }

    /** Adds a word; returns the hash of the n-gram that ends with it (never {@link #EMPTY}). */
    long push(long wordHash) {
      long out = ring[next];
      ring[next] = wordHash;
      next = next + 1 == ring.length ? 0 : next + 1;
      sum = sum * BASE + wordHash - out * outFactor;
      long h = sum * 0x9E3779B97F4A7C15L;
      h ^= h >>> 29;
      return h == EMPTY ? 1L : h;
    }
  }

  private static boolean insert(long[] table, int mask, long hash) {
    int slot = spread(hash) & mask;
    while (table[slot] != EMPTY) {
      if (table[slot] == hash) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    table[slot] = hash;
    return true;
  }

  private static int spread(long h) {
    return (int) (h ^ (h >>> 32));
  }

  /** Walks the words of a text without allocating; not thread-safe. */
  static final class WordCursor {
    private final String text;
    private int pos;
    private int start;
    private int end;
    private long hash;

    WordCursor(String text) {
      this.text = text;
    }

    /** Advances to the next word; false at the end of the text. */
    boolean next() {
      int len = text.length();
      int i = pos;
      while (i < len && !isWordChar(text.charAt(i))) {
        i++;
      }
      if (i >= len) {
        pos = len;
        return false;
      }
      start = i;
      long h = 0xCBF29CE484222325L;
      while (i < len) {
        char c = text.charAt(i);
        int folded;
        if (c < 128) {
          folded = ASCII_FOLDED[c];
          if (folded == 0) {
            break;
          }
        } else if (Character.isLetterOrDigit(c)) {
          folded = Character.toLowerCase(c);
        } else {
          break;
        }
        h = (h ^ folded) * 0x100000001B3L;
        i++;
      }
      end = i;
      pos = i;
      hash = h;
      return true;
    }

    int start() {
      return start;
    }

    int end() {
      return end;
    }

    long hash() {
      return hash;
    }

    private static boolean isWordChar(char c) {
      if (c < 128) {
        return ASCII_FOLDED[c] != 0;
      }
      return Character.isLetterOrDigit(c);
    }

    /** ASCII letters lower-cased and digits as they are; 0 for every other ASCII char. */
    private static final char[] ASCII_FOLDED = new char[128];

    static {
      for (char c = 0; c < 128; c++) {
        if (c >= '0' && c <= '9') {
          ASCII_FOLDED[c] = c;
        } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
          ASCII_FOLDED[c] = (char) (c | 0x20);
        }
      }
    }
  }
}
