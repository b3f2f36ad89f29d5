package dev.llmguard.detect.tokens;

import java.util.Locale;

/**
 * Counts the tokens of {@code cl100k_base} or {@code o200k_base} exactly as jtokkit 1.1.0's {@code
 * Encoding.countTokensOrdinary} does (a lone surrogate counted as U+FFFD), without allocating once
 * warm: the {@link PreTokenizer} walks the text, and each piece's count comes from a bounded cache
 * ({@link ShortPieces}, {@link MediumPieces}, {@link PieceCache}) or, on a miss, from the {@link
 * BytePairEncoder} over jtokkit's rank tables. Counting the text piece by piece is exactly what
 * jtokkit does: it too splits first and encodes each piece on its own.
 *
 * <p>Pieces longer than {@value #CHUNK} chars (a run of one char, a base64 blob) are merged in
 * chunks of about {@value #CHUNK} chars, each cached; the chunks' encodings are joined only where
 * the tokens at the seam are {@link BytePairEncoder#compatible compatible}, which makes the sum
 * exact. A seam that does not hold is moved (up to {@value #SHIFTS} chars), then the chunk before
 * it is taken back and the union cut again, and only then is the whole piece merged with the O(n
 * log n) heap. Copies of a chunk join at the same seam, so a flood costs one comparison of the text
 * with itself.
 *
 * <p>Memory per encoding: the rank tables (about 4 MB for {@code cl100k_base}, 8 MB for {@code
 * o200k_base}), the caches (at most about 3 MB + 256 KB + 512 KB), and per thread a scratch area of
 * a few KB (grown for long pieces up to 64 KB; larger arrays are dropped after the call).
 * Thread-safe; one instance per encoding, loaded on first use.
 */
final class TokenCounter {
  /** Length in chars of the chunks a long piece is merged in. */
  static final int CHUNK = 64;

  private static final class Cl100k {
    static final TokenCounter INSTANCE = new TokenCounter("cl100k_base", PreTokenizer.CL100K);
  }

  private static final class O200k {
    static final TokenCounter INSTANCE = new TokenCounter("o200k_base", PreTokenizer.O200K);
  }

  private final String name;
  private final PreTokenizer splitter;
  private final BytePairEncoder encoder;
  private final PieceCache cache = new PieceCache();
  private final ShortPieces shortPieces = new ShortPieces();
  private final MediumPieces mediumPieces = new MediumPieces();
  private final ThreadLocal<BytePairEncoder.Scratch> scratch;

  private TokenCounter(String name, PreTokenizer splitter) {
    this.name = name;
    this.splitter = splitter;
    this.encoder = new BytePairEncoder(Vocabulary.load(name));
    int maxLength = encoder.vocabulary().maxLength();
    this.scratch = ThreadLocal.withInitial(() -> new BytePairEncoder.Scratch(maxLength));
  }

  /**
   * The counter of {@code cl100k_base} or {@code o200k_base} (case-insensitive).
   *
   * @throws IllegalArgumentException for any other name
   */
  static TokenCounter forEncoding(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "cl100k_base":
        return Cl100k.INSTANCE;
      case "o200k_base":
        return O200k.INSTANCE;
      default:
        throw new IllegalArgumentException("unsupported encoding " + name);
    }
  }

  /** The encoding's name, e.g. {@code cl100k_base}. */
  String name() {
    return name;
  }

  /** The cache (for tests). */
  PieceCache cache() {
    return cache;
  }

  /** Tokens of the whole text. */
  int count(String text) {
    return count(countUntil(text, 0, text.length(), Integer.MAX_VALUE));
  }

  /**
   * Counts the tokens of {@code t[from, to)}, read as if the text ended at {@code to}, piece by
   * piece until the count exceeds {@code stopAbove}. Returns the count and the index where counting
   * stopped ({@code to} unless stopped early) packed as {@code (index << 32) | count}; unpack with
   * {@link #count(long)} and {@link #index(long)}.
   */
  long countUntil(String t, int from, int to, int stopAbove) {
    return count(t, from, to, stopAbove, false);
  }

  /**
   * As {@link #countUntil}, but also stops as soon as the rest of the range provably cannot take
   * the count past {@code stopAbove}: a token covers at least one UTF-8 byte, so the count so far
   * plus the UTF-8 length of what is left bounds the total. Stopped so, it returns a count of at
   * most {@code stopAbove} that is only a part of the total, and the index where it stopped: use it
   * only to learn whether the range fits.
   */
  long countUnlessFits(String t, int from, int to, int stopAbove) {
    return count(t, from, to, stopAbove, true);
  }

  private long count(String t, int from, int to, int stopAbove, boolean stopWhenFits) {
    BytePairEncoder.Scratch s = scratch.get();
    long count = 0;
    int i = from;
    // Bytes beyond one per char in t[i, to): 0 until measured (a guess that only decides when to
    // measure), never reached when not stopping early. Once measured, count + (to - i) + extra
    // bounds the total from above at every later i, since each char consumed took a byte or more.
    long extra = stopWhenFits ? 0 : Long.MAX_VALUE / 4;
    boolean measured = false;
    try {
      while (i < to && count <= stopAbove) {
        if (count + (to - i) + extra <= stopAbove) {
          if (measured) {
            break; // whatever is left, the total stays within stopAbove
          }
          // the first time the bound could hold: measure what the rest really takes (its ASCII
          // chars one byte each, the others more) and look again
          extra = utf8Length(t, i, to) - (to - i);
          measured = true;
          continue;
        }
        int end = splitter.asciiWord(t, i, to, s.key);
        if (end >= 0) {
          count += asciiWordTokens(t, i, end, s);
        } else {
          end = splitter.next(t, i, to);
          count += pieceTokens(t, i, end, s);
        }
        i = end;
      }
    } finally {
      s.trim();
    }
    return ((long) i << 32) | Math.min(count, Integer.MAX_VALUE);
  }

  static int count(long packed) {
    return (int) packed;
  }

  static int index(long packed) {
    return (int) (packed >>> 32);
  }

  /** Tokens of a piece found by {@link PreTokenizer#asciiWord}, its key in {@code s.key}. */
  private int asciiWordTokens(String t, int start, int end, BytePairEncoder.Scratch s) {
    int len = end - start;
    if (len == 1) {
      return 1;
    }
    int n;
    if (len <= ShortPieces.MAX_CHARS) {
      long key = s.key[0] | ((long) len << 56);
      n = shortPieces.get(key);
      if (n < 0) {
        n = encoder.countPiece(s.bytes, 0, utf8(t, start, end, s), s);
        shortPieces.put(key, n);
      }
    } else if (len <= MediumPieces.MAX_CHARS) {
      n = mediumPieces.get(s.key[0], s.key[1], len);
      if (n < 0) {
        n = encoder.countPiece(s.bytes, 0, utf8(t, start, end, s), s);
        mediumPieces.put(s.key[0], s.key[1], len, n);
      }
    } else {
      n = pieceTokens(t, start, end, s);
    }
    return n;
  }

  private int pieceTokens(String t, int start, int end, BytePairEncoder.Scratch s) {
    int len = end - start;
    if (len == 1 && t.charAt(start) < 0x80) {
      return 1; // every byte is a token
    }
    if (len <= ShortPieces.MAX_CHARS) {
      long key = ShortPieces.key(t, start, end);
      if (key != ShortPieces.NO_KEY) {
        int n = shortPieces.get(key);
        if (n < 0) {
          n = encoder.countPiece(s.bytes, 0, utf8(t, start, end, s), s);
          shortPieces.put(key, n);
        }
        return n;
      }
    }
    if (len >= MediumPieces.MIN_CHARS && len <= MediumPieces.MAX_CHARS) {
      long high = MediumPieces.high(t, start);
      long low = high == 0 ? -1 : MediumPieces.low(t, start, end);
      if (low != -1) {
        int n = mediumPieces.get(high, low, len);
        if (n < 0) {
          n = encoder.countPiece(s.bytes, 0, utf8(t, start, end, s), s);
          mediumPieces.put(high, low, len, n);
        }
        return n;
      }
    }
    if (len > CHUNK) {
      return longPiece(t, start, end, s);
    }
    int h = PieceCache.hash(t, start, end, false);
    PieceCache.Entry e = cache.get(t, start, end, h, false);
    if (e != null) {
      return e.count;
    }
    int bytes = utf8(t, start, end, s);
    int n = encoder.countPiece(s.bytes, 0, bytes, s);
    cache.put(t, start, end, h, false, n, s.first, s.last);
    return n;
  }

  private int longPiece(String t, int start, int end, BytePairEncoder.Scratch s) {
    if (mayBeOneToken(t, start, end)) {
      int bytes = utf8(t, start, end, s);
      if (encoder.vocabulary().rank(s.bytes, 0, bytes) != Vocabulary.NONE) {
        return 1;
      }
    }
    int total = 0; // tokens of the chunks accepted so far, a valid encoding of t[start, a)
    int before = -1; // the last of those tokens
    int a = start;
    // the same three before the last chunk accepted, to take it back
    int backStart = -1;
    int backTotal = 0;
    int backBefore = -1;
    int span = CHUNK;
    // the chunk looked at last, reused when the next one has the same range
    int seenFrom = -1;
    int seenTo = -1;
    long seen = 0;
    while (a < end) {
      boolean accepted = false;
      for (int shift = 0; shift < SHIFTS && !accepted; shift++) {
        int c = cut(t, a, end, span - shift);
        long chunk = a == seenFrom && c == seenTo ? seen : chunk(t, a, c, s);
        if (before >= 0 && !seamHolds(before, first(chunk), s)) {
          continue;
        }
        if (c == end) {
          return total + countOf(chunk);
        }
        // Choose this cut only if the next chunk can join it; the join itself is checked above.
        int length = c - a;
        int d = cut(t, c, end, length);
        boolean repeats = d - c == length && t.regionMatches(c, t, a, length);
        long following = repeats ? chunk : chunk(t, c, d, s); // a flood repeats the chunk
        seenFrom = c;
        seenTo = d;
        seen = following;
        if (seamHolds(last(chunk), first(following), s)) {
          accepted = true;
          backStart = a;
          backTotal = total;
          backBefore = before;
          total += countOf(chunk);
          before = last(chunk);
          a += length;
          if (repeats) {
            // Every further copy joins the one before at the same seam. A flood that runs to the
            // end of the piece is checked in one comparison, else copy by copy.
            int copies = (end - a) / length;
            if (copies > 1 && t.regionMatches(a, t, a - length, copies * length)) {
              backStart = a + (copies - 1) * length;
              backTotal = total + (copies - 1) * countOf(chunk);
              total += copies * countOf(chunk);
              a += copies * length;
            } else {
              while (a + length <= end && t.regionMatches(a, t, a - length, length)) {
                backStart = a;
                backTotal = total;
                total += countOf(chunk);
                a += length;
              }
            }
          }
        }
      }
      if (accepted) {
        span = CHUNK;
      } else if (span == CHUNK && backStart >= 0) {
        // no cut here joins the last chunk: take it back and cut their union instead
        a = backStart;
        total = backTotal;
        before = backBefore;
        backStart = -1;
        span = 2 * CHUNK;
      } else {
        return mergeWhole(t, start, end, s);
      }
    }
    return total;
  }

  /** Cuts tried at one chunk before the whole piece is merged at once. */
  static final int SHIFTS = 8;

  /**
   * The end of a chunk of about {@code length} chars from {@code a}, not inside a surrogate pair.
   */
  private static int cut(String t, int a, int end, int length) {
    int c = Math.min(end, a + length);
    if (c < end && Character.isHighSurrogate(t.charAt(c - 1))) {
      c--;
    }
    return c;
  }

  /** The merge-only result of {@code t[a, c)}, packed as count, first and last token. */
  private long chunk(String t, int a, int c, BytePairEncoder.Scratch s) {
    if (c - a > PieceCache.MAX_CHARS) {
      int count = encoder.merge(s.bytes, 0, utf8(t, a, c, s), s);
      return pack(count, s.first, s.last);
    }
    int h = PieceCache.hash(t, a, c, true);
    PieceCache.Entry e = cache.get(t, a, c, h, true);
    if (e != null) {
      return pack(e.count, e.first, e.last);
    }
    int bytes = utf8(t, a, c, s);
    int count = encoder.merge(s.bytes, 0, bytes, s);
    cache.put(t, a, c, h, true, count, s.first, s.last);
    return pack(count, s.first, s.last);
  }

  // count (at most 6 * CHUNK bytes, fits 12 bits), first and last token (ranks below 2^26)
  private static long pack(int count, int first, int last) {
    return ((long) count << 52) | ((long) first << 26) | last;
  }

  private static int countOf(long chunk) {
    return (int) (chunk >>> 52);
  }

  private static int first(long chunk) {
    return (int) ((chunk >>> 26) & 0x3ffffff);
  }

  private static int last(long chunk) {
    return (int) (chunk & 0x3ffffff);
  }

  /** Whether tokens {@code left} and {@code right} are compatible, through a per-thread memo. */
  private boolean seamHolds(int left, int right, BytePairEncoder.Scratch s) {
    long key = ((long) left << 32) | right;
    int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 60);
    if (s.seamKeys[slot] == key) {
      return s.seamOk[slot];
    }
    boolean ok = encoder.compatible(left, right, s);
    s.seamKeys[slot] = key;
    s.seamOk[slot] = ok;
    return ok;
  }

  private boolean mayBeOneToken(String t, int start, int end) {
    return end - start <= encoder.vocabulary().maxLength()
        && utf8Length(t, start, end) <= encoder.vocabulary().maxLength();
  }

  private int mergeWhole(String t, int start, int end, BytePairEncoder.Scratch s) {
    int bytes = utf8(t, start, end, s);
    return encoder.merge(s.bytes, 0, bytes, s);
  }

  private static int utf8Length(String t, int start, int end) {
    int n = 0;
    for (int i = start; i < end; ) {
      int cp = PreTokenizer.codePoint(t, i, end);
      n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      i += PreTokenizer.width(cp);
    }
    return n;
  }

  /** Writes the UTF-8 of {@code t[start, end)} to {@code s.bytes}; returns its length. */
  private static int utf8(String t, int start, int end, BytePairEncoder.Scratch s) {
    byte[] b = s.bytes(3 * (end - start));
    int n = 0;
    for (int i = start; i < end; ) {
      int cp = PreTokenizer.codePoint(t, i, end);
      if (cp < 0x80) {
        b[n++] = (byte) cp;
        i++;
      } else if (cp < 0x800) {
        b[n++] = (byte) (0xc0 | (cp >> 6));
        b[n++] = (byte) (0x80 | (cp & 0x3f));
        i++;
      } else if (cp < 0x10000) {
        b[n++] = (byte) (0xe0 | (cp >> 12));
        b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        b[n++] = (byte) (0x80 | (cp & 0x3f));
        i++;
      } else {
        b[n++] = (byte) (0xf0 | (cp >> 18));
        b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        b[n++] = (byte) (0x80 | (cp & 0x3f));
        i += 2;
      }
    }
    return n;
  }
}
