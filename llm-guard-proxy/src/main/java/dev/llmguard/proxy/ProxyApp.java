package dev.llmguard.proxy;

import dev.llmguard.ChatClient;
import dev.llmguard.GuardConfigurationException;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.elastic.ElasticsearchEventSink;
import dev.llmguard.elastic.ElasticsearchSinkConfig;
import dev.llmguard.elastic.ElasticsearchSinkStats;
import dev.llmguard.event.EventDispatcher;
import dev.llmguard.sink.JsonLinesFileSink;
import dev.llmguard.spi.EventSink;
import dev.llmguard.spi.SinkConfig;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The whole proxy application: the event sink, the dispatcher, the {@link GuardedChatClient} over
 * the backend, the metrics and the HTTP server, started together and closed together (server first,
 * then every queued event is delivered, then the sinks close).
 *
 * <pre>{@code
 * Map<String, String> env = System.getenv();
 * try (ProxyApp app = ProxyApp.start(ProxyConfig.fromEnvironment(env),
 *     AzureClients.fromEnvironment(env), ProxyApp.sinkFromEnvironment(env, cfg),
 *     UnaryOperator.identity())) { ... }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ProxyApp implements AutoCloseable {

  /**
   * The {@code service.name} used when neither LLMGUARD_SERVICE_NAME nor OTEL_SERVICE_NAME is set.
   */
  public static final String DEFAULT_SERVICE_NAME = "llm-guard-proxy";

  private final EventDispatcher dispatcher;
  private final GuardedChatClient guarded;
  private final ProxyMetrics metrics;
  private final ProxyServer server;
  private final EventSink sink;

  private ProxyApp(
      EventDispatcher dispatcher,
      GuardedChatClient guarded,
      ProxyMetrics metrics,
      ProxyServer server,
      EventSink sink) {
    this.dispatcher = dispatcher;
    this.guarded = guarded;
    this.metrics = metrics;
    this.server = server;
    this.sink = sink;
  }

  /**
   * Starts everything.
   *
   * @param backend the model client (the Azure adapter in production)
   * @param sink where events go; closed by {@link #close()}
   * @param guard adds settings to the guard's builder (policy, detectors …); the builder already
   *     has the dispatcher and, unless configured otherwise, the service name
   * @param extraSinks further sinks fed by the same dispatcher (the demo's recorder)
   * @throws GuardConfigurationException for a bad guard setting
   * @throws ProxyStartException when the server cannot start
   */
  public static ProxyApp start(
      ProxyConfig config,
      ChatClient backend,
      EventSink sink,
      UnaryOperator<GuardedChatClient.Builder> guard,
      EventSink... extraSinks) {
    Objects.requireNonNull(sink, "sink");
    ProxyMetrics metrics = new ProxyMetrics();
    EventDispatcher dispatcher =
        EventDispatcher.builder().sink(sink).sink(metrics).sinks(List.of(extraSinks)).build();
    metrics.dispatcher(dispatcher);
    if (sink instanceof ElasticsearchEventSink es) {
      metrics.sinkCounters("elasticsearch", () -> counters(es.stats()));
    }
    GuardedChatClient guarded = null;
    try {
      GuardedChatClient.Builder b = GuardedChatClient.builder(backend).eventDispatcher(dispatcher);
      if (isBlank(System.getenv("LLMGUARD_SERVICE_NAME"))
          && isBlank(System.getenv("OTEL_SERVICE_NAME"))
          && isBlank(System.getProperty("llmguard.service.name"))) {
        b.serviceName(DEFAULT_SERVICE_NAME);
      }
      guarded = guard.apply(b).build();
      ProxyServer server = ProxyServer.start(config, guarded, metrics);
      return new ProxyApp(dispatcher, guarded, metrics, server, sink);
    } catch (RuntimeException e) {
      if (guarded != null) {
        guarded.close();
      }
      dispatcher.close();
      throw e;
    }
  }

  /**
   * The Elasticsearch sink when {@code ELASTIC_URL} (or {@code ELASTIC_CLOUD_ID}) is set, with
   * {@code ELASTIC_USER} / {@code ELASTIC_PASSWORD} and every other setting the sink reads; else a
   * JSON-lines file at {@link ProxyConfig#eventsFile()}.
   *
   * @throws GuardConfigurationException when the chosen sink cannot be configured
   */
  public static EventSink sinkFromEnvironment(Map<String, String> env, ProxyConfig config) {
    if (!isBlank(env.get("ELASTIC_URL")) || !isBlank(env.get("ELASTIC_CLOUD_ID"))) {
      return ElasticsearchEventSink.create(
          ElasticsearchSinkConfig.from(new SinkConfig("elasticsearch", Map.of(), env)));
    }
    return new JsonLinesFileSink(config.eventsFile());
  }

  static Map<String, Number> counters(ElasticsearchSinkStats s) {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("queued_total", s.queued());
    m.put("delivered_total", s.delivered());
    m.put("retried_total", s.retried());
    m.put("spooled_total", s.spooled());
    m.put("replayed_total", s.replayed());
    m.put("dead_lettered_total", s.deadLettered());
    m.put("dropped_total", s.dropped());
    m.put("pending", s.pending());
    m.put("spool_bytes", s.spoolBytes());
    m.put("up", s.state() == ElasticsearchEventSink.State.UP ? 1 : 0);
    return m;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  public URI baseUri() {
    return server.baseUri();
  }

  public int port() {
    return server.port();
  }

  public GuardedChatClient guarded() {
    return guarded;
  }

  public EventDispatcher dispatcher() {
    return dispatcher;
  }

  public ProxyMetrics metrics() {
    return metrics;
  }

  public EventSink sink() {
    return sink;
  }

  /** Waits until every event so far reached the sinks (up to 30 s). */
  public boolean flushEvents() {
    return dispatcher.flush();
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      guarded.close();
      dispatcher.close();
    }
  }
}
