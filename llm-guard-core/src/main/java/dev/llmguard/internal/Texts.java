package dev.llmguard.internal;

/** Small string helpers shared by the engine. */
public final class Texts {
  private Texts() {}

  /**
   * {@code text} with every unpaired UTF-16 surrogate replaced by U+FFFD (JSON-safe, same length).
   */
  public static String replaceUnpairedSurrogates(String text) {
    char[] out = null;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
      } else if (!Character.isLowSurrogate(c)) {
        continue;
      }
      if (out == null) {
        out = text.toCharArray();
      }
      out[i] = '\uFFFD';
    }
    return out == null ? text : new String(out);
  }
}
