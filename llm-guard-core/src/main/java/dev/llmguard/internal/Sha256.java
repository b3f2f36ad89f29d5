package dev.llmguard.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a text's UTF-8 bytes, with unpaired surrogates read as U+FFFD (the bytes {@code
 * Texts.replaceUnpairedSurrogates(text).getBytes(UTF_8)} would give), without making those bytes:
 * the text is encoded in 4 KB chunks into a per-thread buffer and fed to a per-thread digest.
 * Thread-safe.
 */
final class Sha256 {
  private static final int CHUNK = 4096;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static final ThreadLocal<Sha256> LOCAL = ThreadLocal.withInitial(Sha256::new);

  private final MessageDigest digest;
  private final byte[] buffer = new byte[CHUNK + 4];

  private Sha256() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Lower-case hex of the digest. */
  static String hex(String text) {
    return LOCAL.get().run(text);
  }

  private String run(String text) {
    digest.reset();
    byte[] b = buffer;
    int n = 0;
    int len = text.length();
    for (int i = 0; i < len; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        b[n++] = (byte) c;
      } else if (c < 0x800) {
        b[n++] = (byte) (0xC0 | c >> 6);
        b[n++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(++i));
        b[n++] = (byte) (0xF0 | cp >> 18);
        b[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
        b[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
        b[n++] = (byte) (0x80 | cp & 0x3F);
      } else {
        int v = Character.isSurrogate(c) ? 0xFFFD : c;
        b[n++] = (byte) (0xE0 | v >> 12);
        b[n++] = (byte) (0x80 | v >> 6 & 0x3F);
        b[n++] = (byte) (0x80 | v & 0x3F);
      }
      if (n >= CHUNK) {
        digest.update(b, 0, n);
        n = 0;
      }
    }
    digest.update(b, 0, n);
    byte[] d = digest.digest();
    char[] out = new char[d.length * 2];
    for (int i = 0; i < d.length; i++) {
      out[2 * i] = HEX[(d[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[d[i] & 0xF];
    }
    return new String(out);
  }
}
