package dev.llmguard.detect.tokens;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The token counts of short pieces — at most {@value #MAX_CHARS} chars, each below U+0100, which is
 * most pieces of Latin-script prose — packed with their key into one {@code long} per slot: 8 bits
 * per char, the length and the count. A lookup is one hash of a {@code long} and one atomic read,
 * without touching the chars again; a write is one atomic store, so readers never see half an
 * entry. {@value #CAPACITY} slots (256 KB), {@value #PROBES} probes per key, the home slot
 * overwritten when all are taken: bounded whatever the input. Thread-safe.
 */
final class ShortPieces {
  /** Longest piece held, in chars. */
  static final int MAX_CHARS = 7;

  /** Slots of the table. */
  static final int CAPACITY = 1 << 15;

  /** Slots looked at for one key. */
  static final int PROBES = 4;

  /** Returned by {@link #key} for pieces that do not fit. */
  static final long NO_KEY = 0;

  private static final int MASK = CAPACITY - 1;
  private static final long KEY_BITS = (1L << 59) - 1; // 56 bits of chars, 3 of length

  private final AtomicLongArray slots = new AtomicLongArray(CAPACITY);

  /**
   * The key of {@code t[start, end)} (1 to {@value #MAX_CHARS} chars), or {@link #NO_KEY} if a char
   * is U+0100 or above.
   */
  static long key(String t, int start, int end) {
    long key = 0;
    for (int i = start; i < end; i++) {
      char c = t.charAt(i);
      if (c > 0xff) {
        return NO_KEY;
      }
      key = (key << 8) | c;
    }
    return key | ((long) (end - start) << 56);
  }

  /** The count stored for {@code key}, or -1. */
  int get(long key) {
    int slot = home(key);
    for (int k = 0; k < PROBES; k++) {
      // Opaque: atomic (no torn entry), without ordering that a self-checking entry does not need.
      long v = slots.getOpaque((slot + k) & MASK);
      if (v == 0) {
        return -1;
      }
      if ((v & KEY_BITS) == key) {
        return (int) (v >>> 59);
      }
    }
    return -1;
  }

  /** Stores a count (at most 15: seven chars take at most 14 UTF-8 bytes). */
  void put(long key, int count) {
    long v = key | ((long) count << 59);
    int slot = home(key);
    for (int k = 0; k < PROBES; k++) {
      int at = (slot + k) & MASK;
      long old = slots.get(at);
      if (old == 0 || (old & KEY_BITS) == key) {
        slots.set(at, v);
        return;
      }
    }
    slots.set(slot, v);
  }

  private static int home(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 40) & MASK;
  }
}
