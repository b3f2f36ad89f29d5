package dev.llmguard.detect.secrets;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates the {@code secrets} detector. Settings (prefix {@code llmguard.detector.secrets.}):
 *
 * <ul>
 *   <li>{@code disabled-formats} — comma-separated format names to switch off; default none.
 *   <li>{@code generic} — also report generic {@code name = value} credential assignments; default
 *       {@value #DEFAULT_GENERIC}.
 *   <li>{@code min-entropy} — Shannon entropy, in bits per char, a generic value needs; default
 *       {@value #DEFAULT_MIN_ENTROPY}.
 * </ul>
 */
public final class SecretsDetectorProvider implements DetectorProvider {
  public static final boolean DEFAULT_GENERIC = true;
  public static final double DEFAULT_MIN_ENTROPY = 3.0;

  @Override
  public String id() {
    return SecretsDetector.ID;
  }

  @Override
  public Detector create(DetectorConfig config) {
    Set<String> known = new TreeSet<>(formats());
    List<String> disabled = config.getList("disabled-formats");
    for (String f : disabled) {
      if (!known.contains(f)) {
        throw new GuardConfigurationException(
            "Unknown format '"
                + f
                + "' for "
                + config.fullKey("disabled-formats")
                + ": expected some of "
                + known);
      }
    }
    List<SecretRule> rules = new ArrayList<>();
    for (SecretRule r : SecretRules.ALL) {
      if (!disabled.contains(r.format())) {
        rules.add(r);
      }
    }
    Set<String> off = Set.copyOf(disabled);
    double minEntropy = config.getDouble("min-entropy", DEFAULT_MIN_ENTROPY);
    if (!(minEntropy >= 0 && minEntropy <= 8)) {
      throw new GuardConfigurationException(
          "Invalid value '"
              + minEntropy
              + "' for "
              + config.fullKey("min-entropy")
              + ": expected a number between 0 and 8");
    }
    return new SecretsDetector(
        rules, config.getBoolean("generic", DEFAULT_GENERIC), minEntropy, off);
  }

  /** Formats found from context rather than by a token pattern. */
  static final List<String> CONTEXT_FORMATS =
      List.of(
          "private-key",
          "gcp-service-account",
          "authorization-header",
          "curl-basic-auth",
          "generic-password",
          "generic-secret",
          "aws-secret-access-key",
          "bundler-credentials",
          "ibm-cloud-credential",
          "softlayer-api-key",
          "cloudant-credential",
          "okta-token",
          "sumologic-key",
          "sumologic-access-id",
          "cisco-meraki-api-key",
          "snyk-token",
          "hubspot-api-key",
          "heroku-api-key",
          "atlassian-api-token",
          "sonar-token",
          "azure-secret",
          "gcp-secret",
          "facebook-secret",
          "twilio-secret",
          "github-secret",
          "database-password");

  /** The names of every built-in format (values of the {@code format} metadata). */
  public static List<String> formats() {
    Set<String> names = new java.util.LinkedHashSet<>();
    for (SecretRule r : SecretRules.ALL) {
      names.add(r.format());
    }
    names.addAll(CONTEXT_FORMATS);
    return List.copyOf(names);
  }
}
