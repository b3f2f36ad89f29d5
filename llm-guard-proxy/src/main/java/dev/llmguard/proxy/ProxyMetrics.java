package dev.llmguard.proxy;

import dev.llmguard.event.EventDispatcher;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.spi.EventSink;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The proxy's counters, rendered in the Prometheus text exposition format (version 0.0.4): HTTP
 * requests by endpoint and status, a request-latency histogram per endpoint, the event pipeline's
 * counters ({@link EventDispatcher#stats()}), the sink's own counters when it has them, and
 * detections by category and action as read from the events themselves.
 *
 * <p>It is also an {@link EventSink} (id {@value #SINK_ID}) so that it sees every event the
 * dispatcher delivers; it keeps counts only, never content. Thread-safe.
 */
public final class ProxyMetrics implements EventSink {

  /** The id of the counting sink: {@value}. */
  public static final String SINK_ID = "proxy-metrics";

  /** Upper bounds of the latency histogram, in seconds. */
  static final double[] BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> detections = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> eventsByAction = new ConcurrentHashMap<>();
  private volatile EventDispatcher dispatcher;
  private volatile String sinkName = "none";
  private volatile Supplier<Map<String, Number>> sinkCounters = Map::of;

  /** Records one answered HTTP request. */
  public void recordRequest(String endpoint, int status, long nanos) {
    requests.computeIfAbsent(endpoint + "\u0000" + status, k -> new LongAdder()).increment();
    latency.computeIfAbsent(endpoint, k -> new Histogram()).observe(nanos / 1e9);
  }

  /** Count of requests answered so far on {@code endpoint} with {@code status}. */
  public long requestCount(String endpoint, int status) {
    LongAdder a = requests.get(endpoint + "\u0000" + status);
    return a == null ? 0 : a.sum();
  }

  /** The dispatcher whose counters {@code /metrics} shows. */
  void dispatcher(EventDispatcher d) {
    this.dispatcher = d;
  }

  /** The sink whose own counters {@code /metrics} shows, as {@code llmguard_sink_<name>_<key>}. */
  void sinkCounters(String name, Supplier<Map<String, Number>> counters) {
    this.sinkName = name.replaceAll("[^a-zA-Z0-9_]", "_");
    this.sinkCounters = counters;
  }

  @Override
  public String id() {
    return SINK_ID;
  }

  @Override
  public void publish(List<GuardEvent> events) {
    for (GuardEvent e : events) {
      String action = "ALLOW";
      if (e.genAi() != null && e.genAi().policy() != null) {
        List<String> actions = e.genAi().policy().action();
        if (actions != null && !actions.isEmpty()) {
          action = actions.get(actions.size() - 1);
        }
      }
      eventsByAction.computeIfAbsent(action, k -> new LongAdder()).increment();
      if (e.genAi() != null && e.genAi().threat() != null) {
        List<String> cats = e.genAi().threat().category();
        if (cats != null) {
          for (String c : cats) {
            detections.computeIfAbsent(c, k -> new LongAdder()).increment();
          }
        }
      }
    }
  }

  /** The whole exposition, ending with a newline. */
  public String render() {
    StringBuilder sb = new StringBuilder(4096);
    header(sb, "llmguard_proxy_requests_total", "counter", "HTTP requests answered.");
    for (Map.Entry<String, Long> e : sorted(requests).entrySet()) {
      String[] k = e.getKey().split("\u0000", 2);
      sb.append("llmguard_proxy_requests_total{endpoint=\"")
          .append(escape(k[0]))
          .append("\",status=\"")
          .append(k[1])
          .append("\"} ")
          .append(e.getValue())
          .append('\n');
    }
    header(
        sb,
        "llmguard_proxy_request_duration_seconds",
        "histogram",
        "Time from the request's arrival to the end of the answer.");
    for (Map.Entry<String, Histogram> e : new TreeMap<>(latency).entrySet()) {
      e.getValue().render(sb, "llmguard_proxy_request_duration_seconds", escape(e.getKey()));
    }
    EventDispatcher d = dispatcher;
    if (d != null) {
      EventDispatcher.Stats s = d.stats();
      counter(sb, "llmguard_events_emitted_total", "Events handed to the dispatcher.", s.emitted());
      counter(sb, "llmguard_events_delivered_total", "Events every sink accepted.", s.delivered());
      counter(sb, "llmguard_events_dropped_total", "Events lost to a full queue.", s.dropped());
      counter(sb, "llmguard_events_failed_total", "Events a sink threw on.", s.failed());
      counter(
          sb, "llmguard_events_spooled_total", "Events written to the overflow file.", s.spooled());
      header(sb, "llmguard_events_queued", "gauge", "Events waiting in the dispatcher queue.");
      sb.append("llmguard_events_queued ").append(s.queued()).append('\n');
    }
    Map<String, Number> sc;
    try {
      sc = new TreeMap<>(sinkCounters.get());
    } catch (RuntimeException e) {
      sc = Map.of();
    }
    for (Map.Entry<String, Number> e : sc.entrySet()) {
      String name = "llmguard_sink_" + sinkName + "_" + e.getKey();
      boolean gauge = e.getKey().equals("pending") || e.getKey().endsWith("_bytes");
      header(sb, name, gauge ? "gauge" : "counter", "Counter of the " + sinkName + " sink.");
      sb.append(name).append(' ').append(e.getValue()).append('\n');
    }
    header(
        sb,
        "llmguard_detections_total",
        "counter",
        "Delivered events with a triggered finding, by category.");
    for (Map.Entry<String, Long> e : sorted(detections).entrySet()) {
      sb.append("llmguard_detections_total{category=\"")
          .append(escape(e.getKey()))
          .append("\"} ")
          .append(e.getValue())
          .append('\n');
    }
    header(sb, "llmguard_events_by_action_total", "counter", "Delivered events by policy action.");
    for (Map.Entry<String, Long> e : sorted(eventsByAction).entrySet()) {
      sb.append("llmguard_events_by_action_total{action=\"")
          .append(escape(e.getKey().toLowerCase(Locale.ROOT)))
          .append("\"} ")
          .append(e.getValue())
          .append('\n');
    }
    return sb.toString();
  }

  private static Map<String, Long> sorted(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private static void header(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void counter(StringBuilder sb, String name, String help, long value) {
    header(sb, name, "counter", help);
    sb.append(name).append(' ').append(value).append('\n');
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** A fixed-bucket histogram; lock-free. */
  private static final class Histogram {
    private final LongAdder[] counts = new LongAdder[BUCKETS.length];
    private final LongAdder count = new LongAdder();
    private final java.util.concurrent.atomic.DoubleAdder sum =
        new java.util.concurrent.atomic.DoubleAdder();

    Histogram() {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double seconds) {
      for (int i = 0; i < BUCKETS.length; i++) {
        if (seconds <= BUCKETS[i]) {
          counts[i].increment();
          break;
        }
      }
      count.increment();
      sum.add(seconds);
    }

    void render(StringBuilder sb, String name, String endpoint) {
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += counts[i].sum();
        sb.append(name)
            .append("_bucket{endpoint=\"")
            .append(endpoint)
            .append("\",le=\"")
            .append(BUCKETS[i])
            .append("\"} ")
            .append(cumulative)
            .append('\n');
      }
      long n = count.sum();
      sb.append(name)
          .append("_bucket{endpoint=\"")
          .append(endpoint)
          .append("\",le=\"+Inf\"} ")
          .append(n)
          .append('\n');
      sb.append(name).append("_sum{endpoint=\"").append(endpoint).append("\"} ");
      sb.append(String.format(Locale.ROOT, "%.6f", sum.sum())).append('\n');
      sb.append(name)
          .append("_count{endpoint=\"")
          .append(endpoint)
          .append("\"} ")
          .append(n)
          .append('\n');
    }
  }
}
