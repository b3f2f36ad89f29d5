package dev.llmguard.detect.pii;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Creates the {@code pii} detector. Settings (prefix {@code llmguard.detector.pii.}):
 *
 * <ul>
 *   <li>{@code entities} — comma-separated subset of {@link PiiEntity} names; default all.
 *   <li>{@code default-region} — ISO 3166 region for numbers written without a country code;
 *       default {@value #DEFAULT_REGION}.
 *   <li>{@code phone-regions} — further regions tried, in order, when a number is not valid in the
 *       default region; default {@value #DEFAULT_PHONE_REGIONS}; {@code none} disables.
 * </ul>
 */
public final class PiiDetectorProvider implements DetectorProvider {
  /** Default region for phone numbers without an international prefix. */
  public static final String DEFAULT_REGION = "US";

  /** Fallback regions tried after the default one. */
  public static final String DEFAULT_PHONE_REGIONS =
      "GB,DE,FR,IT,ES,NL,BE,CH,AT,SE,NO,DK,FI,PL,PT,IE,AU,BR,IN";

  @Override
  public String id() {
    return PiiDetector.ID;
  }

  @Override
  public Detector create(DetectorConfig config) {
    var entities = PiiEntity.parse(config.getList("entities"), config.fullKey("entities"));
    List<String> regions = new ArrayList<>();
    regions.add(
        region(config.getString("default-region", DEFAULT_REGION), config, "default-region"));
    String fallback = config.getString("phone-regions", DEFAULT_PHONE_REGIONS);
    if (!fallback.equalsIgnoreCase("none")) {
      for (String r : fallback.split(",")) {
        if (!r.isBlank()) {
          String code = region(r, config, "phone-regions");
          if (!regions.contains(code)) {
            regions.add(code);
          }
        }
      }
    }
    return new PiiDetector(entities, regions);
  }

  private static String region(String value, DetectorConfig config, String key) {
    String code = value.trim().toUpperCase(Locale.ROOT);
    if (!com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance()
        .getSupportedRegions()
        .contains(code)) {
      throw new GuardConfigurationException(
          "Invalid value '"
              + value
              + "' for "
              + config.fullKey(key)
              + ": expected an ISO 3166 region code such as US, GB or DE");
    }
    return code;
  }
}
