package dev.llmguard.detect.custom;

import dev.llmguard.GuardConfigurationException;
import java.util.Locale;

/** Whether a banned substring must stand as a whole word or may occur inside one. */
public enum MatchMode {
  /** Not preceded or followed by a letter, digit or underscore. */
  WORD,
  /** Anywhere. */
  SUBSTRING;

  static MatchMode parse(String value, String key) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "word":
        return WORD;
      case "substring":
        return SUBSTRING;
      default:
        throw new GuardConfigurationException(
            "Invalid value '" + value + "' for " + key + ": expected word or substring");
    }
  }

  /** Whether {@code [s, e)} of {@code t} satisfies this mode. */
  boolean accepts(CharSequence t, int s, int e) {
    if (this == SUBSTRING) {
      return true;
    }
    return (s == 0 || !isWordChar(t.charAt(s - 1), t.charAt(s)))
        && (e >= t.length() || !isWordChar(t.charAt(e), t.charAt(e - 1)));
  }

  /** {@code c} glues to its neighbour {@code inside} only if both are word chars. */
  private static boolean isWordChar(char c, char inside) {
    return isWord(c) && isWord(inside);
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
