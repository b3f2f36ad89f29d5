package dev.llmguard.event;

import dev.llmguard.spi.EventSink;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events from the application's threads to the sinks, on its own daemon thread.
 *
 * <p>{@link #publish} never blocks: it puts the event in a bounded queue. When the queue is full
 * the event goes to the overflow file if one is configured ({@code spooled}), else it is {@code
 * dropped}; both are counted and logged. The dispatcher thread takes batches (up to {@link
 * Builder#batchSize} events, or what arrived within {@link Builder#linger}) and gives each to every
 * sink; a sink that throws has the batch counted as {@code failed} for it and does not affect other
 * sinks. {@link #flush} and {@link #close} deliver everything queued before they were called.
 *
 * <p>Thread-safe. Every event {@link #publish}ed ends up counted exactly once as delivered, failed,
 * dropped or spooled: {@code emitted = delivered + failed + dropped + spooled + pending}.
 */
public final class EventDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

  /** Default queue capacity: {@value} events. */
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

  /** Default batch size: {@value} events. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  /** Default linger: {@value} ms. */
  public static final long DEFAULT_LINGER_MS = 200;

  private final List<EventSink> sinks;
  private final BlockingQueue<GuardEvent> queue;
  private final int batchSize;
  private final long lingerNanos;
  private final Path overflowFile;
  private final Thread worker;
  private final Object overflowLock = new Object();

  private final AtomicLong emitted = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicInteger flushing =
      new java.util.concurrent.atomic.AtomicInteger();
  private long lastDropLog;

  private EventDispatcher(Builder b) {
    this.sinks = List.copyOf(b.sinks);
    this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
    this.batchSize = b.batchSize;
    this.lingerNanos = b.linger.toNanos();
    this.overflowFile = b.overflowFile;
    this.worker = new Thread(this::loop, "llm-guard-events");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A dispatcher over {@code sinks} with default settings. */
  public static EventDispatcher of(EventSink... sinks) {
    Builder b = builder();
    for (EventSink s : sinks) {
      b.sink(s);
    }
    return b.build();
  }

  /**
   * Queues {@code event} for delivery without blocking.
   *
   * @return {@code true} if queued, {@code false} if it overflowed (spooled or dropped, counted)
   */
  public boolean publish(GuardEvent event) {
    Objects.requireNonNull(event, "event");
    emitted.incrementAndGet();
    if (!closed && queue.offer(event)) {
      accepted.incrementAndGet();
      return true;
    }
    overflow(event, closed ? "the dispatcher is closed" : "the queue is full");
    return false;
  }

  private void overflow(GuardEvent event, String why) {
    if (overflowFile != null) {
      try {
        synchronized (overflowLock) {
          try (Writer w =
              Files.newBufferedWriter(
                  overflowFile,
                  StandardCharsets.UTF_8,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.APPEND)) {
            w.write(GuardEvents.toJson(event));
            w.write('\n');
          }
        }
        spooled.incrementAndGet();
        logOverflow(
            "Event " + event.id() + " written to overflow file " + overflowFile + ": " + why);
        return;
      } catch (IOException | RuntimeException e) {
        LOG.error(
            "Cannot write event {} to overflow file {}: {}",
            event.id(),
            overflowFile,
            e.toString());
      }
    }
    dropped.incrementAndGet();
    logOverflow(
        "Event " + event.id() + " dropped: " + why + " (dropped so far: " + dropped.get() + ")");
  }

  private synchronized void logOverflow(String message) {
    long now = System.nanoTime();
    if (now - lastDropLog > TimeUnit.SECONDS.toNanos(10)) {
      lastDropLog = now;
      LOG.warn(message);
    }
  }

  private void loop() {
    List<GuardEvent> batch = new ArrayList<>(batchSize);
    while (true) {
      try {
        GuardEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed && queue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(first);
        long until = System.nanoTime() + lingerNanos;
        while (batch.size() < batchSize) {
          GuardEvent next = queue.poll();
          if (next == null) {
            long left = until - System.nanoTime();
            if (left <= 0 || closed || flushing.get() > 0) {
              break;
            }
            next =
                queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)), TimeUnit.NANOSECONDS);
            if (next == null) {
              continue;
            }
          }
          batch.add(next);
        }
        deliver(batch);
        batch.clear();
      } catch (InterruptedException e) {
        if (!batch.isEmpty()) {
          deliver(batch);
          batch.clear();
        }
        if (closed && queue.isEmpty()) {
          return;
        }
      }
    }
  }

  private void deliver(List<GuardEvent> batch) {
    List<GuardEvent> view = List.copyOf(batch);
    boolean ok = true;
    for (EventSink sink : sinks) {
      try {
        sink.publish(view);
      } catch (Exception | LinkageError e) {
        ok = false;
        LOG.error(
            "Event sink '{}' failed on a batch of {} events: {}",
            safeId(sink),
            view.size(),
            e.toString(),
            e);
      }
    }
    if (ok) {
      delivered.addAndGet(view.size());
    } else {
      failed.addAndGet(view.size());
    }
    processed.addAndGet(view.size());
  }

  private static String safeId(EventSink sink) {
    try {
      return sink.id();
    } catch (RuntimeException e) {
      return sink.getClass().getName();
    }
  }

  /**
   * Waits until every event queued before this call has been handed to the sinks, then flushes
   * them.
   *
   * @return {@code true} if everything was handed over within {@code timeout}
   */
  public boolean flush(Duration timeout) {
    long target = accepted.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    flushing.incrementAndGet();
    try {
      while (processed.get() < target) {
        if (System.nanoTime() > deadline || !worker.isAlive()) {
          return false;
        }
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    } finally {
      flushing.decrementAndGet();
    }
    for (EventSink sink : sinks) {
      try {
        sink.flush();
      } catch (Exception | LinkageError e) {
        LOG.error("Event sink '{}' failed to flush: {}", safeId(sink), e.toString(), e);
      }
    }
    return true;
  }

  /** {@link #flush(Duration)} with 30 seconds. */
  public boolean flush() {
    return flush(Duration.ofSeconds(30));
  }

  /**
   * Stops taking events, delivers everything queued (waiting up to 30 s), closes the sinks.
   * Idempotent. Events published after closing overflow (spooled or dropped, counted).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    flush(Duration.ofSeconds(30));
    closed = true;
    try {
      worker.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (GuardEvent left; (left = queue.poll()) != null; ) {
      overflow(left, "the dispatcher closed before it could be delivered");
      processed.incrementAndGet();
    }
    for (EventSink sink : sinks) {
      try {
        sink.close();
      } catch (Exception | LinkageError e) {
        LOG.error("Event sink '{}' failed to close: {}", safeId(sink), e.toString(), e);
      }
    }
  }

  /** Counters since creation. */
  public Stats stats() {
    return new Stats(
        emitted.get(), delivered.get(), dropped.get(), failed.get(), spooled.get(), queue.size());
  }

  public List<EventSink> sinks() {
    return sinks;
  }

  /**
   * Counters of the dispatcher.
   *
   * @param emitted events published
   * @param delivered events every sink accepted
   * @param dropped events lost because the queue was full (and no overflow file was set)
   * @param failed events at least one sink threw on
   * @param spooled events written to the overflow file
   * @param queued events waiting now
   */
  public record Stats(
      long emitted, long delivered, long dropped, long failed, long spooled, long queued) {}

  /** Builder for {@link EventDispatcher}; validates values at once. Not thread-safe. */
  public static final class Builder {
    private final List<EventSink> sinks = new ArrayList<>();
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration linger = Duration.ofMillis(DEFAULT_LINGER_MS);
    private Path overflowFile;

    private Builder() {}

    public Builder sink(EventSink sink) {
      sinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    public Builder sinks(List<EventSink> sinks) {
      sinks.forEach(this::sink);
      return this;
    }

    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be at least 1 but was " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    public Builder batchSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1 but was " + size);
      }
      this.batchSize = size;
      return this;
    }

    public Builder linger(Duration linger) {
      if (linger.isNegative()) {
        throw new IllegalArgumentException("linger must not be negative but was " + linger);
      }
      this.linger = linger;
      return this;
    }

    /** JSON-lines file that takes events the queue cannot; {@code null} drops them (counted). */
    public Builder overflowFile(Path file) {
      this.overflowFile = file;
      return this;
    }

    public EventDispatcher build() {
      return new EventDispatcher(this);
    }
  }
}
