package dev.llmguard.detect.tokens;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The token counts of pieces of {@value #MIN_CHARS} to {@value #MAX_CHARS} chars, each below U+0100
 * (the longer words of Latin-script prose), keyed by the chars packed into two {@code long}s: a
 * lookup packs the piece in one pass and compares two numbers, with no hash chain and no second
 * pass over the chars. Entries are small immutable objects published through an {@link
 * AtomicReferenceArray} of {@value #CAPACITY} slots ({@value #PROBES} probes per key, an entry of
 * the neighbourhood evicted when it is full): at most about 0.8 MB whatever the input. Thread-safe.
 */
final class MediumPieces {
  static final int MIN_CHARS = ShortPieces.MAX_CHARS + 1;
  static final int MAX_CHARS = 16;
  static final int CAPACITY = 1 << 14;
  static final int PROBES = 4;
  private static final int MASK = CAPACITY - 1;

  private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(CAPACITY);

  private static final class Entry {
    final long high;
    final long low;
    final int length;
    final int count;

    Entry(long high, long low, int length, int count) {
      this.high = high;
      this.low = low;
      this.length = length;
      this.count = count;
    }
  }

  /**
   * The first eight chars of {@code t[start, end)} packed, or 0 if one of them is U+0100 or above
   * (the piece has at least {@value #MIN_CHARS} chars, so a key is never 0).
   */
  static long high(String t, int start) {
    long key = 0;
    for (int i = start; i < start + 8; i++) {
      char c = t.charAt(i);
      if (c > 0xff) {
        return 0;
      }
      key = (key << 8) | c;
    }
    return key;
  }

  /**
   * The chars after the first eight packed, or -1 if one is U+0100 or above (or if all eight are
   * U+00FF, which then just goes uncached here).
   */
  static long low(String t, int start, int end) {
    long key = 0;
    for (int i = start + 8; i < end; i++) {
      char c = t.charAt(i);
      if (c > 0xff) {
        return -1;
      }
      key = (key << 8) | c;
    }
    return key;
  }

  /** The count stored for the key, or -1. */
  int get(long high, long low, int length) {
    int slot = home(high, low, length);
    for (int k = 0; k < PROBES; k++) {
      Entry e = slots.get((slot + k) & MASK);
      if (e == null) {
        return -1;
      }
      if (e.high == high && e.low == low && e.length == length) {
        return e.count;
      }
    }
    return -1;
  }

  void put(long high, long low, int length, int count) {
    Entry entry = new Entry(high, low, length, count);
    int slot = home(high, low, length);
    for (int k = 0; k < PROBES; k++) {
      int at = (slot + k) & MASK;
      if (slots.get(at) == null) {
        slots.set(at, entry);
        return;
      }
    }
    slots.set(slot, entry);
  }

  private static int home(long high, long low, int length) {
    long h = (high * 0x9E3779B97F4A7C15L) ^ ((low + length) * 0xC2B2AE3D27D4EB4FL);
    return (int) (h >>> 40) & MASK;
  }
}
