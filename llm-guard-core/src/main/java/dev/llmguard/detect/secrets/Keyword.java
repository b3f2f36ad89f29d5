package dev.llmguard.detect.secrets;

import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What an identifier says about the value assigned to it: a password, a strong credential name
 * ({@code secret}, {@code token}, {@code api_key}) or a weak one (anything ending in {@code key}).
 * Vendor names in the identifier refine the reported format.
 *
 * @param format reported format name
 * @param entity redaction label
 * @param description finding message
 * @param strength how much the name alone says
 * @param shape the vendor's value format when the name names a vendor whose format is known (a
 *     value of another shape is not that vendor's secret), or null
 */
record Keyword(
    String format, String entity, String description, Strength strength, Predicate<String> shape) {

  Keyword(String format, String entity, String description, Strength strength) {
    this(format, entity, description, strength, null);
  }

  enum Strength {
    PASSWORD,
    STRONG,
    WEAK
  }

  private static final String[] EXCLUDED = {
    "public",
    "pubkey",
    "publishable",
    "name",
    "file",
    "path",
    "url",
    "uri",
    "type",
    "length",
    "size",
    "count",
    "version",
    "format",
    "field",
    "prefix",
    "header",
    "placeholder",
    "hint",
    "label",
    "policy",
    "expir",
    "ttl",
    "timeout",
    "mode",
    "enabled",
    "required",
    "author",
    "keyboard",
    "keyword",
    "monkey",
    "turkey",
    "hockey",
    "donkey",
    "keyid",
    "key_id",
    "keyspace",
    "length",
    "tokenizer",
    "tokens",
    "max_token",
    "token_count",
    "token_type",
    "tokentype",
    "reset",
    "forgot",
    "confirm",
    "_id",
    "-id",
    "event",
    "endpoint",
    "class",
    "method"
  };

  /**
   * Fragments one of which every credential name contains (case-insensitive); checked in place,
   * without allocating, before a name is classified.
   */
  private static final String[] HINTS = {
    "pass", "pw", "secret", "token", "key", "auth", "cred", "bearer", "bundle_", "sonar", "sumo",
    "jfrog", "artif"
  };

  /** Whether {@code t[s, e)} may name a credential: a cheap test that allocates nothing. */
  static boolean mayNameCredential(String t, int s, int e) {
    if (e - s < 2) {
      return false;
    }
    for (int i = s; i < e; i++) {
      char c = (char) (t.charAt(i) | 0x20);
      if (c != 'p' && c != 's' && c != 't' && c != 'k' && c != 'a' && c != 'c' && c != 'b'
          && c != 'j') {
        continue;
      }
      for (String h : HINTS) {
        if (h.charAt(0) == c && i + h.length() <= e && t.regionMatches(true, i, h, 0, h.length())) {
          return true;
        }
      }
    }
    return false;
  }

  // Vendor formats known from public documentation and scanners (gitleaks, detect-secrets).
  private static final Predicate<String> SUMO_ACCESS_ID =
      Pattern.compile("su[A-Za-z0-9]{12}").asMatchPredicate();
  private static final Predicate<String> SUMO_ACCESS_KEY =
      Pattern.compile("[A-Za-z0-9]{64}").asMatchPredicate();
  private static final Predicate<String> SONAR =
      Pattern.compile("(?:sq[upa]_)?[A-Za-z0-9]{40}").asMatchPredicate();
  private static final Predicate<String> MERAKI =
      Pattern.compile("[0-9a-f]{40}").asMatchPredicate();
  private static final Predicate<String> ARTIFACTORY =
      Pattern.compile("AKC[A-Za-z0-9]{10,100}|AP[0-9A-F][A-Za-z0-9]{8,100}|cmVmdGtu[A-Za-z0-9]{56}")
          .asMatchPredicate();

  /**
   * IBM Cloud: an IAM API key is 44 chars, a COS HMAC secret 48 hex chars. Only key-like values (32
   * or more chars of that alphabet) are held to it, so a person's IBM password still counts.
   */
  private static final Predicate<String> IBM =
      v -> {
        if (v.length() < 32) {
          return true;
        }
        boolean hex = true;
        for (int i = 0; i < v.length(); i++) {
          char c = v.charAt(i);
          if (!(c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || c == '_'
              || c == '-')) {
            return true; // not key-like: a password
          }
          hex &= c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
        }
        return v.length() == 44 || (hex && v.length() == 48);
      };

  /** Names that say which vendor's secret follows, and so what shape it has. */
  private static Keyword vendorShaped(String n) {
    if (!(n.contains("sumo")
        || n.contains("sonar")
        || n.contains("meraki")
        || n.contains("jfrog")
        || n.contains("artif"))) {
      return null;
    }
    StringBuilder sb = new StringBuilder(n.length());
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
        sb.append(c);
      }
    }
    String letters = sb.toString();
    if (letters.contains("sumo") && letters.contains("access")) {
      if (letters.contains("accessid")) {
        return new Keyword(
            "sumologic-access-id",
            "SUMOLOGIC_ID",
            "Sumo Logic access id",
            Strength.STRONG,
            SUMO_ACCESS_ID);
      }
      if (letters.contains("accesskey")) {
        return new Keyword(
            "sumologic-key", "SECRET", "Sumo Logic access key", Strength.STRONG, SUMO_ACCESS_KEY);
      }
    }
    if (letters.contains("sonar")
        && (letters.contains("login") || letters.contains("token") || letters.contains("key"))) {
      return new Keyword("sonar-token", "SECRET", "SonarQube token", Strength.STRONG, SONAR);
    }
    if (letters.contains("meraki") && letters.contains("key")) {
      return new Keyword(
          "cisco-meraki-api-key", "SECRET", "Cisco Meraki API key", Strength.STRONG, MERAKI);
    }
    if (letters.contains("jfrog") || letters.contains("artifactory") || n.startsWith("artif")) {
      return new Keyword(
          "artifactory-token",
          "ARTIFACTORY_TOKEN",
          "JFrog Artifactory token",
          Strength.STRONG,
          ARTIFACTORY);
    }
    return null;
  }

  /** The last name a thread classified: repeated names (a flood of one line) are not re-read. */
  private static final class Last {
    String name;
    Keyword keyword;
  }

  private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);

  /** The keyword for the name {@code t[s, e)}, or null; see {@link #classify(String)}. */
  static Keyword classify(String t, int s, int e) {
    Last last = LAST.get();
    String n = last.name;
    if (n != null && n.length() == e - s && t.startsWith(n, s)) {
      return last.keyword;
    }
    String name = t.substring(s, e);
    Keyword kw = classify(name);
    last.name = name;
    last.keyword = kw;
    return kw;
  }

  /** The keyword for {@code name}, or null if it does not name a credential. */
  static Keyword classify(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.length() < 2) {
      return null;
    }
    Keyword shaped = vendorShaped(n);
    if (shaped != null) {
      return shaped;
    }
    for (String x : EXCLUDED) {
      if (n.contains(x)) {
        return null;
      }
    }
    if (n.endsWith("id") && !n.endsWith("pwid")) {
      return null; // clientId, access_id: identifiers are not secret
    }
    if (n.startsWith("bundle_") && n.contains("__")) {
      // Bundler gem-server credentials: BUNDLE_GEMS__EXAMPLE__COM=user:password
      return new Keyword(
          "bundler-credentials", "PASSWORD", "Bundler gem source credentials", Strength.STRONG);
    }
    Strength s;
    if (n.contains("password")
        || n.contains("passwd")
        || n.contains("passphrase")
        || n.contains("pwd")
        || n.endsWith("_pw")
        || n.endsWith("-pw")
        || n.equals("pw")
        || n.endsWith("_pass")
        || n.equals("pass")
        || n.contains("_pass_")
        || n.endsWith("pass_secure")) {
      s = Strength.PASSWORD;
    } else if (n.contains("secret")
        || n.contains("token")
        || n.contains("apikey")
        || n.contains("api_key")
        || n.contains("api-key")
        || n.contains("accesskey")
        || n.contains("access_key")
        || n.contains("private_key")
        || n.contains("privatekey")
        || n.contains("credential")
        || n.contains("auth")
        || n.contains("bearer")
        || n.contains("signing_key")
        || n.contains("encryption_key")
        || n.contains("master_key")) {
      s = Strength.STRONG;
    } else if (n.endsWith("key") || n.endsWith("key_secure")) {
      s = Strength.WEAK;
    } else {
      return null;
    }
    return vendor(n, s);
  }

  private static final String[][] VENDORS = {
    {"softlayer", "softlayer-api-key", "SoftLayer API key"},
    {"slapikey", "softlayer-api-key", "SoftLayer API key"},
    {"sl_api", "softlayer-api-key", "SoftLayer API key"},
    {"cloudant", "cloudant-credential", "Cloudant credential"},
    {"okta", "okta-token", "Okta API token"},
    {"sumo", "sumologic-key", "Sumo Logic access key"},
    {"snyk", "snyk-token", "Snyk API token"},
    {"hubspot", "hubspot-api-key", "HubSpot API key"},
    {"heroku", "heroku-api-key", "Heroku API key"},
    {"jira", "atlassian-api-token", "Atlassian API token"},
    {"confluence", "atlassian-api-token", "Atlassian API token"},
    {"atlassian", "atlassian-api-token", "Atlassian API token"},
    {"sonar", "sonar-token", "SonarQube token"},
    {"azure", "azure-secret", "Azure secret"},
    {"gcp", "gcp-secret", "Google Cloud secret"},
    {"facebook", "facebook-secret", "Facebook app secret"},
    {"twilio", "twilio-secret", "Twilio auth token"},
    {"github", "github-secret", "GitHub secret"},
    {"database", "database-password", "database password"},
    {"db_", "database-password", "database password"},
  };

  private static Keyword vendor(String n, Strength s) {
    if (n.contains("aws") && (n.contains("secret") || n.contains("access"))) {
      return new Keyword("aws-secret-access-key", "AWS_SECRET_KEY", "AWS secret access key", s);
    }
    if (n.contains("ibm")) {
      Strength vs = s == Strength.WEAK ? Strength.STRONG : s;
      return new Keyword(
          "ibm-cloud-credential",
          s == Strength.PASSWORD ? "PASSWORD" : "SECRET",
          "IBM Cloud credential",
          vs,
          IBM);
    }
    if (n.startsWith("sl_") || n.startsWith("sl-")) {
      return new Keyword("softlayer-api-key", "SECRET", "SoftLayer API key", Strength.STRONG);
    }
    for (String[] v : VENDORS) {
      if (n.contains(v[0])) {
        // a vendor's name next to "key" says more than "key" alone
        Strength vs = s == Strength.WEAK ? Strength.STRONG : s;
        return new Keyword(v[1], s == Strength.PASSWORD ? "PASSWORD" : "SECRET", v[2], vs);
      }
    }
    if (s == Strength.PASSWORD) {
      return new Keyword("generic-password", "PASSWORD", "password assignment", s);
    }
    return new Keyword("generic-secret", "SECRET", "high-entropy credential assignment", s);
  }
}
