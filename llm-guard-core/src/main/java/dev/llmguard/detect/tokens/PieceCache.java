package dev.llmguard.detect.tokens;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, thread-safe map from short pieces of text to their BPE result (token count, first and
 * last token), looked up by {@code (text, start, end)} without creating a substring.
 *
 * <p>Open addressing over {@value #CAPACITY} slots with {@value #PROBES} probes per key. A full
 * neighbourhood evicts one of its entries, so a flood of distinct pieces (random strings) churns
 * the cache but never grows it: keys are at most {@value #MAX_CHARS} chars, an entry with its key
 * takes at most about 180 bytes, so the cache holds at most about 3 MB per encoding. Entries are
 * immutable and published through an {@link AtomicReferenceArray}, so concurrent readers see either
 * a complete entry or none; two threads that miss the same piece both compute it and the later
 * write wins, with the same value.
 */
final class PieceCache {
  /** Slots of the table. */
  static final int CAPACITY = 1 << 14;

  /** Longest key, in chars; longer pieces are not cached. */
  static final int MAX_CHARS = 64;

  /** Slots looked at for one key. */
  static final int PROBES = 4;

  private static final int MASK = CAPACITY - 1;

  private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(CAPACITY);

  /** One cached piece; {@code chunk} marks the merge-only result of a part of a longer piece. */
  static final class Entry {
    final char[] key;
    final int hash;
    final boolean chunk;
    final int count;
    final int first;
    final int last;

    Entry(char[] key, int hash, boolean chunk, int count, int first, int last) {
      this.key = key;
      this.hash = hash;
      this.chunk = chunk;
      this.count = count;
      this.first = first;
      this.last = last;
    }
  }

  /** The hash of {@code t[start, end)} as a whole piece ({@code chunk == false}) or as a chunk. */
  static int hash(String t, int start, int end, boolean chunk) {
    // four independent lanes, so that a long key is not one chain of dependent multiplications
    int h0 = chunk ? 0x5bd1e995 : 0;
    int h1 = end - start;
    int h2 = 0;
    int h3 = 0;
    int i = start;
    for (; i + 4 <= end; i += 4) {
      h0 = 31 * h0 + t.charAt(i);
      h1 = 31 * h1 + t.charAt(i + 1);
      h2 = 31 * h2 + t.charAt(i + 2);
      h3 = 31 * h3 + t.charAt(i + 3);
    }
    for (; i < end; i++) {
      h0 = 31 * h0 + t.charAt(i);
    }
    int h = h0 * 0x01000193 + h1 * 0x2c1b3c6d + h2 * 0x297a2d39 + h3;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    return h ^ (h >>> 13);
  }

  /** The entry for {@code t[start, end)} of this kind and hash, or null. */
  Entry get(String t, int start, int end, int hash, boolean chunk) {
    int len = end - start;
    for (int k = 0; k < PROBES; k++) {
      Entry e = slots.get((hash + k) & MASK);
      if (e == null) {
        return null;
      }
      if (e.hash == hash && e.chunk == chunk && e.key.length == len && sameChars(e.key, t, start)) {
        return e;
      }
    }
    return null;
  }

  /** Stores a result; evicts an entry of the neighbourhood when it is full. */
  void put(String t, int start, int end, int hash, boolean chunk, int count, int first, int last) {
    char[] key = new char[end - start];
    t.getChars(start, end, key, 0);
    Entry entry = new Entry(key, hash, chunk, count, first, last);
    for (int k = 0; k < PROBES; k++) {
      int slot = (hash + k) & MASK;
      if (slots.get(slot) == null) {
        slots.set(slot, entry);
        return;
      }
    }
    slots.set((hash + ((hash >>> 20) & (PROBES - 1))) & MASK, entry);
  }

  /** Entries held now (for tests and the documented bound). */
  int size() {
    int n = 0;
    for (int i = 0; i < CAPACITY; i++) {
      if (slots.get(i) != null) {
        n++;
      }
    }
    return n;
  }

  private static boolean sameChars(char[] key, String t, int start) {
    for (int i = 0; i < key.length; i++) {
      if (key[i] != t.charAt(start + i)) {
        return false;
      }
    }
    return true;
  }
}
