package dev.llmguard.detect.secrets;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One credential format: literal anchors that must occur in a token before the (bounded) pattern
 * runs, the pattern whose group 1 (or whole match) is the secret, and a check that turns a match
 * into a score or rejects it.
 *
 * @param format the format's name, reported as metadata {@code format}
 * @param entity the redaction label
 * @param description the finding message (never the secret itself)
 * @param anchors case-sensitive literals, one of which the token must contain
 * @param pattern precompiled, bounded quantifiers only
 * @param score score of a match that passes the check
 * @param check extra validation; returns a score factor in (0, 1], or 0 to reject
 */
record SecretRule(
    String format,
    String entity,
    String description,
    String[] anchors,
    Pattern pattern,
    double score,
    Check check) {

  /** Validation of a matched value beyond the pattern. */
  @FunctionalInterface
  interface Check {
    /** A factor in (0, 1] that scales the rule's score, or 0 to drop the match. */
    double factor(String value);

    Check NONE = v -> SecretText.isMasked(v) ? 0 : 1;
  }

  /**
   * Whether {@code token} contains one of the anchors. {@code firstChars} marks the ASCII chars
   * present in the token, so most rules are ruled out without searching it.
   */
  boolean applies(String token, boolean[] firstChars) {
    for (String a : anchors) {
      char c = a.charAt(0);
      if ((c >= 128 || firstChars[c]) && token.contains(a)) {
        return true;
      }
    }
    return false;
  }

  int group(Matcher m) {
    return m.groupCount() >= 1 && m.group(1) != null ? 1 : 0;
  }
}
