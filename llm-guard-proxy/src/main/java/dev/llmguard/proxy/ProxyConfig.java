package dev.llmguard.proxy;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.ComponentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the proxy's HTTP side. Immutable; build with {@link #builder()} or read from the
 * environment with {@link #fromEnvironment(Map)}.
 *
 * <pre>{@code
 * ProxyConfig cfg = ProxyConfig.builder().port(0).maxBodyBytes(1 << 20).build();
 * }</pre>
 *
 * @param host address to listen on
 * @param port port to listen on; {@code 0} takes any free port
 * @param maxBodyBytes largest accepted request body; larger ones get HTTP 413
 * @param readTimeout longest wait for the next bytes of a request; a slower client gets HTTP 408
 * @param responseTimeout longest silence on a connection while the model answers
 * @param maxThreads largest number of request threads
 * @param defaultDeployment model / deployment used when a request names none; may be {@code null}
 * @param eventsFile where events go when no Elasticsearch is configured
 */
public record ProxyConfig(
    String host,
    int port,
    long maxBodyBytes,
    Duration readTimeout,
    Duration responseTimeout,
    int maxThreads,
    String defaultDeployment,
    Path eventsFile) {

  /** Default listen address: {@value}. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Default port: {@value}. */
  public static final int DEFAULT_PORT = 8080;

  /** Default body limit: {@value} bytes (2 MiB). */
  public static final long DEFAULT_MAX_BODY_BYTES = 2L * 1024 * 1024;

  /** Default read timeout: {@value} ms. */
  public static final long DEFAULT_READ_TIMEOUT_MS = 10_000;

  /** Default response timeout: {@value} ms. */
  public static final long DEFAULT_RESPONSE_TIMEOUT_MS = 300_000;

  /** Default request threads: {@value}. */
  public static final int DEFAULT_MAX_THREADS = 200;

  /** Default events file: {@value}. */
  public static final String DEFAULT_EVENTS_FILE = "llm-guard-events.jsonl";

  public ProxyConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(eventsFile, "eventsFile");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .host(host)
        .port(port)
        .maxBodyBytes(maxBodyBytes)
        .readTimeout(readTimeout)
        .responseTimeout(responseTimeout)
        .maxThreads(maxThreads)
        .defaultDeployment(defaultDeployment)
        .eventsFile(eventsFile);
  }

  /**
   * Reads {@code LLMGUARD_PROXY_*} and {@code AZURE_DEPLOYMENT_NAME} from {@code env}; unset ones
   * keep their defaults.
   *
   * @throws GuardConfigurationException naming the variable of a malformed value
   */
  public static ProxyConfig fromEnvironment(Map<String, String> env) {
    Builder b = builder();
    String v;
    if ((v = get(env, "LLMGUARD_PROXY_HOST")) != null) {
      b.host(v);
    }
    try {
      if ((v = get(env, "LLMGUARD_PROXY_PORT")) != null) {
        b.port(Integer.parseInt(v));
      }
      if ((v = get(env, "LLMGUARD_PROXY_MAX_BODY_BYTES")) != null) {
        b.maxBodyBytes(Long.parseLong(v));
      }
      if ((v = get(env, "LLMGUARD_PROXY_MAX_THREADS")) != null) {
        b.maxThreads(Integer.parseInt(v));
      }
    } catch (IllegalArgumentException e) {
      throw new GuardConfigurationException(
          "Invalid LLMGUARD_PROXY_* setting '" + v + "': " + e.getMessage(), e);
    }
    if ((v = get(env, "LLMGUARD_PROXY_READ_TIMEOUT")) != null) {
      b.readTimeout(ComponentConfig.parseDuration("LLMGUARD_PROXY_READ_TIMEOUT", v));
    }
    if ((v = get(env, "LLMGUARD_PROXY_RESPONSE_TIMEOUT")) != null) {
      b.responseTimeout(ComponentConfig.parseDuration("LLMGUARD_PROXY_RESPONSE_TIMEOUT", v));
    }
    if ((v = get(env, "LLMGUARD_PROXY_EVENTS_FILE")) != null) {
      b.eventsFile(Path.of(v));
    }
    if ((v = get(env, "AZURE_DEPLOYMENT_NAME")) != null) {
      b.defaultDeployment(v);
    }
    return b.build();
  }

  private static String get(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** Builder for {@link ProxyConfig}; rejects bad values at once. Not thread-safe. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration readTimeout = Duration.ofMillis(DEFAULT_READ_TIMEOUT_MS);
    private Duration responseTimeout = Duration.ofMillis(DEFAULT_RESPONSE_TIMEOUT_MS);
    private int maxThreads = DEFAULT_MAX_THREADS;
    private String defaultDeployment;
    private Path eventsFile = Path.of(DEFAULT_EVENTS_FILE);

    private Builder() {}

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535 but was " + port);
      }
      this.port = port;
      return this;
    }

    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1024 but was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    public Builder readTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("readTimeout must be positive but was " + timeout);
      }
      this.readTimeout = timeout;
      return this;
    }

    public Builder responseTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("responseTimeout must be positive but was " + timeout);
      }
      this.responseTimeout = timeout;
      return this;
    }

    public Builder maxThreads(int threads) {
      if (threads < 8) {
        throw new IllegalArgumentException("maxThreads must be at least 8 but was " + threads);
      }
      this.maxThreads = threads;
      return this;
    }

    public Builder defaultDeployment(String deployment) {
      this.defaultDeployment = deployment;
      return this;
    }

    public Builder eventsFile(Path file) {
      this.eventsFile = Objects.requireNonNull(file, "eventsFile");
      return this;
    }

    public ProxyConfig build() {
      return new ProxyConfig(
          host,
          port,
          maxBodyBytes,
          readTimeout,
          responseTimeout,
          maxThreads,
          defaultDeployment,
          eventsFile);
    }
  }
}
