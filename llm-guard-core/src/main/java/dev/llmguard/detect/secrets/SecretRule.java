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
 * @param maxBefore how many chars before an anchor a match may start: 0 for a format that starts
 *     with its anchor (a vendor prefix), more for one whose anchor is inside it ({@code ://})
 */
record SecretRule(
    String format,
    String entity,
    String description,
    String[] anchors,
    Pattern pattern,
    double score,
    Check check,
    int maxBefore) {

  SecretRule withMaxBefore(int chars) {
    return new SecretRule(format, entity, description, anchors, pattern, score, check, chars);
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
