package dev.llmguard.detect.secrets;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One credential format: literal anchors, one of which must occur before the (bounded) pattern
 * runs, next to it, the pattern whose group 1 (or whole match) is the secret, and a check that
 * turns a match into a score or rejects it.
 *
 * @param format the format's name, reported as metadata {@code format}
 * @param entity the redaction label
 * @param description the finding message (never the secret itself)
 * @param anchors case-sensitive literals, one of which the token must contain
 * @param pattern precompiled, bounded quantifiers only
 * @param score score of a match that passes the check
 * @param check extra validation; returns a score factor in (0, 1], or 0 to reject
 * @param minBefore how many chars before an anchor a match starts at least
 * @param maxBefore how many chars before an anchor a match may start: 0 for a format that starts
 *     with its anchor (a vendor prefix), more for one whose anchor is inside it ({@code ://})
 * @param before the ASCII chars that may occur between a match's start and its anchor (null when
 *     {@code maxBefore} is 0)
 * @param body for a format whose anchor is followed by a long run of one char class and then by
 *     something outside it (a JWT's header, then {@code .}): that class, else null. A failed match
 *     then also rules out every later anchor inside the same run, which keeps a flood of anchors
 *     ({@code -eyJ-eyJ…}) linear.
 * @param maxBody the longest run the pattern accepts there
 */
record SecretRule(
    String format,
    String entity,
    String description,
    String[] anchors,
    Pattern pattern,
    double score,
    Check check,
    int minBefore,
    int maxBefore,
    boolean[] before,
    boolean[] body,
    int maxBody) {

  /** This rule with a body class as described in the record's documentation. */
  SecretRule withBody(String set, int longest) {
    return new SecretRule(
        format,
        entity,
        description,
        anchors,
        pattern,
        score,
        check,
        minBefore,
        maxBefore,
        before,
        charSet(set),
        longest);
  }

  static boolean[] charSet(String set) {
    boolean[] allowed = new boolean[128];
    for (int i = 0; i < set.length(); i++) {
      allowed[set.charAt(i)] = true;
    }
    return allowed;
  }

  /**
   * This rule with its anchor up to {@code chars} chars into a match, after chars of {@code set}.
   */
  SecretRule withPrefix(int least, int chars, String set) {
    return new SecretRule(
        format,
        entity,
        description,
        anchors,
        pattern,
        score,
        check,
        least,
        chars,
        charSet(set),
        body,
        maxBody);
  }

  /** Validation of a matched value beyond the pattern. */
  @FunctionalInterface
  interface Check {
    /** A factor in (0, 1] that scales the rule's score, or 0 to drop the match. */
    double factor(String value);

    Check NONE = v -> SecretText.isMasked(v) ? 0 : 1;
  }

  int group(Matcher m) {
    return m.groupCount() >= 1 && m.group(1) != null ? 1 : 0;
  }
}
