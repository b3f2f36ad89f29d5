package dev.llmguard.proxy;

import dev.llmguard.ChatClient;
import java.net.URI;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The guarding HTTP proxy on an embedded Jetty 12 server: {@code POST /proxy/openai}, {@code POST
 * /v1/chat/completions}, {@code GET /healthz} and {@code GET /metrics} (see {@link ProxyHandler}).
 *
 * <pre>{@code
 * try (ProxyServer proxy = ProxyServer.start(ProxyConfig.builder().port(0).build(), guarded,
 *     new ProxyMetrics())) {
 *   System.out.println(proxy.baseUri());
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops accepting, lets running requests finish (up to 5 s) and
 * releases the port; it does not close the {@link ChatClient}.
 */
public final class ProxyServer implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;
  private final ProxyConfig config;

  private ProxyServer(Server server, ServerConnector connector, ProxyConfig config) {
    this.server = server;
    this.connector = connector;
    this.config = config;
  }

  /**
   * Starts the proxy in front of {@code guarded}.
   *
   * @throws ProxyStartException when the port cannot be bound or Jetty fails to start
   */
  public static ProxyServer start(ProxyConfig config, ChatClient guarded, ProxyMetrics metrics) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(guarded, "guarded");
    Objects.requireNonNull(metrics, "metrics");
    QueuedThreadPool pool = new QueuedThreadPool(config.maxThreads(), 8);
    pool.setName("llm-guard-proxy");
    Server server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    http.setRequestHeaderSize(16 * 1024);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(config.readTimeout().toMillis());
    server.addConnector(connector);
    // Graceful stop: running requests (also streams) may finish within the stop timeout.
    GracefulHandler graceful = new GracefulHandler(new ProxyHandler(config, guarded, metrics));
    server.setHandler(graceful);
    server.setStopTimeout(5_000);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new ProxyStartException(
          "Cannot start the proxy on " + config.host() + ":" + config.port() + ": " + e, e);
    }
    return new ProxyServer(server, connector, config);
  }

  /** The bound port (the real one when the config asked for {@code 0}). */
  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://host:port}, with {@code 127.0.0.1} for a wildcard listen address. */
  public URI baseUri() {
    String h = config.host();
    if (h.equals("0.0.0.0") || h.equals("::") || h.isBlank()) {
      h = "127.0.0.1";
    }
    return URI.create("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port());
  }

  public ProxyConfig config() {
    return config;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new ProxyStartException("Cannot stop the proxy cleanly: " + e, e);
    }
  }
}
