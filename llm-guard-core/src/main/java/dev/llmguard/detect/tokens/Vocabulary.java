package dev.llmguard.detect.tokens;

import dev.llmguard.LlmGuardException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The mergeable ranks of a BPE encoding (token bytes to rank, the rank being the token id), read
 * from the {@code .tiktoken} file that jtokkit ships, held compactly: all token bytes in one array
 * and open-addressing tables of ranks, about 4 MB for {@code cl100k_base} and 8 MB for {@code
 * o200k_base}. Immutable and thread-safe once loaded.
 */
final class Vocabulary {
  /** Returned by {@link #rank} for bytes that are no token. */
  static final int NONE = Integer.MAX_VALUE;

  private final byte[] bytes;
  private final int[] offsets; // token r is bytes[offsets[r], offsets[r + 1])
  private final int[] table; // rank + 1 per slot, 0 when empty
  private final int mask;
  private final int maxLength;

  /**
   * Tokens of at most {@value #SHORT} bytes again, packed: slot {@code 2k} holds the bytes and the
   * length ({@link #pack}), slot {@code 2k + 1} the rank, so a lookup touches one cache line.
   * Almost every lookup while merging is for such a short pair.
   */
  private final long[] shortTable;

  private final int shortMask;

  /** Longest token held in {@link #shortTable}. */
  static final int SHORT = 7;

  private Vocabulary(byte[] bytes, int[] offsets, int size) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.table = new int[Integer.highestOneBit(size) * 4];
    this.mask = table.length - 1;
    int longest = 0;
    for (int r = 0; r < size; r++) {
      int from = offsets[r];
      int to = offsets[r + 1];
      longest = Math.max(longest, to - from);
      int slot = hash(bytes, from, to) & mask;
      while (table[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      table[slot] = r + 1;
    }
    this.maxLength = longest;
    int shortCount = 0;
    for (int r = 0; r < size; r++) {
      if (offsets[r + 1] - offsets[r] <= SHORT) {
        shortCount++;
      }
    }
    int slots = Integer.highestOneBit(Math.max(shortCount, 1)) * 2;
    this.shortTable = new long[2 * slots];
    this.shortMask = slots - 1;
    for (int r = 0; r < size; r++) {
      if (offsets[r + 1] - offsets[r] <= SHORT) {
        long key = pack(bytes, offsets[r], offsets[r + 1]);
        int slot = shortHash(key) & shortMask;
        while (shortTable[2 * slot] != 0) {
          slot = (slot + 1) & shortMask;
        }
        shortTable[2 * slot] = key;
        shortTable[2 * slot + 1] = r;
      }
    }
  }

  /** Up to {@value #SHORT} bytes and their count in one {@code long}, never 0. */
  private static long pack(byte[] b, int from, int to) {
    long key = to - from;
    for (int i = from; i < to; i++) {
      key = (key << 8) | (b[i] & 0xff);
    }
    return key;
  }

  private static int shortHash(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40);
  }

  /**
   * Loads the ranks of jtokkit's resource {@code /com/knuddels/jtokkit/<name>.tiktoken} (lines of
   * base64 token bytes and rank, ranks 0, 1, 2 … in order).
   *
   * @throws LlmGuardException if the resource is missing or malformed
   */
  static Vocabulary load(String name) {
    String path = "/com/knuddels/jtokkit/" + name + ".tiktoken";
    try (InputStream in = com.knuddels.jtokkit.Encodings.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new LlmGuardException("jtokkit resource " + path + " is missing from the classpath");
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
      byte[] all = new byte[1 << 20];
      int[] offsets = new int[1 << 16];
      int size = 0;
      int used = 0;
      Base64.Decoder decoder = Base64.getDecoder();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isEmpty()) {
          continue;
        }
        int space = line.indexOf(' ');
        if (space < 0 || Integer.parseInt(line.substring(space + 1)) != size) {
          throw new LlmGuardException("unexpected line " + (size + 1) + " in " + path);
        }
        byte[] token = decoder.decode(line.substring(0, space));
        if (used + token.length > all.length) {
          all = Arrays.copyOf(all, all.length * 2);
        }
        if (size + 2 > offsets.length) {
          offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        System.arraycopy(token, 0, all, used, token.length);
        offsets[size] = used;
        used += token.length;
        size++;
        offsets[size] = used;
      }
      return new Vocabulary(Arrays.copyOf(all, used), Arrays.copyOf(offsets, size + 1), size);
    } catch (IOException | IllegalArgumentException e) {
      throw new LlmGuardException("cannot read jtokkit resource " + path + ": " + e, e);
    }
  }

  /** The longest token, in bytes. */
  int maxLength() {
    return maxLength;
  }

  /** The rank of the token {@code b[from, to)}, or {@link #NONE}. */
  int rank(byte[] b, int from, int to) {
    int len = to - from;
    if (len <= SHORT) {
      long key = pack(b, from, to);
      for (int slot = shortHash(key) & shortMask; ; slot = (slot + 1) & shortMask) {
        long k = shortTable[2 * slot];
        if (k == key) {
          return (int) shortTable[2 * slot + 1];
        }
        if (k == 0) {
          return NONE;
        }
      }
    }
    if (len > maxLength) {
      return NONE;
    }
    int slot = hash(b, from, to) & mask;
    for (int r = table[slot]; r != 0; r = table[slot]) {
      int at = offsets[r - 1];
      if (offsets[r] - at == len && Arrays.equals(bytes, at, at + len, b, from, to)) {
        return r - 1;
      }
      slot = (slot + 1) & mask;
    }
    return NONE;
  }

  /** Length in bytes of token {@code rank}. */
  int length(int rank) {
    return offsets[rank + 1] - offsets[rank];
  }

  /** Copies the bytes of token {@code rank} to {@code dst} at {@code at}; returns the end. */
  int copy(int rank, byte[] dst, int at) {
    int from = offsets[rank];
    int len = offsets[rank + 1] - from;
    System.arraycopy(bytes, from, dst, at, len);
    return at + len;
  }

  private static int hash(byte[] b, int from, int to) {
    int h = 0x9747b28c;
    for (int i = from; i < to; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    h ^= h >>> 15;
    h *= 0x2c1b3c6d;
    return h ^ (h >>> 13);
  }
}
