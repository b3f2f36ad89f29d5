package dev.llmguard.detect.pii;

import dev.llmguard.GuardConfigurationException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/** The kinds of personal data the {@code pii} detector finds; the names are redaction labels. */
public enum PiiEntity {
  EMAIL("e-mail address", 0.9),
  PHONE_NUMBER("phone number", 0.8),
  CREDIT_CARD("payment card number", 0.95),
  IBAN_CODE("IBAN", 0.95),
  US_SSN("US social security number", 0.85),
  IP_ADDRESS("IP address", 0.6);

  private final String label;
  private final double baseScore;

  PiiEntity(String label, double baseScore) {
    this.label = label;
    this.baseScore = baseScore;
  }

  /** A short human name, used in finding messages. */
  public String label() {
    return label;
  }

  double baseScore() {
    return baseScore;
  }

  /**
   * Parses a comma-separated selection such as {@code EMAIL,PHONE_NUMBER}; empty means all.
   *
   * @throws GuardConfigurationException naming {@code key} and the accepted values for an unknown
   *     name
   */
  static EnumSet<PiiEntity> parse(List<String> names, String key) {
    if (names.isEmpty()) {
      return EnumSet.allOf(PiiEntity.class);
    }
    EnumSet<PiiEntity> out = EnumSet.noneOf(PiiEntity.class);
    for (String n : names) {
      String k = n.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      if (k.equals("EMAIL_ADDRESS")) {
        k = "EMAIL";
      }
      try {
        out.add(PiiEntity.valueOf(k));
      } catch (IllegalArgumentException e) {
        throw new GuardConfigurationException(
            "Unknown entity '"
                + n
                + "' for "
                + key
                + ": expected some of "
                + java.util.Arrays.toString(values()));
      }
    }
    return out;
  }
}
