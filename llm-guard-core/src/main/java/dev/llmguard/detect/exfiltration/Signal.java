package dev.llmguard.detect.exfiltration;

import java.util.Locale;

/**
 * One reason a URL is dangerous, with its weight when the URL is fetched on render (images) and
 * when it needs a click (links). The weights of all signals of one URL are combined by noisy-or.
 */
enum Signal {
  SCRIPT_SCHEME(0.95, 0.9, "uses a script URL (javascript:/vbscript:)"),
  OBFUSCATED_SCHEME(0.85, 0.8, "hides its scheme behind character references"),
  ACTIVE_DATA_URL(0.85, 0.85, "is a data: URL with active content"),
  DATA_URL(0.6, 0.6, "is a data: URL"),
  CREDENTIALS(0.85, 0.85, "carries credentials (user:password@)"),
  USERINFO(0.5, 0.5, "has a user part that can disguise the host"),
  DATA_IN_QUERY(0.95, 0.65, "sends data in its query"),
  DATA_IN_PATH(0.75, 0.0, "sends data in its path"),
  PARAMETERS(0.4, 0.0, "sends parameters"),
  IP_HOST(0.75, 0.6, "points to an IP address"),
  PUNYCODE_HOST(0.7, 0.6, "points to a punycode (xn--) host");

  private final double fetchedWeight;
  private final double clickedWeight;
  private final String description;

  Signal(double fetchedWeight, double clickedWeight, String description) {
    this.fetchedWeight = fetchedWeight;
    this.clickedWeight = clickedWeight;
    this.description = description;
  }

  double weight(UrlKind kind) {
    return kind.fetchedOnRender() ? fetchedWeight : clickedWeight;
  }

  String description() {
    return description;
  }

  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  int bit() {
    return 1 << ordinal();
  }
}
