package dev.llmguard.elastic.bench;

import dev.llmguard.elastic.ElasticsearchEventSink;
import dev.llmguard.elastic.ElasticsearchSinkConfig;
import dev.llmguard.elastic.testing.ElasticsearchServer;
import dev.llmguard.elastic.testing.ServerOptions;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.event.GuardEvents;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Prints the figures of the Elasticsearch sink on this machine (not run by {@code verify}):
 *
 * <ol>
 *   <li>sustained delivery rate of one producer into one local node (512 MB heap);
 *   <li>caller-side cost of {@code publish} of one event, while Elasticsearch is up and while it is
 *       down (events go to the disk spool);
 *   <li>memory held by the in-memory queue at its bound.
 * </ol>
 *
 * <p>Run: {@code mvn -q -pl llm-guard-elastic -am verify -Pbench} (see docs/elastic.md).
 */
public final class SinkBenchmark {

  private static final int DELIVERY_EVENTS = Integer.getInteger("bench.events", 200_000);
  private static final int LATENCY_CALLS = Integer.getInteger("bench.calls", 50_000);

  private SinkBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("elasticsearch.full-jit", "true");
    GuardEvent template = fixture();
    int eventBytes = GuardEvents.toJson(event(template)).length();
    System.out.printf(Locale.ROOT, "event size: %d bytes of JSON%n", eventBytes);
    if ("memory".equals(System.getProperty("bench.only"))) {
      queueMemory(template);
      return;
    }
    try (ElasticsearchServer es =
        ElasticsearchServer.start(ServerOptions.PLAIN.withName("bench"))) {
      System.out.printf(
          "server: %s, heap 512 MB, %d cores%n", es, Runtime.getRuntime().availableProcessors());
      deliveryRate(es, template);
      serverBreakdown(es);
      if ("delivery".equals(System.getProperty("bench.only"))) {
        return;
      }
      callerCost(es, template);
    }
    queueMemory(template);
  }

  private static void deliveryRate(ElasticsearchServer es, GuardEvent template) throws Exception {
    Path spool = Files.createTempDirectory("bench-spool");
    ElasticsearchSinkConfig config =
        ElasticsearchSinkConfig.builder()
            .url(es.url())
            .namespace("bench")
            .spoolPath(spool)
            .queueCapacity(10_000)
            .bulkConcurrentRequests(
                Integer.getInteger(
                    "bench.concurrent-requests",
                    ElasticsearchSinkConfig.DEFAULT_BULK_CONCURRENT_REQUESTS))
            .bulkMaxOperations(
                Integer.getInteger(
                    "bench.bulk-operations", ElasticsearchSinkConfig.DEFAULT_BULK_MAX_OPERATIONS))
            .build();
    System.out.printf(
        Locale.ROOT,
        "sink: %d concurrent bulk requests of at most %,d operations / %,d bytes%n",
        config.bulkConcurrentRequests(),
        config.bulkMaxOperations(),
        config.bulkMaxBytes());
    try (ElasticsearchEventSink sink = ElasticsearchEventSink.create(config)) {
      warmUp(sink, template);
      long delivered0 = sink.stats().delivered();
      long esCpu0 = es.cpuTime().toNanos();
      long ownCpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      long waited = 0;
      List<GuardEvent> batch = new ArrayList<>(500);
      for (int i = 0; i < DELIVERY_EVENTS; i += 500) {
        // A producer at the sink's pace: it never lets the queue spill into the spool.
        while (sink.stats().pending() > config.queueCapacity() - 1_000) {
          long w0 = System.nanoTime();
          Thread.sleep(1);
          waited += System.nanoTime() - w0;
        }
        batch.clear();
        for (int k = i; k < Math.min(DELIVERY_EVENTS, i + 500); k++) {
          batch.add(event(template));
        }
        sink.publish(List.copyOf(batch));
        if (i == DELIVERY_EVENTS / 2 && Boolean.getBoolean("bench.hot-threads")) {
          new Thread(
                  () ->
                      System.out.println(
                          es.request("GET", "/_nodes/hot_threads?threads=4&interval=1s", null)
                              .body()))
              .start();
        }
      }
      long published = System.nanoTime() - t0;
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (sink.stats().delivered() - delivered0 < DELIVERY_EVENTS
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      long took = System.nanoTime() - t0;
      long delivered = sink.stats().delivered() - delivered0;
      double esCpu = (es.cpuTime().toNanos() - esCpu0) / 1e3 / Math.max(1, delivered);
      double ownCpu = (processCpuNanos() - ownCpu0) / 1e3 / Math.max(1, delivered);
      System.out.printf(
          Locale.ROOT,
          "delivery: %,d events in %.2f s = %,.0f events/s sustained (producer done after %.2f s, %.2f s of it waiting for room; spooled %,d, retried %,d)%n",
          sink.stats().delivered() - delivered0,
          took / 1e9,
          (sink.stats().delivered() - delivered0) / (took / 1e9),
          published / 1e9,
          waited / 1e9,
          sink.stats().spooled(),
          sink.stats().retried());
      System.out.printf(
          Locale.ROOT,
          "  CPU per event: Elasticsearch %.1f µs, this process (producer + sink) %.1f µs;"
              + " %d cores at full use would sustain %,.0f events/s%n",
          esCpu,
          ownCpu,
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().availableProcessors() * 1e6 / (esCpu + ownCpu));
    }
  }

  /** Where the server spent its time during the run (node stats), to see what dominates. */
  private static void serverBreakdown(ElasticsearchServer es) throws Exception {
    var stats =
        GuardEvents.mapper()
            .readTree(es.request("GET", "/_nodes/stats/indices,jvm", null).body())
            .path("nodes")
            .elements()
            .next();
    var idx = stats.path("indices");
    var gc = stats.path("jvm").path("gc").path("collectors");
    System.out.printf(
        Locale.ROOT,
        "  server totals: indexing %,d ms for %,d docs, merges %,d ms (%,d), refresh %,d ms,"
            + " flush %,d ms, segments %d, young GC %,d ms, old GC %,d ms%n",
        idx.path("indexing").path("index_time_in_millis").asLong(),
        idx.path("indexing").path("index_total").asLong(),
        idx.path("merges").path("total_time_in_millis").asLong(),
        idx.path("merges").path("total").asLong(),
        idx.path("refresh").path("total_time_in_millis").asLong(),
        idx.path("flush").path("total_time_in_millis").asLong(),
        idx.path("segments").path("count").asLong(),
        gc.path("young").path("collection_time_in_millis").asLong(),
        gc.path("old").path("collection_time_in_millis").asLong());
  }

  /** CPU time of this JVM (all threads), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void warmUp(ElasticsearchEventSink sink, GuardEvent template) throws Exception {
    List<GuardEvent> warm = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      warm.add(event(template));
    }
    for (int i = 0; i < warm.size(); i += 500) {
      sink.publish(warm.subList(i, i + 500));
    }
    sink.flush();
  }

  private static void callerCost(ElasticsearchServer es, GuardEvent template) throws Exception {
    ElasticsearchSinkConfig config =
        ElasticsearchSinkConfig.builder()
            .url(es.url())
            .namespace("bench_latency")
            .spoolPath(Files.createTempDirectory("bench-latency-spool"))
            .retryMaxBackoff(Duration.ofSeconds(1))
            .build();
    try (ElasticsearchEventSink sink = ElasticsearchEventSink.create(config)) {
      warmUp(sink, template);
      long[] up = measurePublish(sink, template);
      report("publish, Elasticsearch up  ", up);
      es.stop();
      List<GuardEvent> probe = List.of(event(template));
      sink.publish(probe);
      while (sink.state() == ElasticsearchEventSink.State.UP) {
        sink.publish(List.of(event(template)));
        Thread.sleep(20);
      }
      long[] down = measurePublish(sink, template);
      report("publish, Elasticsearch down", down);
      System.out.printf(
          Locale.ROOT,
          "  (while down: state %s, spooled %,d)%n",
          sink.state(),
          sink.stats().spooled());
      es.restart();
      long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (sink.stats().spoolBytes() > 0 && System.nanoTime() < until) {
        Thread.sleep(50);
      }
    }
  }

  /** Times {@link #LATENCY_CALLS} single-event publishes at about 10,000 per second. */
  private static long[] measurePublish(ElasticsearchEventSink sink, GuardEvent template)
      throws InterruptedException {
    List<List<GuardEvent>> batches = new ArrayList<>(LATENCY_CALLS);
    for (int i = 0; i < LATENCY_CALLS; i++) {
      batches.add(List.of(event(template)));
    }
    long[] nanos = new long[LATENCY_CALLS];
    for (int i = 0; i < LATENCY_CALLS; i++) {
      long t0 = System.nanoTime();
      sink.publish(batches.get(i));
      nanos[i] = System.nanoTime() - t0;
      if (i % 10 == 9) {
        Thread.sleep(1);
      }
    }
    return nanos;
  }

  private static void report(String label, long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    System.out.printf(
        Locale.ROOT,
        "%s: p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs over %,d calls%n",
        label,
        s[s.length / 2] / 1e3,
        s[(int) (s.length * 0.99)] / 1e3,
        s[(int) (s.length * 0.999)] / 1e3,
        s[s.length - 1] / 1e3,
        s.length);
  }

  /**
   * Fills the queue to its bound while the sink waits for an Elasticsearch that accepts connections
   * but never answers, and measures the heap it holds.
   */
  private static void queueMemory(GuardEvent template) throws Exception {
    int capacity = ElasticsearchSinkConfig.DEFAULT_QUEUE_CAPACITY;
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ElasticsearchSinkConfig config =
          ElasticsearchSinkConfig.builder()
              .url("http://127.0.0.1:" + silent.getLocalPort())
              .namespace("bench_memory")
              .spoolPath(Files.createTempDirectory("bench-memory-spool"))
              .requestTimeout(Duration.ofSeconds(120))
              .build();
      MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
      ElasticsearchEventSink sink = ElasticsearchEventSink.create(config);
      Thread.sleep(500);
      // Measured from before the events exist: the sink holds them once the producer let go.
      long before = usedAfterGc(mem);
      List<GuardEvent> events = new ArrayList<>(capacity);
      for (int i = 0; i < capacity; i++) {
        // Every event parsed on its own, sharing nothing: what an application's events look like.
        events.add(
            GuardEvents.mapper().readValue(GuardEvents.toJson(event(template)), GuardEvent.class));
      }
      for (int i = 0; i < events.size(); i += 500) {
        sink.publish(new ArrayList<>(events.subList(i, i + 500)));
      }
      events.clear();
      Thread.sleep(500);
      long after = usedAfterGc(mem);
      System.out.printf(
          Locale.ROOT,
          "queue at its bound (%,d events, state %s, pending %,d, spooled %,d): %.1f MB held, %,d bytes per event%n",
          capacity,
          sink.state(),
          sink.stats().pending(),
          sink.stats().spooled(),
          (after - before) / 1e6,
          (after - before) / Math.max(1, sink.stats().pending()));
      Thread t = new Thread(sink::close);
      t.setDaemon(true);
      t.start();
    }
  }

  private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return mem.getHeapMemoryUsage().getUsed();
  }

  private static GuardEvent fixture() throws Exception {
    try (InputStream in =
        SinkBenchmark.class
            .getClassLoader()
            .getResourceAsStream(
                "events/" + System.getProperty("bench.event", "full-alert") + ".json")) {
      return GuardEvents.mapper().readValue(in, GuardEvent.class);
    }
  }

  /**
   * A new event as the guard would build it: a fresh id and timestamp, the rest shared with the
   * fixture (so that the producer's own cost stays what an application pays, not JSON-tree copies).
   */
  private static GuardEvent event(GuardEvent b) {
    GuardEvent.Event e = b.event();
    return new GuardEvent(
        Instant.now().toString(),
        new GuardEvent.Event(
            System.getProperty("bench.ids", "v7").equals("v4")
                ? UUID.randomUUID().toString()
                : dev.llmguard.event.EventIds.next(),
            e.kind(),
            e.category(),
            e.type(),
            e.outcome(),
            e.action(),
            e.dataset(),
            e.module(),
            e.ingested(),
            e.duration(),
            e.riskScore(),
            e.severity(),
            e.reason()),
        b.dataStream(),
        b.service(),
        b.labels(),
        b.user(),
        b.session(),
        b.genAi(),
        b.rule(),
        b.threat(),
        b.error());
  }
}
