package dev.llmguard.detect.tokens;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The token counts of pieces of {@value #MIN_CHARS} to {@value #MAX_CHARS} chars, each below U+0100
 * (the longer words of Latin-script prose), keyed by the chars packed into two {@code long}s: a
 * lookup packs the piece in one pass and compares two numbers in one cache line, with no hash
 * chain, no second pass over the chars and no pointer to follow.
 *
 * <p>Each of the {@value #CAPACITY} slots is four {@code long}s — a version, the two halves of the
 * key, the length and count — in one {@link AtomicLongArray} (512 KB, fixed whatever the input;
 * {@value #PROBES} probes per key, the home slot overwritten when all are taken). A writer takes a
 * slot by moving its version from even to odd with a compare-and-set and makes it even again when
 * done; a reader that sees an odd version, or a different version after reading, treats the piece
 * as not cached. So a reader never takes a count from half-written entries. Allocates nothing;
 * thread-safe.
 */
final class MediumPieces {
  static final int MIN_CHARS = ShortPieces.MAX_CHARS + 1;
  static final int MAX_CHARS = 16;
  static final int CAPACITY = 1 << 14;
  static final int PROBES = 4;
  private static final int MASK = CAPACITY - 1;

  private final AtomicLongArray slots = new AtomicLongArray(4 * CAPACITY);

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
      int base = 4 * ((slot + k) & MASK);
      long version = slots.get(base);
      if (version == 0) {
        return -1; // never written: the key is not further on
      }
      if ((version & 1) != 0) {
        return -1; // being written
      }
      long h = slots.get(base + 1);
      long l = slots.get(base + 2);
      long meta = slots.get(base + 3);
      if (slots.get(base) != version) {
        return -1; // rewritten while read
      }
      if (h == high && l == low && (int) (meta & 0xff) == length) {
        return (int) (meta >>> 8);
      }
    }
    return -1;
  }

  /** Stores a count; gives up silently when another thread is writing the same slot. */
  void put(long high, long low, int length, int count) {
    int slot = home(high, low, length);
    int base = 4 * slot;
    for (int k = 0; k < PROBES; k++) {
      int at = 4 * ((slot + k) & MASK);
      if (slots.get(at) == 0) {
        base = at;
        break;
      }
    }
    long version = slots.get(base);
    if ((version & 1) != 0 || !slots.compareAndSet(base, version, version + 1)) {
      return;
    }
    slots.set(base + 1, high);
    slots.set(base + 2, low);
    slots.set(base + 3, ((long) count << 8) | length);
    slots.set(base, version + 2);
  }

  private static int home(long high, long low, int length) {
    long h = (high * 0x9E3779B97F4A7C15L) ^ ((low + length) * 0xC2B2AE3D27D4EB4FL);
    return (int) (h >>> 40) & MASK;
  }
}
