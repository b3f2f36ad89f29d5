package dev.llmguard.detect.injection;

import dev.llmguard.detect.text.Evidence;
import dev.llmguard.detect.text.TextNormalizer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.ToDoubleFunction;

/**
 * Finds instructions hidden in encodings: base64 and hex runs, URL encoding, rot13 and reversed
 * text. Each candidate is decoded (at most {@code budget} per text, each payload at most {@value
 * #MAX_PAYLOAD} chars), must look like text, and is handed to the scanner; a payload that scores is
 * a signal in family {@code encoded}, spanning the encoded run (or the whole text for whole-text
 * encodings). Not thread-safe: one instance per scan.
 *
 * <p>Candidates are decoded into per-thread buffers and checked there (strict UTF-8, mostly
 * printable, some letters and a space) before any string is made, so the many runs that decode to
 * binary noise (hashes, keys, images) cost one pass over their chars and no allocation: every
 * candidate can be tried, and the work stays linear in the text length.
 */
final class Decoder {
  static final int MAX_PAYLOAD = 4096;
  private static final int MIN_BASE64 = 16;
  private static final int MIN_HEX = 20;
  private static final double PAYLOAD_MIN_SCORE = 0.3;

  /** Class bits of chars below 128. */
  private static final byte[] CLASS = new byte[128];

  private static final byte BASE64 = 1;
  private static final byte HEX = 2;
  private static final byte UPPER = 4;
  private static final byte LOWER = 8;

  /** A base64 char that is not a hex digit. */
  private static final byte NON_HEX = 16;

  /** Base64 value of chars below 128 (both alphabets: {@code +/} and {@code -_}), or -1. */
  private static final byte[] BASE64_VALUE = new byte[128];

  /** Hex value of chars below 128, or -1. */
  private static final byte[] HEX_VALUE = new byte[128];

  private static final int MAX_RETAINED = TextNormalizer.MAX_RETAINED_CHARS;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  static {
    java.util.Arrays.fill(BASE64_VALUE, (byte) -1);
    java.util.Arrays.fill(HEX_VALUE, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int v = 0; v < 64; v++) {
      char c = alphabet.charAt(v);
      BASE64_VALUE[c] = (byte) v;
      CLASS[c] |= BASE64;
      if (c >= 'A' && c <= 'Z') {
        CLASS[c] |= UPPER;
      } else if (c >= 'a' && c <= 'z') {
        CLASS[c] |= LOWER;
      }
    }
    BASE64_VALUE['-'] = 62;
    BASE64_VALUE['_'] = 63;
    CLASS['-'] |= BASE64;
    CLASS['_'] |= BASE64;
    String hex = "0123456789abcdef";
    for (int v = 0; v < 16; v++) {
      HEX_VALUE[hex.charAt(v)] = (byte) v;
      HEX_VALUE[Character.toUpperCase(hex.charAt(v))] = (byte) v;
      CLASS[hex.charAt(v)] |= HEX;
      CLASS[Character.toUpperCase(hex.charAt(v))] |= HEX;
    }
    for (int c = 0; c < 128; c++) {
      if ((CLASS[c] & BASE64) != 0 && (CLASS[c] & HEX) == 0) {
        CLASS[c] |= NON_HEX;
      }
    }
  }

  /** Reused per thread: decoded bytes and the chars they decode to. */
  static final class Scratch {
    byte[] bytes = new byte[256];
    char[] chars = new char[256];
    char[] text = new char[256];

    /** Replaces malformed input, as {@code new String(bytes, UTF_8)} does. */
    final CharsetDecoder lenient =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);

    /**
     * The first {@code len} bytes decoded as UTF-8 with malformed input replaced, into the chars
     * buffer (UTF-8 never gives more chars than bytes).
     */
    CharSequence lenientUtf8(byte[] in, int len) {
      char[] buf = chars(len);
      if (outBuffer == null || outBuffer.array() != buf) {
        outBuffer = CharBuffer.wrap(buf);
        viewBuffer = CharBuffer.wrap(buf);
      }
      if (inBuffer == null || inBuffer.array() != in) {
        inBuffer = ByteBuffer.wrap(in);
      }
      CharBuffer out = outBuffer;
      out.clear().limit(len);
      inBuffer.clear().limit(len);
      lenient.reset();
      lenient.decode(inBuffer, out, true);
      lenient.flush(out);
      viewBuffer.clear().limit(out.position());
      return viewBuffer;
    }

    /** Wrappers of the buffers above, reused while the arrays stay the same. */
    private CharBuffer outBuffer;

    private CharBuffer viewBuffer;
    private ByteBuffer inBuffer;

    /**
     * The chars of {@code s} in an array (arrays read faster than strings): a reused one, or for a
     * text beyond {@link TextNormalizer#MAX_RETAINED_CHARS} one of its own.
     */
    char[] text(String s) {
      int n = s.length();
      char[] out = text;
      if (out.length < n) {
        out = new char[n > MAX_RETAINED ? n : Math.max(n, Math.min(MAX_RETAINED, out.length * 2))];
        if (n <= MAX_RETAINED) {
          text = out;
        }
      }
      s.getChars(0, n, out, 0);
      return out;
    }

    byte[] bytes(int capacity) {
      if (bytes.length < capacity) {
        bytes = new byte[Math.max(capacity, bytes.length * 2)];
      }
      return bytes;
    }

    char[] chars(int capacity) {
      if (chars.length < capacity) {
        chars = new char[Math.max(capacity, chars.length * 2)];
      }
      return chars;
    }
  }

  private final ToDoubleFunction<CharSequence> scanner;
  private final Scratch scratch = SCRATCH.get();
  private int budget;

  Decoder(int budget, ToDoubleFunction<CharSequence> scanner) {
    this.budget = budget;
    this.scanner = scanner;
  }

  /**
   * Decodes what looks encoded in {@code text}; {@code rot13Cue} and {@code reversedCue} say
   * whether the folded text held rot13 or reversed forms of words that matter (ignore,
   * instructions, prompt …), found by the phrase matcher.
   */
  void scan(String text, Evidence ev, boolean rot13Cue, boolean reversedCue) {
    scan(text, chars(text), ev, rot13Cue, reversedCue);
  }

  /**
   * The chars of {@code text} in this thread's reused array (or, beyond {@link
   * TextNormalizer#MAX_RETAINED_CHARS}, an array of its own): valid until the next call on this
   * thread; decoding never writes to it.
   */
  char[] chars(String text) {
    return scratch.text(text);
  }

  /**
   * As {@link #scan(String, Evidence, boolean, boolean)}, with {@code chars} from {@link #chars}.
   */
  void scan(String text, char[] chars, Evidence ev, boolean rot13Cue, boolean reversedCue) {
    base64AndHex(chars, text.length(), ev);
    if (budget > 0 && countPercentEscapes(text) >= 6) {
      payload("url-encoded", urlDecode(text), 0, text.length(), ev);
    }
    if (budget > 0 && rot13Cue) {
      payload("rot13", rot13(text), 0, text.length(), ev);
    }
    if (budget > 0 && reversedCue) {
      String tail =
          text.length() > MAX_PAYLOAD ? text.substring(text.length() - MAX_PAYLOAD) : text;
      // StringBuilder.reverse keeps surrogate pairs in order.
      payload("reversed", new StringBuilder(tail).reverse(), 0, text.length(), ev);
    }
  }

  /**
   * Scans {@code decoded} (often a view of the scratch buffer: consumed before the next decode)
   * when the budget allows.
   */
  private void payload(String kind, CharSequence decoded, int start, int end, Evidence ev) {
    if (budget <= 0 || decoded == null) {
      return;
    }
    budget--;
    if (decoded.length() > MAX_PAYLOAD) {
      decoded = decoded.subSequence(0, MAX_PAYLOAD);
    }
    double s = scanner.applyAsDouble(decoded);
    if (s >= PAYLOAD_MIN_SCORE) {
      ev.add(signalName(kind), "encoded", Math.max(0.7, s), start, end);
    }
  }

  /** {@code kind + "-payload"}, a constant for the kinds decoded here. */
  private static String signalName(String kind) {
    return switch (kind) {
      case "url-encoded" -> "url-encoded-payload";
      case "rot13" -> "rot13-payload";
      case "reversed" -> "reversed-payload";
      case "hex" -> "hex-payload";
      case "base64" -> "base64-payload";
      default -> kind + "-payload";
    };
  }

  private static int classOf(char c) {
    return c < 128 ? CLASS[c] : 0;
  }

  private void base64AndHex(char[] text, int n, Evidence ev) {
    if (!mayHoldSpacedHex(text, n)) {
      longRuns(text, n, ev);
      return;
    }
    int i = 0;
    // Runs of exactly two hex digits, each starting 3 chars after the one before: spaced hex bytes
    // ("69 67 6e") are such a chain, so without a chain of SPACED_HEX_MIN there are none to decode.
    int chain = 0;
    int longestChain = 0;
    int lastPair = -10;
    while (i < n && budget > 0) {
      char c = text[i];
      if ((classOf(c) & BASE64) == 0) {
        i++;
        continue;
      }
      int s = i;
      int seen = 0;
      int cls;
      while (i < n && ((cls = classOf(text[i])) & BASE64) != 0) {
        seen |= cls;
        i++;
      }
      int e = i;
      while (i < n && text[i] == '=' && i - e < 2) {
        i++;
      }
      int len = e - s;
      boolean nonHex = (seen & NON_HEX) != 0;
      if (len == 2 && !nonHex) {
        chain = s - lastPair == 3 ? chain + 1 : 1;
        lastPair = s;
        longestChain = Math.max(longestChain, chain);
      }
      if (!nonHex && len >= MIN_HEX && len % 2 == 0) {
        payload("hex", hexDecode(text, s, Math.min(e, s + MAX_PAYLOAD * 2)), s, e, ev);
      } else if (len >= MIN_BASE64 && (seen & UPPER) != 0 && (seen & LOWER) != 0) {
        payload("base64", base64Decode(text, s, Math.min(e, s + MAX_PAYLOAD * 4 / 3)), s, i, ev);
      }
    }
    // Space-separated hex bytes: "69 67 6e 6f 72 65".
    if (budget > 0 && longestChain >= SPACED_HEX_MIN) {
      spacedHex(text, n, ev);
    }
  }

  /**
   * What {@link #base64AndHex} does when {@link #mayHoldSpacedHex} is false: only runs of at least
   * {@value #MIN_BASE64} base64 chars can decode then, so only they are looked at. A run that long
   * covers the char {@value #MIN_BASE64} - 1 after wherever the search stands; when that char is
   * not a base64 char, no such run starts before it and the search jumps past it. Prose is mostly
   * short words: most of its chars are never read.
   */
  private void longRuns(char[] text, int n, Evidence ev) {
    // i: where a run may start (i == 0, or text[i - 1] is not a base64 char).
    int i = 0;
    while (budget > 0) {
      int p = i + MIN_BASE64 - 1;
      if (p >= n) {
        return;
      }
      if ((classOf(text[p]) & BASE64) == 0) {
        i = p + 1;
        continue;
      }
      int s = p;
      while (s > i && (classOf(text[s - 1]) & BASE64) != 0) {
        s--;
      }
      int e = p + 1;
      while (e < n && (classOf(text[e]) & BASE64) != 0) {
        e++;
      }
      i = e - s < MIN_BASE64 ? e : decodeRun(text, n, s, e, ev);
    }
  }

  /**
   * Decodes the base64 run {@code text[s, e)} of at least {@value #MIN_BASE64} chars as {@link
   * #base64AndHex} does; returns the index after its padding.
   */
  private int decodeRun(char[] text, int n, int s, int e, Evidence ev) {
    int seen = 0;
    for (int k = s; k < e; k++) {
      seen |= classOf(text[k]);
    }
    int i = e;
    while (i < n && text[i] == '=' && i - e < 2) {
      i++;
    }
    int len = e - s;
    if ((seen & NON_HEX) == 0 && len >= MIN_HEX && len % 2 == 0) {
      payload("hex", hexDecode(text, s, Math.min(e, s + MAX_PAYLOAD * 2)), s, e, ev);
    } else if ((seen & UPPER) != 0 && (seen & LOWER) != 0) {
      payload("base64", base64Decode(text, s, Math.min(e, s + MAX_PAYLOAD * 4 / 3)), s, i, ev);
    }
    return i;
  }

  /**
   * Whether {@code text} may hold {@value #SPACED_HEX_MIN} space-separated hex bytes ({@code "69 67
   * 6e …"}), the only thing besides long runs that {@link #base64AndHex} decodes. Such a stretch is
   * {@code 3 * SPACED_HEX_MIN - 1} chars long, so it covers a multiple of that length, and around
   * every char of it three hex bytes in a row start at most 7 chars before: only those chars are
   * probed. (Two in a row would do, but "…ed af…" is common in prose.)
   */
  static boolean mayHoldSpacedHex(char[] text, int n) {
    int stride = 3 * SPACED_HEX_MIN - 1;
    for (int c = 0; c < n; c += stride) {
      // Any three chars in a row of "hh hh hh" are one space and two hex digits, and wherever it
      // starts (7 to 0 chars before c) it holds text[c, c + 3) or text[c - 2, c + 1): prose,
      // which seldom has either, is let go after five table reads and one branch.
      if (!spaceAndTwoHex(text, n, c) && !spaceAndTwoHex(text, n, c - 2)) {
        continue;
      }
      for (int j = Math.max(0, c - 7); j <= c && j + 7 < n; j++) {
        if (text[j + 2] == ' '
            && text[j + 5] == ' '
            && isHex(text[j + 3])
            && isHex(text[j + 4])
            && isHex(text[j])
            && isHex(text[j + 1])
            && isHex(text[j + 6])
            && isHex(text[j + 7])) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether {@code text[i, i + 3)} lies in {@code text[0, n)} and is a space and two hex digits.
   */
  private static boolean spaceAndTwoHex(char[] text, int n, int i) {
    return i >= 0
        && i + 2 < n
        && HEX_OR_SPACE[Math.min(text[i], 128)]
                + HEX_OR_SPACE[Math.min(text[i + 1], 128)]
                + HEX_OR_SPACE[Math.min(text[i + 2], 128)]
            == 2 * HEX_WEIGHT + SPACE_WEIGHT;
  }

  private static final int HEX_WEIGHT = 1;
  private static final int SPACE_WEIGHT = 4;

  /**
   * Per char below 128 (and 128 for all others): {@value #HEX_WEIGHT} for a hex digit, {@value
   * #SPACE_WEIGHT} for a space, 16 for anything else, so that three sum to {@code 2 * HEX_WEIGHT +
   * SPACE_WEIGHT} only for one space and two hex digits.
   */
  private static final byte[] HEX_OR_SPACE = new byte[129];

  static {
    java.util.Arrays.fill(HEX_OR_SPACE, (byte) 16);
    HEX_OR_SPACE[' '] = SPACE_WEIGHT;
    for (char c : "0123456789abcdefABCDEF".toCharArray()) {
      HEX_OR_SPACE[c] = HEX_WEIGHT;
    }
  }

  private void spacedHex(char[] text, int n, Evidence ev) {
    int i = 0;
    while (i + 1 < n && budget > 0) {
      // Only where a word starts, count "xx " pairs first; decode only for 8 or more.
      if (i > 0 && text[i - 1] != ' ' || !isHex(text[i])) {
        i++;
        continue;
      }
      int k = i;
      int pairs = 0;
      while (k + 1 < n
          && isHex(text[k])
          && isHex(text[k + 1])
          && (k + 2 >= n || text[k + 2] == ' ')) {
        pairs++;
        k += 3;
      }
      if (pairs >= SPACED_HEX_MIN) {
        int count = Math.min(pairs, MAX_PAYLOAD);
        byte[] b = scratch.bytes(count);
        for (int p = 0; p < count; p++) {
          b[p] = hexByte(text[i + 3 * p], text[i + 3 * p + 1]);
        }
        payload("hex", asText(b, count), i, Math.min(n, k), ev);
      }
      i = Math.max(i + 1, k);
    }
  }

  /** Fewest space-separated hex bytes that are decoded. */
  static final int SPACED_HEX_MIN = 8;

  private static boolean isHex(char c) {
    return (classOf(c) & HEX) != 0;
  }

  private static byte hexByte(char high, char low) {
    return (byte) (HEX_VALUE[high] * 16 + HEX_VALUE[low]);
  }

  /**
   * Decodes the base64 run {@code s[from, to)} (standard or URL-safe alphabet, padding optional, a
   * dangling last char ignored) as text, or null when it is not text.
   */
  CharSequence base64Decode(char[] s, int from, int to) {
    int len = to - from;
    if (len % 4 == 1) {
      len--;
    }
    byte[] b = scratch.bytes(len / 4 * 3 + 2);
    int out = 0;
    int at = from;
    int end = from + len;
    for (; at + 4 <= end; at += 4) {
      int bits =
          BASE64_VALUE[s[at]] << 18
              | BASE64_VALUE[s[at + 1]] << 12
              | BASE64_VALUE[s[at + 2]] << 6
              | BASE64_VALUE[s[at + 3]];
      b[out++] = (byte) (bits >> 16);
      b[out++] = (byte) (bits >> 8);
      b[out++] = (byte) bits;
    }
    int rest = end - at;
    if (rest >= 2) {
      int bits = BASE64_VALUE[s[at]] << 18 | BASE64_VALUE[s[at + 1]] << 12;
      if (rest == 3) {
        bits |= BASE64_VALUE[s[at + 2]] << 6;
      }
      b[out++] = (byte) (bits >> 16);
      if (rest == 3) {
        b[out++] = (byte) (bits >> 8);
      }
    }
    return asText(b, out);
  }

  /** Decodes the hex run {@code s[from, to)} (even length) as text, or null. */
  CharSequence hexDecode(char[] s, int from, int to) {
    int count = (to - from) / 2;
    byte[] b = scratch.bytes(count);
    for (int k = 0; k < count; k++) {
      b[k] = hexByte(s[from + 2 * k], s[from + 2 * k + 1]);
    }
    return asText(b, count);
  }

  /**
   * The first {@code len} bytes as strict UTF-8 that is mostly printable with some letters and
   * spaces, else null. Decodes and checks in the scratch buffer and returns a view of it, valid
   * until the next decode on this thread.
   */
  CharSequence asText(byte[] bytes, int len) {
    char[] out = scratch.chars(len);
    int n = 0;
    int printable = 0;
    int letters = 0;
    int spaces = 0;
    int i = 0;
    while (i < len) {
      int b0 = bytes[i] & 0xFF;
      int cp;
      if (b0 < 0x80) {
        cp = b0;
        i++;
      } else if (b0 >= 0xC2 && b0 <= 0xDF) {
        if (i + 1 >= len || !isContinuation(bytes[i + 1])) {
          return null;
        }
        cp = (b0 & 0x1F) << 6 | bytes[i + 1] & 0x3F;
        i += 2;
      } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (i + 2 >= len || !isContinuation(bytes[i + 1]) || !isContinuation(bytes[i + 2])) {
          return null;
        }
        int b1 = bytes[i + 1] & 0xFF;
        if (b0 == 0xE0 && b1 < 0xA0 || b0 == 0xED && b1 > 0x9F) {
          return null; // overlong, or a surrogate
        }
        cp = (b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | bytes[i + 2] & 0x3F;
        i += 3;
      } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (i + 3 >= len
            || !isContinuation(bytes[i + 1])
            || !isContinuation(bytes[i + 2])
            || !isContinuation(bytes[i + 3])) {
          return null;
        }
        int b1 = bytes[i + 1] & 0xFF;
        if (b0 == 0xF0 && b1 < 0x90 || b0 == 0xF4 && b1 > 0x8F) {
          return null; // overlong, or beyond U+10FFFF
        }
        cp =
            (b0 & 0x07) << 18
                | (b1 & 0x3F) << 12
                | (bytes[i + 2] & 0x3F) << 6
                | bytes[i + 3] & 0x3F;
        i += 4;
      } else {
        return null;
      }
      if (cp >= 0x10000) {
        // A surrogate pair: neither half is a letter, both are printable.
        out[n++] = Character.highSurrogate(cp);
        out[n++] = Character.lowSurrogate(cp);
        printable += 2;
        continue;
      }
      char c = (char) cp;
      out[n++] = c;
      if (c == ' ') {
        spaces++;
      }
      if (Character.isLetter(c)) {
        letters++;
      }
      if (!Character.isISOControl(c) || c == '\n' || c == '\t') {
        printable++;
      }
    }
    return n > 0 && printable >= 0.9 * n && letters >= 4 && spaces >= 1
        ? CharBuffer.wrap(out, 0, n)
        : null;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static int countPercentEscapes(String text) {
    int count = 0;
    for (int i = text.indexOf('%'); i >= 0 && i + 2 < text.length(); i = text.indexOf('%', i + 1)) {
      if (isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
        count++;
      }
    }
    return count;
  }

  /**
   * Percent escapes and {@code +} decoded, other chars as their UTF-8 bytes (a lone surrogate as
   * {@code ?}), the bytes read as UTF-8 with malformed input replaced; returned as a view of the
   * scratch buffer, valid until the next decode on this thread.
   */
  CharSequence urlDecode(String text) {
    int n = Math.min(text.length(), MAX_PAYLOAD * 3);
    byte[] out = scratch.bytes(n * 3);
    int len = 0;
    int high = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < n && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
        byte b = hexByte(text.charAt(i + 1), text.charAt(i + 2));
        high |= b & 0x80;
        out[len++] = b;
        i += 2;
      } else if (c == '+') {
        out[len++] = ' ';
      } else if (c < 0x80) {
        out[len++] = (byte) c;
      } else if (c < 0x800) {
        high = 0x80;
        out[len++] = (byte) (0xC0 | c >> 6);
        out[len++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isSurrogate(c)) {
        out[len++] = '?';
      } else {
        high = 0x80;
        out[len++] = (byte) (0xE0 | c >> 12);
        out[len++] = (byte) (0x80 | c >> 6 & 0x3F);
        out[len++] = (byte) (0x80 | c & 0x3F);
      }
    }
    char[] chars = scratch.chars(len);
    if (high != 0) {
      return scratch.lenientUtf8(out, len);
    }
    for (int i = 0; i < len; i++) {
      chars[i] = (char) out[i];
    }
    return CharBuffer.wrap(chars, 0, len);
  }

  /**
   * The first {@value #MAX_PAYLOAD} chars with ASCII letters rotated by 13, in the scratch buffer.
   */
  CharSequence rot13(String text) {
    int n = Math.min(text.length(), MAX_PAYLOAD);
    char[] out = scratch.chars(n);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 'a' && c <= 'z') {
        c = (char) ('a' + (c - 'a' + 13) % 26);
      } else if (c >= 'A' && c <= 'Z') {
        c = (char) ('A' + (c - 'A' + 13) % 26);
      }
      out[i] = c;
    }
    return CharBuffer.wrap(out, 0, n);
  }
}
