package dev.llmguard.elastic;

import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.util.BinaryData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.event.GuardEvents;
import dev.llmguard.spi.EventSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships {@link GuardEvent}s into the Elasticsearch data stream {@code
 * logs-llm_guard.events-<namespace>} through the official client's {@link BulkIngester}, with the
 * event id as document id and the {@code create} action, so that an event sent twice is stored
 * once.
 *
 * <p><b>Delivery.</b> {@link #publish} only queues the events for a sender thread, which serialises
 * and sends them; it never waits for the network. While Elasticsearch is unreachable, refuses the
 * credentials or the in-memory queue is at its bound, events go to a bounded disk spool instead,
 * which is replayed oldest first once Elasticsearch answers again — also by a later sink over the
 * same spool folder after a restart. Documents answered with {@code 429} or {@code 5xx} are retried
 * with exponential backoff; documents rejected for good (a mapping conflict) go to the dead-letter
 * file with the reason while the rest of their batch is delivered. The only loss is a full spool,
 * counted as {@code dropped}.
 *
 * <p><b>Thread-safety.</b> All public methods are thread-safe. {@link #publish} is meant for the
 * core {@code EventDispatcher}'s thread; {@link #flush} and {@link #close} may be called from any
 * thread.
 *
 * <pre>{@code
 * try (ElasticsearchEventSink sink = ElasticsearchEventSink.create(
 *     ElasticsearchSinkConfig.builder().url("http://localhost:9200").build())) {
 *   sink.publish(events);
 *   sink.flush();
 *   System.out.println(sink.stats());
 * }
 * }</pre>
 */
public final class ElasticsearchEventSink implements EventSink {

  /** Where the sink stands with Elasticsearch. */
  public enum State {
    /** Checking credentials and installing the template; events wait in memory meanwhile. */
    STARTING,
    /** Events flow to Elasticsearch (spooled events, if any, are being replayed). */
    UP,
    /** Elasticsearch is unreachable or overloaded: events are spooled; retried with backoff. */
    DOWN,
    /** Credentials wrong or too weak (see {@link #lastError()}): events are spooled. */
    REJECTED,
    /** Closed; {@link #publish} throws. */
    CLOSED
  }

  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchEventSink.class);
  private static final Object WAKE = new Object();
  private static final Object STOP = new Object();
  private static final Object SPOOL_ALL = new Object();

  private final ElasticsearchSinkConfig config;
  private final ObjectMapper mapper = GuardEvents.mapper();
  private final ElasticsearchConnection connection;
  private final BulkIngester<Pending> ingester;
  private final DiskSpool spool;
  private final DeadLetterFile deadLetters;
  private final Thread sender;
  private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();

  /** Live (not replayed) events not yet delivered, dead-lettered or spooled. */
  private final Set<Pending> live = ConcurrentHashMap.newKeySet();

  private final Object spoolLock = new Object();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicLong lastDropLogNanos =
      new AtomicLong(System.nanoTime() - TimeUnit.MINUTES.toNanos(1));

  private final LongAdder queued = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder spooled = new LongAdder();
  private final LongAdder replayed = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  private volatile State state = State.STARTING;
  private volatile String lastError;

  // ---- owned by the sender thread
  private final PriorityQueue<Pending> retries =
      new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
  private boolean setUpDone;

  /**
   * Events that arrived while {@link State#STARTING}; sent or spooled once the start is decided.
   */
  private final List<Pending> held = new ArrayList<>();

  private long nextProbeNanos;
  private long probeBackoffMillis;
  private Replay replay;
  private long nextReplayNanos;

  /** Ids of a segment already acknowledged, so that a retried segment re-sends only the rest. */
  private final Map<Long, Set<String>> acknowledgedBySegment = new HashMap<>();

  private ElasticsearchEventSink(ElasticsearchSinkConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.spool = new DiskSpool(config.spoolPath(), config.spoolMaxBytes());
    this.deadLetters =
        new DeadLetterFile(config.deadLetterPath(), config.deadLetterMaxBytes(), mapper);
    this.connection = new ElasticsearchConnection(config, mapper);
    this.probeBackoffMillis = config.retryInitialBackoff().toMillis();
    if (config.failFast()) {
      try {
        connection.setUp();
        setUpDone = true;
        state = State.UP;
      } catch (RuntimeException e) {
        connection.close();
        spool.close();
        throw e;
      }
    }
    this.ingester =
        BulkIngester.of(
            b ->
                b.client(connection.client())
                    .maxOperations(config.bulkMaxOperations())
                    .maxSize(config.bulkMaxBytes())
                    .maxConcurrentRequests(config.bulkConcurrentRequests())
                    .flushInterval(config.flushInterval().toMillis(), TimeUnit.MILLISECONDS)
                    .listener(new Listener()));
    this.sender = new Thread(this::run, "llm-guard-elasticsearch-sender");
    sender.setDaemon(true);
    sender.start();
  }

  /**
   * Opens the spool and starts the sink. With {@link ElasticsearchSinkConfig#failFast()} it also
   * checks credentials and privileges and installs the index template before returning.
   *
   * @throws dev.llmguard.GuardConfigurationException when the spool folder cannot be used
   * @throws ElasticsearchAuthenticationException fail-fast only: the credentials were rejected
   * @throws ElasticsearchAuthorizationException fail-fast only: a privilege is missing (named)
   * @throws ElasticsearchSinkException fail-fast only: Elasticsearch is unreachable
   */
  public static ElasticsearchEventSink create(ElasticsearchSinkConfig config) {
    return new ElasticsearchEventSink(config);
  }

  @Override
  public String id() {
    return ElasticsearchEventSinkProvider.ID;
  }

  public ElasticsearchSinkConfig config() {
    return config;
  }

  public State state() {
    return state;
  }

  /** The last problem with Elasticsearch (unreachable, credentials, privileges), if any. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** Where rejected documents are written. */
  public java.nio.file.Path deadLetterPath() {
    return deadLetters.path();
  }

  public ElasticsearchSinkStats stats() {
    return new ElasticsearchSinkStats(
        queued.sum(),
        delivered.sum(),
        retried.sum(),
        spooled.sum(),
        replayed.sum(),
        deadLettered.sum(),
        dropped.sum(),
        live.size(),
        spool.bytes(),
        state);
  }

  /**
   * Takes a batch: queues it for the sender thread (which sends it, or spools it while
   * Elasticsearch is not reachable), or writes it to the spool itself when the queue is at its
   * bound. Never waits for the network.
   *
   * @throws IllegalStateException after {@link #close()}
   * @throws NullPointerException when {@code events} or an element is null
   */
  @Override
  public void publish(List<GuardEvent> events) {
    if (closing.get()) {
      throw new IllegalStateException("ElasticsearchEventSink is closed");
    }
    List<Pending> batch = new ArrayList<>(events.size());
    for (GuardEvent e : events) {
      Objects.requireNonNull(e, "event");
      batch.add(new Pending(e, sequence.incrementAndGet()));
    }
    queued.add(batch.size());
    // The caller only enqueues; the sender thread serialises, sends or spools. Only when the
    // queue is at its bound does the caller write to the spool itself.
    if (live.size() + batch.size() <= config.queueCapacity()
        && pendingBytes.get() <= config.queueMaxBytes()) {
      live.addAll(batch);
      inbox.addAll(batch);
    } else {
      spoolNew(batch);
      inbox.offer(WAKE);
    }
  }

  /**
   * Waits until every event published before this call is delivered, dead-lettered or spooled; what
   * is still unacknowledged after {@link ElasticsearchSinkConfig#closeTimeout()} is spooled.
   */
  @Override
  public void flush() {
    long upTo = sequence.get();
    ingester.flush();
    long deadline = System.nanoTime() + config.closeTimeout().toNanos();
    while (System.nanoTime() < deadline && hasLiveUpTo(upTo)) {
      if (sender.isAlive()) {
        inbox.offer(WAKE);
      }
      sleepMillis(5);
      ingester.flush();
    }
    if (hasLiveUpTo(upTo)) {
      spoolAllLive();
    }
  }

  /** Flushes (spooling what cannot be delivered in time) and releases everything. Idempotent. */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    try {
      flush();
    } finally {
      inbox.offer(STOP);
      joinQuietly(sender, config.closeTimeout().toMillis());
      spoolAllLive();
      for (Pending p : retries) {
        if (p.replay == null && p.resolve()) {
          spoolResolved(List.of(p));
        }
      }
      retries.clear();
      state = State.CLOSED;
      closeIngesterBounded();
      connection.close();
      spool.close();
      deadLetters.close();
    }
  }

  // ------------------------------------------------------------------------ sender thread

  private void run() {
    nextProbeNanos = System.nanoTime();
    List<Object> drained = new ArrayList<>(4096);
    while (true) {
      try {
        Object first = inbox.poll(waitMillis(), TimeUnit.MILLISECONDS);
        drained.clear();
        if (first != null) {
          drained.add(first);
          inbox.drainTo(drained, 4095);
        }
        boolean stop = false;
        List<Pending> toSpool = new ArrayList<>();
        for (Object o : drained) {
          if (o == STOP) {
            stop = true;
          } else if (o == SPOOL_ALL) {
            spoolAllLive();
          } else if (o instanceof Pending p) {
            if (state == State.DOWN || state == State.REJECTED) {
              if (p.replay == null && p.resolve()) {
                toSpool.add(p);
              } else if (p.replay != null) {
                p.replay.fail(p);
              }
            } else {
              send(p);
            }
          } else if (o instanceof Outcome out) {
            handle(out);
          }
        }
        if (!toSpool.isEmpty()) {
          spoolResolved(toSpool);
        }
        if (stop) {
          return;
        }
        sendDueRetries();
        if (state != State.UP && System.nanoTime() >= nextProbeNanos && !closing.get()) {
          probe();
        }
        if (state == State.UP && replay == null && System.nanoTime() >= nextReplayNanos) {
          startReplay();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("Elasticsearch sink sender failed; going on", e);
        sleepMillis(100);
      }
    }
  }

  private long waitMillis() {
    long now = System.nanoTime();
    long wait = 200;
    if (!retries.isEmpty()) {
      wait = Math.min(wait, TimeUnit.NANOSECONDS.toMillis(retries.peek().dueNanos - now));
    }
    if (state != State.UP) {
      wait = Math.min(wait, TimeUnit.NANOSECONDS.toMillis(nextProbeNanos - now));
    } else if (replay == null && !spool.isEmpty()) {
      wait = Math.min(wait, TimeUnit.NANOSECONDS.toMillis(nextReplayNanos - now));
    }
    return Math.max(1, wait);
  }

  private void send(Pending p) {
    if (p.isResolved()) {
      return;
    }
    if (state == State.STARTING && p.replay == null) {
      held.add(p);
      return;
    }
    if (state != State.UP) {
      if (p.replay == null) {
        if (p.resolve()) {
          spoolResolved(List.of(p));
        }
      } else {
        p.replay.fail(p);
      }
      return;
    }
    byte[] json = p.json();
    if (p.replay == null && p.accountedBytes == 0) {
      p.accountedBytes = json.length;
      pendingBytes.addAndGet(json.length);
    }
    ingester.add(
        BulkOperation.of(
            b ->
                b.create(
                    c ->
                        c.index(config.dataStream())
                            .id(p.id)
                            .document(BinaryData.of(json, "application/json")))),
        p);
  }

  private void sendDueRetries() {
    long now = System.nanoTime();
    while (!retries.isEmpty() && retries.peek().dueNanos <= now) {
      send(retries.poll());
    }
  }

  private void probe() {
    try {
      connection.setUp();
      setUpDone = true;
      if (state != State.UP) {
        LOG.info(
            "Elasticsearch at {} is reachable; delivering to {}{}",
            connection.endpoint(),
            config.dataStream(),
            spool.isEmpty() ? "" : " and replaying the spool (" + spool.bytes() + " bytes)");
      }
      lastError = null;
      probeBackoffMillis = config.retryInitialBackoff().toMillis();
      nextReplayNanos = System.nanoTime();
      state = State.UP;
    } catch (RuntimeException e) {
      boolean rejected = ElasticsearchConnection.isRejection(e);
      String message = e.getMessage();
      if (!Objects.equals(message, lastError)) {
        if (rejected) {
          LOG.error("{}", message);
        } else {
          LOG.warn("{}; spooling events to {}", message, config.spoolPath());
        }
      }
      lastError = message;
      state = rejected ? State.REJECTED : State.DOWN;
      scheduleProbe();
    }
    if (!held.isEmpty()) {
      List<Pending> decided = new ArrayList<>(held);
      held.clear();
      decided.forEach(this::send);
    }
  }

  private void scheduleProbe() {
    long jittered = jitter(probeBackoffMillis);
    nextProbeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(jittered);
    probeBackoffMillis = Math.min(probeBackoffMillis * 2, config.retryMaxBackoff().toMillis());
  }

  private void goDown(String reason, boolean rejected) {
    if (state == State.UP) {
      LOG.warn(
          "Elasticsearch delivery failed ({}); spooling events to {}", reason, config.spoolPath());
    }
    lastError = reason;
    state = rejected ? State.REJECTED : State.DOWN;
    setUpDone = setUpDone && !rejected;
    scheduleProbe();
    // Waiting retries would only meet the same wall: they wait in the spool instead.
    List<Pending> waiting = new ArrayList<>(retries);
    retries.clear();
    for (Pending p : waiting) {
      giveBack(p);
    }
  }

  private void startReplay() {
    DiskSpool.Segment seg = spool.oldest();
    if (seg == null) {
      acknowledgedBySegment.clear();
      return;
    }
    if (seg.unreadable() > 0 && !acknowledgedBySegment.containsKey(seg.number())) {
      LOG.warn(
          "Spool segment {} has {} unreadable (torn) lines; skipped",
          seg.number(),
          seg.unreadable());
      deadLettered.add(seg.unreadable());
    }
    Set<String> acked = acknowledgedBySegment.computeIfAbsent(seg.number(), k -> new HashSet<>());
    Replay r = new Replay(seg.number());
    List<Pending> toSend = new ArrayList<>();
    for (DiskSpool.Record rec : seg.records()) {
      if (!acked.contains(rec.id())) {
        Pending p = new Pending(rec.id(), rec.json());
        p.replay = r;
        toSend.add(p);
      }
    }
    r.outstanding = toSend.size();
    replay = r;
    if (toSend.isEmpty()) {
      finishReplay(r);
      return;
    }
    for (Pending p : toSend) {
      send(p);
    }
    ingester.flush();
  }

  private void finishReplay(Replay r) {
    if (replay == r) {
      replay = null;
    }
    if (r.failed) {
      nextReplayNanos =
          System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(jitter(probeBackoffMillis));
      return;
    }
    spool.delete(r.segment);
    acknowledgedBySegment.remove(r.segment);
    nextReplayNanos = System.nanoTime();
    inbox.offer(WAKE);
  }

  private void handle(Outcome out) {
    if (out.failure != null) {
      handleRequestFailure(out.contexts, out.failure);
      return;
    }
    List<BulkResponseItem> items = out.response.items();
    for (int i = 0; i < items.size() && i < out.contexts.size(); i++) {
      BulkResponseItem item = items.get(i);
      Pending p = out.contexts.get(i);
      int status = item.status();
      if (status / 100 == 2 || status == 409) {
        acknowledged(p);
      } else if (status == 429 || status >= 500) {
        retryLater(p);
      } else if (status == 401 || status == 403) {
        String reason = item.error() == null ? "HTTP " + status : item.error().reason();
        goDown(
            "Elasticsearch refused to let "
                + config.principal()
                + " write to "
                + config.dataStream()
                + " (HTTP "
                + status
                + ": "
                + reason
                + "); it needs the index privileges [create_doc, auto_configure] (role"
                + " llm_guard_writer)",
            true);
        giveBack(p);
      } else {
        String type = item.error() == null ? "unknown" : item.error().type();
        String reason = item.error() == null ? "HTTP " + status : item.error().reason();
        deadLetter(p, status, type, reason);
      }
    }
  }

  private void handleRequestFailure(List<Pending> contexts, Throwable failure) {
    int status = statusOf(failure);
    boolean rejected = status == 401 || status == 403;
    String reason =
        status > 0
            ? "HTTP " + status + " " + failure.getMessage()
            : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    if (status >= 400 && status < 500 && !rejected && status != 429 && status != 408) {
      // The whole request was refused for its content: nothing will cure it by waiting.
      for (Pending p : contexts) {
        deadLetter(p, status, "bulk_request_rejected", reason);
      }
      return;
    }
    if (rejected) {
      reason =
          "Elasticsearch rejected "
              + config.principal()
              + " (HTTP "
              + status
              + "); check the credentials and the role llm_guard_writer";
    }
    goDown(reason, rejected);
    for (Pending p : contexts) {
      giveBack(p);
    }
  }

  /** A live event goes to the spool; a replayed one stays in its segment. */
  private void giveBack(Pending p) {
    if (p.replay != null) {
      p.replay.fail(p);
    } else if (p.resolve()) {
      spoolResolved(List.of(p));
    }
  }

  private void retryLater(Pending p) {
    p.attempts++;
    if (p.attempts >= config.retryMaxAttempts()) {
      giveBack(p);
      return;
    }
    retried.increment();
    long base =
        Math.min(
            config.retryInitialBackoff().toMillis() << Math.min(p.attempts - 1, 20),
            config.retryMaxBackoff().toMillis());
    p.dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(jitter(base));
    retries.add(p);
  }

  private void acknowledged(Pending p) {
    if (p.replay != null) {
      delivered.increment();
      replayed.increment();
      acknowledgedBySegment.computeIfAbsent(p.replay.segment, k -> new HashSet<>()).add(p.id);
      p.replay.done();
    } else if (p.resolve()) {
      // Count first, then leave the live set: flush() returns once the set is empty.
      delivered.increment();
      release(p);
    }
  }

  private void release(Pending p) {
    live.remove(p);
    pendingBytes.addAndGet(-p.accountedBytes);
  }

  private void deadLetter(Pending p, int status, String type, String reason) {
    boolean count = p.replay != null || p.resolve();
    if (!count) {
      return;
    }
    deadLettered.increment();
    boolean written = deadLetters.write(p.id, status, type, reason, p.json());
    if (p.replay == null) {
      release(p);
    }
    LOG.warn(
        "Elasticsearch rejected event {} (HTTP {} {}: {}){}",
        p.id,
        status,
        type,
        reason,
        written ? "; kept in " + deadLetters.path() : "; dead-letter file full, not kept");
    if (p.replay != null) {
      acknowledgedBySegment.computeIfAbsent(p.replay.segment, k -> new HashSet<>()).add(p.id);
      p.replay.done();
    }
  }

  // ------------------------------------------------------------------------ spool helpers

  /** New events straight to the spool (Elasticsearch not reachable or queue full). */
  private void spoolNew(List<Pending> batch) {
    List<DiskSpool.Record> records = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      records.add(new DiskSpool.Record(p.id, p.json()));
    }
    writeSpool(records);
  }

  /** Live events already marked resolved by the caller. */
  private void spoolResolved(List<Pending> batch) {
    List<DiskSpool.Record> records = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      records.add(new DiskSpool.Record(p.id, p.json()));
    }
    // On disk and counted before they leave the live set: flush() returns once the set is empty.
    writeSpool(records);
    for (Pending p : batch) {
      live.remove(p);
      pendingBytes.addAndGet(-p.accountedBytes);
    }
  }

  private void writeSpool(List<DiskSpool.Record> records) {
    int written;
    synchronized (spoolLock) {
      try {
        written = spool.append(records);
      } catch (RuntimeException e) {
        LOG.error("Cannot spool {} events: {}", records.size(), e.toString());
        written = 0;
      }
    }
    spooled.add(written);
    if (written < records.size()) {
      dropped.add(records.size() - written);
      long now = System.nanoTime();
      long last = lastDropLogNanos.get();
      // At most one line per 10 s: a full spool under load must not flood the log.
      if (now - last > TimeUnit.SECONDS.toNanos(10) && lastDropLogNanos.compareAndSet(last, now)) {
        LOG.error(
            "Spool {} is full ({} bytes): events are being dropped ({} so far)",
            config.spoolPath(),
            config.spoolMaxBytes(),
            dropped.sum());
      }
    }
  }

  private void spoolAllLive() {
    List<Pending> grabbed = new ArrayList<>();
    for (Pending p : live) {
      if (p.resolve()) {
        grabbed.add(p);
      }
    }
    if (!grabbed.isEmpty()) {
      grabbed.sort((a, b) -> Long.compare(a.seq, b.seq));
      spoolResolved(grabbed);
    }
  }

  private boolean hasLiveUpTo(long seq) {
    for (Pending p : live) {
      if (p.seq <= seq) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------------ small helpers

  /**
   * The event mapper with Jackson's Blackbird module: records are serialised through generated
   * lambdas rather than reflective calls, which is most of the sender thread's CPU per event. The
   * JSON is byte-for-byte what {@link GuardEvents#toJson} writes (tested).
   */
  static final ObjectMapper WRITER =
      GuardEvents.mapper()
          .copy()
          .registerModule(new com.fasterxml.jackson.module.blackbird.BlackbirdModule());

  static byte[] serialise(GuardEvent e) {
    try {
      return WRITER.writeValueAsBytes(e);
    } catch (JsonProcessingException ex) {
      throw new ElasticsearchSinkException(
          "Cannot serialise event " + e.id() + ": " + ex.getMessage(), ex);
    }
  }

  private static int statusOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ElasticsearchException ee) {
        return ee.status();
      }
      if (c instanceof TransportException te) {
        return te.statusCode();
      }
      if (c instanceof org.elasticsearch.client.ResponseException re) {
        return re.getResponse().getStatusLine().getStatusCode();
      }
    }
    return -1;
  }

  private static long jitter(long millis) {
    long spread = Math.max(1, millis / 5);
    return Math.max(1, millis - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1));
  }

  private void closeIngesterBounded() {
    Thread t =
        new Thread(
            () -> {
              try {
                ingester.close();
              } catch (RuntimeException e) {
                LOG.debug("closing the bulk ingester: {}", e.toString());
              }
            },
            "llm-guard-elasticsearch-close");
    t.setDaemon(true);
    t.start();
    joinQuietly(t, 5_000);
  }

  private static void joinQuietly(Thread t, long millis) {
    try {
      t.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "ElasticsearchEventSink{" + config.dataStream() + ", " + stats() + "}";
  }

  // ------------------------------------------------------------------------ internals

  /** One event on its way; identity-based equality. */
  private static final class Pending {
    final String id;
    final GuardEvent event;
    final long seq;
    final AtomicBoolean resolved = new AtomicBoolean();
    private volatile byte[] json;

    /** Bytes counted in {@code pendingBytes} for this event (set by the sender). */
    volatile int accountedBytes;

    int attempts;
    long dueNanos;
    Replay replay;

    /** A live event; serialised later, off the caller's thread. */
    Pending(GuardEvent event, long seq) {
      this.id = Objects.requireNonNull(event.id(), "event.id");
      this.event = event;
      this.seq = seq;
    }

    /** A replayed event, already serialised. */
    Pending(String id, byte[] json) {
      this.id = Objects.requireNonNull(id, "event.id");
      this.event = null;
      this.json = json;
      this.seq = 0;
    }

    /** The document; serialised on first use (immutable event, so a race only repeats work). */
    byte[] json() {
      byte[] j = json;
      if (j == null) {
        j = serialise(event);
        json = j;
      }
      return j;
    }

    /** Marks the event as dealt with; only the first caller wins. */
    boolean resolve() {
      return resolved.compareAndSet(false, true);
    }

    boolean isResolved() {
      return replay == null && resolved.get();
    }
  }

  /** One spool segment being replayed; touched by the sender thread only. */
  private final class Replay {
    final long segment;
    int outstanding;
    boolean failed;

    Replay(long segment) {
      this.segment = segment;
    }

    void done() {
      if (--outstanding == 0) {
        finishReplay(this);
      }
    }

    void fail(Pending p) {
      failed = true;
      done();
    }
  }

  /** A bulk answer or failure, handed from the client's I/O thread to the sender. */
  private record Outcome(List<Pending> contexts, BulkResponse response, Throwable failure) {}

  private final class Listener implements BulkListener<Pending> {
    @Override
    public void beforeBulk(long executionId, BulkRequest request, List<Pending> contexts) {}

    @Override
    public void afterBulk(
        long executionId, BulkRequest request, List<Pending> contexts, BulkResponse response) {
      inbox.offer(new Outcome(List.copyOf(contexts), response, null));
    }

    @Override
    public void afterBulk(
        long executionId, BulkRequest request, List<Pending> contexts, Throwable failure) {
      inbox.offer(new Outcome(List.copyOf(contexts), null, failure));
    }
  }
}
