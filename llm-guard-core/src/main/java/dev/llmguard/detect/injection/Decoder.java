package dev.llmguard.detect.injection;

import dev.llmguard.detect.text.Evidence;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.ToDoubleFunction;

/**
 * Finds instructions hidden in encodings: base64 and hex runs, URL encoding, rot13 and reversed
 * text. Each candidate is decoded (at most {@code budget} per text, each payload at most {@value
 * #MAX_PAYLOAD} chars), must look like text, and is handed to the scanner; a payload that scores is
 * a signal in family {@code encoded}, spanning the encoded run (or the whole text for whole-text
 * encodings). Not thread-safe: one instance per scan.
 */
final class Decoder {
  static final int MAX_PAYLOAD = 4096;
  private static final int MIN_BASE64 = 16;
  private static final int MIN_HEX = 20;
  private static final double PAYLOAD_MIN_SCORE = 0.3;

  private final ToDoubleFunction<String> scanner;
  private int budget;

  Decoder(int budget, ToDoubleFunction<String> scanner) {
    this.budget = budget;
    this.scanner = scanner;
  }

  /**
   * Decodes what looks encoded in {@code text}; {@code rot13Cue} and {@code reversedCue} say
   * whether the folded text held rot13 or reversed forms of words that matter (ignore,
   * instructions, prompt …), found by the phrase matcher.
   */
  void scan(String text, Evidence ev, boolean rot13Cue, boolean reversedCue) {
    base64AndHex(text, ev);
    if (budget > 0 && countPercentEscapes(text) >= 6) {
      payload("url-encoded", urlDecode(text), 0, text.length(), ev);
    }
    if (budget > 0 && rot13Cue) {
      payload("rot13", rot13(text), 0, text.length(), ev);
    }
    if (budget > 0 && reversedCue) {
      String tail =
          text.length() > MAX_PAYLOAD ? text.substring(text.length() - MAX_PAYLOAD) : text;
      payload("reversed", new StringBuilder(tail).reverse().toString(), 0, text.length(), ev);
    }
  }

  private void payload(String kind, String decoded, int start, int end, Evidence ev) {
    if (budget <= 0 || decoded == null) {
      return;
    }
    budget--;
    if (decoded.length() > MAX_PAYLOAD) {
      decoded = decoded.substring(0, MAX_PAYLOAD);
    }
    double s = scanner.applyAsDouble(decoded);
    if (s >= PAYLOAD_MIN_SCORE) {
      ev.add(kind + "-payload", "encoded", Math.max(0.7, s), start, end);
    }
  }

  private void base64AndHex(String text, Evidence ev) {
    int n = text.length();
    int i = 0;
    while (i < n && budget > 0) {
      char c = text.charAt(i);
      if (!isBase64(c)) {
        i++;
        continue;
      }
      int s = i;
      boolean upper = false;
      boolean lower = false;
      boolean nonHex = false;
      while (i < n && isBase64(text.charAt(i))) {
        char d = text.charAt(i);
        upper |= d >= 'A' && d <= 'Z';
        lower |= d >= 'a' && d <= 'z';
        nonHex |= !isHex(d);
        i++;
      }
      int e = i;
      while (i < n && text.charAt(i) == '=' && i - e < 2) {
        i++;
      }
      int len = e - s;
      if (!nonHex && len >= MIN_HEX && len % 2 == 0) {
        payload("hex", hexDecode(text, s, Math.min(e, s + MAX_PAYLOAD * 2)), s, e, ev);
      } else if (len >= MIN_BASE64 && upper && lower) {
        payload(
            "base64",
            base64Decode(text.substring(s, Math.min(e, s + MAX_PAYLOAD * 4 / 3))),
            s,
            i,
            ev);
      }
    }
    // Space-separated hex bytes: "69 67 6e 6f 72 65".
    if (budget > 0) {
      spacedHex(text, ev);
    }
  }

  private void spacedHex(String text, Evidence ev) {
    int n = text.length();
    int i = 0;
    while (i + 1 < n && budget > 0) {
      // Only where a word starts, count "xx " pairs first; build a payload only for 8 or more.
      if (i > 0 && text.charAt(i - 1) != ' ' || !isHex(text.charAt(i))) {
        i++;
        continue;
      }
      int k = i;
      int pairs = 0;
      while (k + 1 < n
          && isHex(text.charAt(k))
          && isHex(text.charAt(k + 1))
          && (k + 2 >= n || text.charAt(k + 2) == ' ')) {
        pairs++;
        k += 3;
      }
      if (pairs >= 8) {
        StringBuilder hex = new StringBuilder(Math.min(pairs, MAX_PAYLOAD) * 2);
        for (int p = i; p < k && hex.length() < MAX_PAYLOAD * 2; p += 3) {
          hex.append(text, p, p + 2);
        }
        payload("hex", hexDecode(hex, 0, hex.length()), i, Math.min(n, k), ev);
      }
      i = Math.max(i + 1, k);
    }
  }

  private static boolean isBase64(char c) {
    return c >= 'A' && c <= 'Z'
        || c >= 'a' && c <= 'z'
        || c >= '0' && c <= '9'
        || c == '+'
        || c == '/'
        || c == '-'
        || c == '_';
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  static String base64Decode(String run) {
    String s = run.replace('-', '+').replace('_', '/');
    int pad = (4 - s.length() % 4) % 4;
    if (pad == 3) {
      s = s.substring(0, s.length() - 1);
      pad = 0;
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(s + "=".repeat(pad));
      return asText(bytes);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String hexDecode(CharSequence s, int from, int to) {
    byte[] b = new byte[(to - from) / 2];
    for (int k = 0; k < b.length; k++) {
      b[k] =
          (byte)
              (Character.digit(s.charAt(from + 2 * k), 16) * 16
                  + Character.digit(s.charAt(from + 2 * k + 1), 16));
    }
    return asText(b);
  }

  /** Strict UTF-8 that is mostly printable with some letters and spaces, else null. */
  static String asText(byte[] bytes) {
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    int printable = 0;
    int letters = 0;
    int spaces = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
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
    return s.length() > 0 && printable >= 0.9 * s.length() && letters >= 4 && spaces >= 1
        ? s
        : null;
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

  static String urlDecode(String text) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
    int n = Math.min(text.length(), MAX_PAYLOAD * 3);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < n && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
        out.write(
            Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
        i += 2;
      } else if (c == '+') {
        out.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  static String rot13(String text) {
    int n = Math.min(text.length(), MAX_PAYLOAD);
    char[] out = new char[n];
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 'a' && c <= 'z') {
        c = (char) ('a' + (c - 'a' + 13) % 26);
      } else if (c >= 'A' && c <= 'Z') {
        c = (char) ('A' + (c - 'A' + 13) % 26);
      }
      out[i] = c;
    }
    return new String(out);
  }
}
