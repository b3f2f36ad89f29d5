package dev.llmguard.internal;

import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.ScanInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a list of detectors over one input, turning failures and overruns into {@code
 * detector_error} findings. Thread-safe.
 *
 * <p>With {@link Duration#ZERO} every detector runs inline in the caller's thread, with no budget.
 * With a time budget the caller waits at most the budget for the phase, and a detector that has not
 * finished by then is reported as overrun (and interrupted). Handing each detector to a pool thread
 * costs far more than a built-in detector's scan of a short text (a thread wake-up is tens of
 * microseconds; the built-in set scans a kilobyte in about as much), so:
 *
 * <ul>
 *   <li>built-in detectors (package {@code dev.llmguard.detect}, linear cost, no I/O) run inline
 *       when the input is at most {@value #INLINE_MAX_CHARS} chars and that length's worst-case
 *       cost is far below the budget — they cannot overrun it there;
 *   <li>every other detector runs in ONE pooled task per phase that takes the detectors one after
 *       the other; if the phase is still running after {@value #FAN_OUT_MICROS} µs (or an eighth of
 *       the budget, whichever is less), more pool threads join and take the detectors not yet
 *       started, so one slow detector cannot starve the others.
 * </ul>
 */
public final class DetectorRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DetectorRunner.class);
  private static final ExecutorService POOL = Executors.newCachedThreadPool(new DaemonFactory());

  /** Longest input (all text fields) on which built-in detectors run in the caller's thread. */
  static final int INLINE_MAX_CHARS = 65_536;

  /**
   * Worst-case cost per char assumed for the built-in set (about 2 MB/s, 25× slower than its prose
   * speed): inline only when this estimate is at most a quarter of the budget.
   */
  static final long INLINE_NANOS_PER_CHAR = 500;

  /** After this long the phase's pooled task gets helpers for the detectors not yet started. */
  static final long FAN_OUT_MICROS = 2_000;

  /** How long the caller spins before parking: a park and unpark cost more than a short scan. */
  private static final long SPIN_NANOS = 20_000;

  private static final String BUILT_IN_PACKAGE = "dev.llmguard.detect.";

  private final long budgetNanos;

  public DetectorRunner(Duration budget) {
    this.budgetNanos = budget.toNanos();
  }

  /**
   * Runs {@code detectors} over {@code input}.
   *
   * @return the findings in detector order, with a {@code detector_error} finding for each detector
   *     that threw, returned null or overran the budget; never null
   */
  public List<Finding> run(List<Detector> detectors, ScanInput input) {
    if (detectors.isEmpty()) {
      return List.of();
    }
    return budgetNanos <= 0 ? runInline(detectors, input) : runWithBudget(detectors, input);
  }

  private List<Finding> runInline(List<Detector> detectors, ScanInput input) {
    List<Finding> out = new ArrayList<>();
    for (Detector d : detectors) {
      addChecked(out, d, detectCatching(d, input));
    }
    return out;
  }

  private List<Finding> runWithBudget(List<Detector> detectors, ScanInput input) {
    long start = System.nanoTime();
    boolean small = inlineSafeLength(input);
    int n = detectors.size();
    Object[] results = new Object[n];
    List<Detector> pooled = null;
    int[] pooledIndex = null;
    for (int i = 0; i < n; i++) {
      if (!small || !isBuiltIn(detectors.get(i))) {
        if (pooled == null) {
          pooled = new ArrayList<>(n);
          pooledIndex = new int[n];
        }
        pooledIndex[pooled.size()] = i;
        pooled.add(detectors.get(i));
      }
    }
    PhaseTask task = null;
    if (pooled != null) {
      task = new PhaseTask(pooled, input, Thread.currentThread());
      task.start();
    }
    for (int i = 0; i < n; i++) {
      if (small && isBuiltIn(detectors.get(i))) {
        results[i] = detectCatching(detectors.get(i), input);
      }
    }
    if (task != null) {
      task.await(start + budgetNanos, start + Math.min(FAN_OUT_MICROS * 1_000, budgetNanos / 8));
      for (int k = 0; k < pooled.size(); k++) {
        results[pooledIndex[k]] = task.resultOrOverrun(k);
      }
    }
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Detector d = detectors.get(i);
      Object r = results[i];
      if (r == OVERRUN) {
        out.add(overrun(d));
      } else {
        addChecked(out, d, r);
      }
    }
    return out;
  }

  /** Whether the built-in set's worst case on this input is far below the budget. */
  private boolean inlineSafeLength(ScanInput input) {
    long chars =
        (long) input.text().length() + input.systemPrompt().length() + input.prompt().length();
    return chars <= INLINE_MAX_CHARS && chars * INLINE_NANOS_PER_CHAR <= budgetNanos / 4;
  }

  /**
   * Built-in detectors have a proven linear cost and never block; a class from another loader that
   * merely uses the package name does not count.
   */
  static boolean isBuiltIn(Detector d) {
    return BUILT_IN.get(d.getClass());
  }

  /** Computed once per detector class; asked twice per detector and phase. */
  private static final ClassValue<Boolean> BUILT_IN =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
          return c.getName().startsWith(BUILT_IN_PACKAGE)
              && c.getClassLoader() == DetectorRunner.class.getClassLoader();
        }
      };

  /** The detector's result, or a {@link Failure}. */
  private static Object detectCatching(Detector d, ScanInput input) {
    try {
      return d.detect(input);
    } catch (RuntimeException | StackOverflowError e) {
      return new Failure(e);
    }
  }

  private static final Object OVERRUN = new Object();

  /** Stands for a detector's null result in a slot where null means "not finished". */
  private static final Object NULL_RESULT = new Object();

  private record Failure(Throwable cause) {}

  /**
   * The pooled detectors of one phase. Workers claim detectors by index, one at a time; the caller
   * parks until all are done or the deadline passes. A worker registers the detector it runs under
   * the task's lock, so that the caller interrupts exactly the workers still inside this phase.
   */
  private static final class PhaseTask implements Runnable {
    private final List<Detector> detectors;
    private final ScanInput input;
    private final Thread caller;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicReferenceArray<Object> results;
    private final Thread[] running;
    private boolean abandoned; // guarded by this
    private Failure interrupted; // set by the caller only

    PhaseTask(List<Detector> detectors, ScanInput input, Thread caller) {
      this.detectors = detectors;
      this.input = input;
      this.caller = caller;
      this.results = new AtomicReferenceArray<>(detectors.size());
      this.running = new Thread[detectors.size()];
    }

    void start() {
      helpers(1);
    }

    private void helpers(int count) {
      for (int k = 0; k < count; k++) {
        try {
          POOL.execute(this);
        } catch (RejectedExecutionException e) {
          return; // the workers already started will carry on; an overrun is reported as such
        }
      }
    }

    @Override
    public void run() {
      int n = detectors.size();
      for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
        synchronized (this) {
          if (abandoned) {
            return;
          }
          running[i] = Thread.currentThread();
        }
        Object r;
        try {
          r = detectors.get(i).detect(input);
        } catch (Throwable e) { // whatever a third-party detector throws is its failure
          r = new Failure(e);
        }
        synchronized (this) {
          running[i] = null;
          if (abandoned) {
            Thread.interrupted(); // an interrupt meant for this phase must not leak into the pool
            return;
          }
        }
        results.set(i, r == null ? NULL_RESULT : r);
        if (done.incrementAndGet() == n) {
          LockSupport.unpark(caller);
        }
      }
    }

    /** Waits until every detector finished or {@code deadline}; adds helpers at {@code fanOut}. */
    void await(long deadline, long fanOut) {
      int n = detectors.size();
      boolean fannedOut = n == 1;
      long spinUntil = System.nanoTime() + SPIN_NANOS;
      while (done.get() < n) {
        long now = System.nanoTime();
        if (now - deadline >= 0) {
          abandon();
          return;
        }
        if (now - spinUntil < 0) {
          Thread.onSpinWait();
          continue;
        }
        if (!fannedOut && now - fanOut >= 0) {
          fannedOut = true;
          helpers(Math.max(0, n - next.get()));
        }
        long wake = fannedOut ? deadline : Math.min(deadline, fanOut);
        LockSupport.parkNanos(this, Math.max(1, wake - now));
        if (Thread.interrupted()) {
          interrupted = new Failure(new InterruptedException("interrupted while waiting"));
          abandon();
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    /** Stops every worker from starting another detector and interrupts the ones still running. */
    private synchronized void abandon() {
      abandoned = true;
      for (Thread t : running) {
        if (t != null) {
          t.interrupt();
        }
      }
    }

    Object resultOrOverrun(int k) {
      Object r = results.get(k);
      if (r == NULL_RESULT) {
        return null; // the detector's own null, reported as such
      }
      return r != null ? r : interrupted != null ? interrupted : OVERRUN;
    }
  }

  private static void addChecked(List<Finding> out, Detector d, Object result) {
    if (result instanceof Failure f) {
      out.add(failure(d, f.cause));
      return;
    }
    @SuppressWarnings("unchecked")
    List<Finding> found = (List<Finding>) result;
    if (found == null) {
      out.add(error(d, "returned null instead of a list"));
      return;
    }
    out.addAll(found);
  }

  private Finding overrun(Detector d) {
    LOG.warn("Detector '{}' exceeded its time budget of {} ms", d.id(), budgetNanos / 1_000_000);
    return error(d, "exceeded its time budget of " + (budgetNanos / 1_000_000) + " ms");
  }

  private static Finding failure(Detector d, Throwable e) {
    LOG.warn("Detector '{}' failed: {}", d.id(), e.toString(), e);
    return error(d, "failed: " + e.getClass().getSimpleName());
  }

  private static Finding error(Detector d, String what) {
    return Finding.builder(d.id(), Category.DETECTOR_ERROR)
        .score(1.0)
        .confidence(Confidence.HIGH)
        .message("detector " + d.id() + " " + what)
        .build();
  }

  private static final class DaemonFactory implements ThreadFactory {
    private final AtomicInteger n = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "llm-guard-detector-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
