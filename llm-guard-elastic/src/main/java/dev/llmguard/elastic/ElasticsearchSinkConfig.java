package dev.llmguard.elastic;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.ComponentConfig;
import dev.llmguard.spi.SinkConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings of an {@link ElasticsearchEventSink}. Immutable and thread-safe; build with {@link
 * #builder()} or read from properties and the environment with {@link #from(SinkConfig)}.
 *
 * <pre>{@code
 * ElasticsearchSinkConfig config = ElasticsearchSinkConfig.builder()
 *     .url("https://es.internal:9200")
 *     .apiKey(System.getenv("ELASTIC_API_KEY"))
 *     .caCertificate(Path.of("/etc/llm-guard/http_ca.crt"))
 *     .namespace("prod")
 *     .build();
 * }</pre>
 *
 * <p>Every option, its property ({@code llmguard.sink.elasticsearch.<key>}), its environment
 * variable and its default are listed in {@code docs/elastic.md}.
 */
public final class ElasticsearchSinkConfig {

  /** Data stream type and dataset; the namespace completes the name. */
  public static final String DATA_STREAM_PREFIX = "logs-llm_guard.events-";

  public static final String DEFAULT_URL = "http://localhost:9200";
  public static final String DEFAULT_NAMESPACE = "default";
  public static final long DEFAULT_SPOOL_MAX_BYTES = 256L * 1024 * 1024;
  public static final long DEFAULT_DEAD_LETTER_MAX_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  public static final long DEFAULT_QUEUE_MAX_BYTES = 32L * 1024 * 1024;
  public static final int DEFAULT_BULK_MAX_OPERATIONS = 1_000;
  public static final long DEFAULT_BULK_MAX_BYTES = 5L * 1024 * 1024;
  public static final int DEFAULT_BULK_CONCURRENT_REQUESTS = 2;
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_RETRY_MAX_ATTEMPTS = 8;
  public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(100);
  public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(5);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9_.]{1,100}");

  private final List<String> urls;
  private final String cloudId;
  private final String username;
  private final String password;
  private final String apiKey;
  private final String bearerToken;
  private final Path caCertificate;
  private final String caFingerprint;
  private final String namespace;
  private final Path spoolPath;
  private final long spoolMaxBytes;
  private final Path deadLetterPath;
  private final long deadLetterMaxBytes;
  private final boolean skipTemplate;
  private final boolean failFast;
  private final int queueCapacity;
  private final long queueMaxBytes;
  private final int bulkMaxOperations;
  private final long bulkMaxBytes;
  private final int bulkConcurrentRequests;
  private final Duration flushInterval;
  private final int retryMaxAttempts;
  private final Duration retryInitialBackoff;
  private final Duration retryMaxBackoff;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final Duration closeTimeout;

  private ElasticsearchSinkConfig(Builder b) {
    this.cloudId = b.cloudId;
    this.urls = b.cloudId != null && b.urls.isEmpty() ? List.of(cloudUrl(b.cloudId)) : b.urlsOr();
    this.username = b.username;
    this.password = b.password;
    this.apiKey = b.apiKey;
    this.bearerToken = b.bearerToken;
    this.caCertificate = b.caCertificate;
    this.caFingerprint = b.caFingerprint;
    this.namespace = b.namespace;
    this.spoolPath =
        b.spoolPath != null
            ? b.spoolPath
            : Path.of(
                System.getProperty("user.home"),
                ".llm-guard",
                "spool",
                "elasticsearch-" + b.namespace);
    this.spoolMaxBytes = b.spoolMaxBytes;
    this.deadLetterPath =
        b.deadLetterPath != null ? b.deadLetterPath : spoolPath.resolve("dead-letter.ndjson");
    this.deadLetterMaxBytes = b.deadLetterMaxBytes;
    this.skipTemplate = b.skipTemplate;
    this.failFast = b.failFast;
    this.queueCapacity = b.queueCapacity;
    this.queueMaxBytes = b.queueMaxBytes;
    this.bulkMaxOperations = b.bulkMaxOperations;
    this.bulkMaxBytes = b.bulkMaxBytes;
    this.bulkConcurrentRequests = b.bulkConcurrentRequests;
    this.flushInterval = b.flushInterval;
    this.retryMaxAttempts = b.retryMaxAttempts;
    this.retryInitialBackoff = b.retryInitialBackoff;
    this.retryMaxBackoff = b.retryMaxBackoff;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.closeTimeout = b.closeTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, for variants. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.urls.addAll(cloudId == null ? urls : List.of());
    b.cloudId = cloudId;
    b.username = username;
    b.password = password;
    b.apiKey = apiKey;
    b.bearerToken = bearerToken;
    b.caCertificate = caCertificate;
    b.caFingerprint = caFingerprint;
    b.namespace = namespace;
    b.spoolPath = spoolPath;
    b.spoolMaxBytes = spoolMaxBytes;
    b.deadLetterPath = deadLetterPath;
    b.deadLetterMaxBytes = deadLetterMaxBytes;
    b.skipTemplate = skipTemplate;
    b.failFast = failFast;
    b.queueCapacity = queueCapacity;
    b.queueMaxBytes = queueMaxBytes;
    b.bulkMaxOperations = bulkMaxOperations;
    b.bulkMaxBytes = bulkMaxBytes;
    b.bulkConcurrentRequests = bulkConcurrentRequests;
    b.flushInterval = flushInterval;
    b.retryMaxAttempts = retryMaxAttempts;
    b.retryInitialBackoff = retryInitialBackoff;
    b.retryMaxBackoff = retryMaxBackoff;
    b.connectTimeout = connectTimeout;
    b.requestTimeout = requestTimeout;
    b.closeTimeout = closeTimeout;
    return b;
  }

  /**
   * Reads the settings of the {@code elasticsearch} sink: each key from {@code config} ({@code
   * llmguard.sink.elasticsearch.<key>} or {@code LLMGUARD_SINK_ELASTICSEARCH_<KEY>}) and, when
   * absent there, from the well-known {@code ELASTIC_*} variable of {@code config.env()}.
   *
   * @throws GuardConfigurationException naming the key when a value is malformed
   */
  public static ElasticsearchSinkConfig from(SinkConfig config) {
    Map<String, String> env = config.env();
    Builder b = builder();
    Lookup in = new Lookup(config, env);
    in.get("url", "ELASTIC_URL").ifPresent(v -> b.urls(splitList(v)));
    in.get("cloud-id", "ELASTIC_CLOUD_ID").ifPresent(b::cloudId);
    in.get("username", "ELASTIC_USER", "ELASTIC_USERNAME").ifPresent(b::username);
    in.get("password", "ELASTIC_PASSWORD").ifPresent(b::password);
    in.get("api-key", "ELASTIC_API_KEY").ifPresent(b::apiKey);
    in.get("bearer-token", "ELASTIC_BEARER_TOKEN").ifPresent(b::bearerToken);
    in.get("ca-certificate", "ELASTIC_CA_CERT").ifPresent(v -> b.caCertificate(Path.of(v)));
    in.get("ca-fingerprint", "ELASTIC_CA_FINGERPRINT").ifPresent(b::caFingerprint);
    in.get("namespace", "ELASTIC_NAMESPACE").ifPresent(b::namespace);
    in.get("spool.path", "ELASTIC_SPOOL_PATH").ifPresent(v -> b.spoolPath(Path.of(v)));
    in.get("spool.max-bytes", "ELASTIC_SPOOL_MAX_BYTES")
        .ifPresent(v -> b.spoolMaxBytes(parseBytes(in.key("spool.max-bytes"), v)));
    in.get("dead-letter.path", "ELASTIC_DEAD_LETTER_PATH")
        .ifPresent(v -> b.deadLetterPath(Path.of(v)));
    in.get("dead-letter.max-bytes")
        .ifPresent(v -> b.deadLetterMaxBytes(parseBytes(in.key("dead-letter.max-bytes"), v)));
    in.get("skip-template", "ELASTIC_SKIP_TEMPLATE")
        .ifPresent(v -> b.skipTemplate(parseBoolean(in.key("skip-template"), v)));
    in.get("fail-fast").ifPresent(v -> b.failFast(parseBoolean(in.key("fail-fast"), v)));
    in.get("queue.capacity").ifPresent(v -> b.queueCapacity(parseInt(in.key("queue.capacity"), v)));
    in.get("queue.max-bytes")
        .ifPresent(v -> b.queueMaxBytes(parseBytes(in.key("queue.max-bytes"), v)));
    in.get("bulk.max-operations")
        .ifPresent(v -> b.bulkMaxOperations(parseInt(in.key("bulk.max-operations"), v)));
    in.get("bulk.max-bytes")
        .ifPresent(v -> b.bulkMaxBytes(parseBytes(in.key("bulk.max-bytes"), v)));
    in.get("bulk.concurrent-requests")
        .ifPresent(v -> b.bulkConcurrentRequests(parseInt(in.key("bulk.concurrent-requests"), v)));
    in.get("bulk.flush-interval")
        .ifPresent(
            v -> b.flushInterval(ComponentConfig.parseDuration(in.key("bulk.flush-interval"), v)));
    in.get("retry.max-attempts")
        .ifPresent(v -> b.retryMaxAttempts(parseInt(in.key("retry.max-attempts"), v)));
    in.get("retry.initial-backoff")
        .ifPresent(
            v ->
                b.retryInitialBackoff(
                    ComponentConfig.parseDuration(in.key("retry.initial-backoff"), v)));
    in.get("retry.max-backoff")
        .ifPresent(
            v -> b.retryMaxBackoff(ComponentConfig.parseDuration(in.key("retry.max-backoff"), v)));
    in.get("connect-timeout")
        .ifPresent(
            v -> b.connectTimeout(ComponentConfig.parseDuration(in.key("connect-timeout"), v)));
    in.get("request-timeout")
        .ifPresent(
            v -> b.requestTimeout(ComponentConfig.parseDuration(in.key("request-timeout"), v)));
    in.get("close-timeout")
        .ifPresent(v -> b.closeTimeout(ComponentConfig.parseDuration(in.key("close-timeout"), v)));
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new GuardConfigurationException(
          "Invalid Elasticsearch sink settings ("
              + SinkConfig.PREFIX
              + "elasticsearch.*): "
              + e.getMessage(),
          e);
    }
  }

  /** {@code logs-llm_guard.events-<namespace>}. */
  public String dataStream() {
    return DATA_STREAM_PREFIX + namespace;
  }

  public List<String> urls() {
    return urls;
  }

  public Optional<String> cloudId() {
    return Optional.ofNullable(cloudId);
  }

  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** The password; never printed by {@link #toString()}. */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  public Optional<String> apiKey() {
    return Optional.ofNullable(apiKey);
  }

  public Optional<String> bearerToken() {
    return Optional.ofNullable(bearerToken);
  }

  public Optional<Path> caCertificate() {
    return Optional.ofNullable(caCertificate);
  }

  public Optional<String> caFingerprint() {
    return Optional.ofNullable(caFingerprint);
  }

  public String namespace() {
    return namespace;
  }

  public Path spoolPath() {
    return spoolPath;
  }

  public long spoolMaxBytes() {
    return spoolMaxBytes;
  }

  public Path deadLetterPath() {
    return deadLetterPath;
  }

  public long deadLetterMaxBytes() {
    return deadLetterMaxBytes;
  }

  public boolean skipTemplate() {
    return skipTemplate;
  }

  public boolean failFast() {
    return failFast;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  public long queueMaxBytes() {
    return queueMaxBytes;
  }

  public int bulkMaxOperations() {
    return bulkMaxOperations;
  }

  public long bulkMaxBytes() {
    return bulkMaxBytes;
  }

  public int bulkConcurrentRequests() {
    return bulkConcurrentRequests;
  }

  public Duration flushInterval() {
    return flushInterval;
  }

  public int retryMaxAttempts() {
    return retryMaxAttempts;
  }

  public Duration retryInitialBackoff() {
    return retryInitialBackoff;
  }

  public Duration retryMaxBackoff() {
    return retryMaxBackoff;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** Who the sink authenticates as, for messages: {@code user 'x'}, {@code API key} … */
  String principal() {
    if (apiKey != null) {
      return "the API key";
    }
    if (bearerToken != null) {
      return "the bearer token";
    }
    if (username != null) {
      return "user '" + username + "'";
    }
    return "anonymous access";
  }

  @Override
  public String toString() {
    return "ElasticsearchSinkConfig{urls="
        + urls
        + ", auth="
        + principal()
        + ", dataStream="
        + dataStream()
        + ", spoolPath="
        + spoolPath
        + ", spoolMaxBytes="
        + spoolMaxBytes
        + ", skipTemplate="
        + skipTemplate
        + "}";
  }

  // ------------------------------------------------------------------------------ parsing

  /**
   * The HTTPS URL of the Elasticsearch endpoint encoded in an Elastic Cloud id ({@code
   * name:base64(host$es-uuid$kibana-uuid)}).
   *
   * @throws IllegalArgumentException when {@code cloudId} is not of that form
   */
  static String cloudUrl(String cloudId) {
    String encoded = cloudId.contains(":") ? cloudId.substring(cloudId.indexOf(':') + 1) : cloudId;
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cloudId is not valid base64 after the name: " + cloudId);
    }
    String[] parts = decoded.split("\\$");
    if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException(
          "cloudId must decode to host$elasticsearch-id$kibana-id but was '" + decoded + "'");
    }
    String host = parts[0];
    String port = "443";
    int colon = host.lastIndexOf(':');
    if (colon > 0) {
      port = host.substring(colon + 1);
      host = host.substring(0, colon);
    }
    return "https://" + parts[1] + "." + host + ":" + port;
  }

  /** Parses {@code 1048576}, {@code 512kb}, {@code 256mb}, {@code 1gb} (binary units). */
  static long parseBytes(String key, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    long unit = 1;
    if (t.endsWith("kb")) {
      unit = 1024;
    } else if (t.endsWith("mb")) {
      unit = 1024 * 1024;
    } else if (t.endsWith("gb")) {
      unit = 1024L * 1024 * 1024;
    }
    String digits =
        unit == 1
            ? (t.endsWith("b") ? t.substring(0, t.length() - 1) : t)
            : t.substring(0, t.length() - 2);
    try {
      return Math.multiplyExact(Long.parseLong(digits), unit);
    } catch (RuntimeException e) {
      throw new GuardConfigurationException(
          "Invalid size '"
              + text
              + "' for "
              + key
              + ": expected bytes, e.g. 1048576, 512kb, 256mb, 1gb");
    }
  }

  private static int parseInt(String key, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new GuardConfigurationException(
          "Invalid value '" + text + "' for " + key + ": expected an integer");
    }
  }

  private static boolean parseBoolean(String key, String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "yes":
      case "on":
        return true;
      case "false":
      case "no":
      case "off":
        return false;
      default:
        throw new GuardConfigurationException(
            "Invalid value '" + text + "' for " + key + ": expected true or false");
    }
  }

  private static List<String> splitList(String v) {
    List<String> out = new ArrayList<>();
    for (String part : v.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  /** Sink setting first, then the first set environment variable among the fallbacks. */
  private record Lookup(SinkConfig config, Map<String, String> env) {
    Optional<String> get(String key, String... envFallbacks) {
      Optional<String> v = config.get(key);
      if (v.isPresent()) {
        return v;
      }
      for (String name : envFallbacks) {
        String e = env.get(name);
        if (e != null && !e.isBlank()) {
          return Optional.of(e.trim());
        }
      }
      return Optional.empty();
    }

    String key(String key) {
      return config.fullKey(key);
    }
  }

  /** Builder for {@link ElasticsearchSinkConfig}; rejects bad values at once. Not thread-safe. */
  public static final class Builder {
    private final List<String> urls = new ArrayList<>();
    private String cloudId;
    private String username;
    private String password;
    private String apiKey;
    private String bearerToken;
    private Path caCertificate;
    private String caFingerprint;
    private String namespace = DEFAULT_NAMESPACE;
    private Path spoolPath;
    private long spoolMaxBytes = DEFAULT_SPOOL_MAX_BYTES;
    private Path deadLetterPath;
    private long deadLetterMaxBytes = DEFAULT_DEAD_LETTER_MAX_BYTES;
    private boolean skipTemplate;
    private boolean failFast;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private long queueMaxBytes = DEFAULT_QUEUE_MAX_BYTES;
    private int bulkMaxOperations = DEFAULT_BULK_MAX_OPERATIONS;
    private long bulkMaxBytes = DEFAULT_BULK_MAX_BYTES;
    private int bulkConcurrentRequests = DEFAULT_BULK_CONCURRENT_REQUESTS;
    private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
    private int retryMaxAttempts = DEFAULT_RETRY_MAX_ATTEMPTS;
    private Duration retryInitialBackoff = DEFAULT_RETRY_INITIAL_BACKOFF;
    private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

    private Builder() {}

    /** One endpoint, e.g. {@code https://es.internal:9200}; replaces earlier ones. */
    public Builder url(String url) {
      return urls(List.of(url));
    }

    /** Several endpoints of one cluster; the client spreads requests over them. */
    public Builder urls(List<String> newUrls) {
      List<String> checked = new ArrayList<>();
      for (String u : newUrls) {
        Objects.requireNonNull(u, "url");
        String t = u.trim();
        if (!t.startsWith("http://") && !t.startsWith("https://")) {
          throw new IllegalArgumentException(
              "url must start with http:// or https:// but was '" + u + "'");
        }
        checked.add(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
      }
      urls.clear();
      urls.addAll(checked);
      return this;
    }

    /** An Elastic Cloud id; used when no {@link #url} is set. */
    public Builder cloudId(String cloudId) {
      cloudUrl(cloudId);
      this.cloudId = cloudId.trim();
      return this;
    }

    public Builder username(String username) {
      this.username = blankToNull(username);
      return this;
    }

    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** An API key in its encoded form (base64 of {@code id:key}), sent as {@code ApiKey …}. */
    public Builder apiKey(String apiKey) {
      this.apiKey = blankToNull(apiKey);
      return this;
    }

    /** A bearer (OAuth or service account) token, sent as {@code Bearer …}. */
    public Builder bearerToken(String token) {
      this.bearerToken = blankToNull(token);
      return this;
    }

    /** A PEM file with the CA certificate that signed the server's certificate. */
    public Builder caCertificate(Path pem) {
      this.caCertificate = pem;
      return this;
    }

    /** The SHA-256 fingerprint (hex, colons allowed) of the server's CA certificate. */
    public Builder caFingerprint(String fingerprint) {
      if (fingerprint == null || fingerprint.isBlank()) {
        this.caFingerprint = null;
        return this;
      }
      String hex = fingerprint.replace(":", "").trim().toLowerCase(Locale.ROOT);
      if (!hex.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException(
            "caFingerprint must be a SHA-256 fingerprint (64 hex digits) but was '"
                + fingerprint
                + "'");
      }
      this.caFingerprint = hex;
      return this;
    }

    /** The data stream namespace, default {@value ElasticsearchSinkConfig#DEFAULT_NAMESPACE}. */
    public Builder namespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace");
      if (!NAMESPACE.matcher(namespace).matches()) {
        throw new IllegalArgumentException(
            "namespace must be 1-100 chars of a-z, 0-9, '_' or '.' but was '" + namespace + "'");
      }
      this.namespace = namespace;
      return this;
    }

    public Builder spoolPath(Path path) {
      this.spoolPath = Objects.requireNonNull(path, "spoolPath");
      return this;
    }

    public Builder spoolMaxBytes(long bytes) {
      this.spoolMaxBytes = positive("spoolMaxBytes", bytes);
      return this;
    }

    public Builder deadLetterPath(Path path) {
      this.deadLetterPath = Objects.requireNonNull(path, "deadLetterPath");
      return this;
    }

    public Builder deadLetterMaxBytes(long bytes) {
      this.deadLetterMaxBytes = positive("deadLetterMaxBytes", bytes);
      return this;
    }

    /** Do not install the index template (for credentials that may only write). */
    public Builder skipTemplate(boolean skip) {
      this.skipTemplate = skip;
      return this;
    }

    /**
     * {@code true}: starting the sink checks the connection, credentials and privileges at once and
     * throws; {@code false} (default): it reports problems through {@link
     * ElasticsearchEventSink#status()} and the log, and spools.
     */
    public Builder failFast(boolean failFast) {
      this.failFast = failFast;
      return this;
    }

    public Builder queueCapacity(int events) {
      this.queueCapacity = (int) positive("queueCapacity", events);
      return this;
    }

    public Builder queueMaxBytes(long bytes) {
      this.queueMaxBytes = positive("queueMaxBytes", bytes);
      return this;
    }

    public Builder bulkMaxOperations(int operations) {
      this.bulkMaxOperations = (int) positive("bulkMaxOperations", operations);
      return this;
    }

    public Builder bulkMaxBytes(long bytes) {
      this.bulkMaxBytes = positive("bulkMaxBytes", bytes);
      return this;
    }

    public Builder bulkConcurrentRequests(int requests) {
      this.bulkConcurrentRequests = (int) positive("bulkConcurrentRequests", requests);
      return this;
    }

    public Builder flushInterval(Duration interval) {
      this.flushInterval = positive("flushInterval", interval);
      return this;
    }

    /** Attempts per document on 429 and 5xx before it goes to the spool. */
    public Builder retryMaxAttempts(int attempts) {
      this.retryMaxAttempts = (int) positive("retryMaxAttempts", attempts);
      return this;
    }

    public Builder retryInitialBackoff(Duration backoff) {
      this.retryInitialBackoff = positive("retryInitialBackoff", backoff);
      return this;
    }

    public Builder retryMaxBackoff(Duration backoff) {
      this.retryMaxBackoff = positive("retryMaxBackoff", backoff);
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /** How long {@code flush()} and {@code close()} wait for acknowledgements before spooling. */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = positive("closeTimeout", timeout);
      return this;
    }

    /**
     * @throws IllegalStateException when the settings contradict each other
     */
    public ElasticsearchSinkConfig build() {
      int auth =
          (apiKey != null ? 1 : 0) + (bearerToken != null ? 1 : 0) + (username != null ? 1 : 0);
      if (auth > 1) {
        throw new IllegalStateException(
            "choose one of username/password, apiKey and bearerToken, not " + auth);
      }
      if (username != null && password == null) {
        throw new IllegalStateException("username '" + username + "' is set but password is not");
      }
      if (caCertificate != null && caFingerprint != null) {
        throw new IllegalStateException("choose caCertificate or caFingerprint, not both");
      }
      if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
        throw new IllegalStateException(
            "retryMaxBackoff "
                + retryMaxBackoff
                + " must not be shorter than retryInitialBackoff "
                + retryInitialBackoff);
      }
      return new ElasticsearchSinkConfig(this);
    }

    private List<String> urlsOr() {
      return urls.isEmpty() ? List.of(DEFAULT_URL) : List.copyOf(urls);
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s.trim();
    }

    private static long positive(String name, long v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be positive but was " + v);
      }
      return v;
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive but was " + d);
      }
      return d;
    }
  }
}
