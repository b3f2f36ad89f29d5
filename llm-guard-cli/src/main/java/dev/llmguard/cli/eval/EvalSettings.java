package dev.llmguard.cli.eval;

import java.util.List;

/**
 * Settings of one {@code eval} run.
 *
 * @param threshold a finding triggers when its score is at least this
 * @param errors whether to list the texts the detectors got wrong
 * @param errorLimit the most wrong texts listed per kind
 * @param width characters of each listed text
 * @param warmups passes over the data before the timed one
 * @param piiTypes the Presidio entity types scored for the pii format
 */
public record EvalSettings(
    double threshold,
    boolean errors,
    int errorLimit,
    int width,
    int warmups,
    List<String> piiTypes) {

  /** The entity types the built-in {@code pii} detector covers, in Presidio's names. */
  public static final List<String> DEFAULT_PII_TYPES =
      List.of("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS");

  public EvalSettings {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be between 0 and 1 but was " + threshold);
    }
    piiTypes = List.copyOf(piiTypes);
  }
}
