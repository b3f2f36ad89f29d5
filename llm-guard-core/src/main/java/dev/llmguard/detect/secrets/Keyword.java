package dev.llmguard.detect.secrets;

import java.util.Locale;

/**
 * What an identifier says about the value assigned to it: a password, a strong credential name
 * ({@code secret}, {@code token}, {@code api_key}) or a weak one (anything ending in {@code key}).
 * Vendor names in the identifier refine the reported format.
 *
 * @param format reported format name
 * @param entity redaction label
 * @param description finding message
 * @param strength how much the name alone says
 */
record Keyword(String format, String entity, String description, Strength strength) {

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

  /** The keyword for {@code name}, or null if it does not name a credential. */
  static Keyword classify(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.length() < 2) {
      return null;
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

  private static Keyword vendor(String n, Strength s) {
    if (n.contains("aws") && (n.contains("secret") || n.contains("access"))) {
      return new Keyword("aws-secret-access-key", "AWS_SECRET_KEY", "AWS secret access key", s);
    }
    String[][] vendors = {
      {"ibm", "ibm-cloud-credential", "IBM Cloud credential"},
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
    for (String[] v : vendors) {
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
