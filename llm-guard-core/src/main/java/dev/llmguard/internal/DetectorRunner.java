package dev.llmguard.internal;

import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.ScanInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a list of detectors over one input, turning failures and overruns into {@code
 * detector_error} findings. With a time budget the detectors run concurrently on a shared pool of
 * daemon threads and the caller waits at most the budget; with {@link Duration#ZERO} they run
 * inline in the caller's thread. Thread-safe.
 */
public final class DetectorRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DetectorRunner.class);
  private static final ExecutorService POOL = Executors.newCachedThreadPool(new DaemonFactory());

  private final long budgetNanos;

  public DetectorRunner(Duration budget) {
    this.budgetNanos = budget.toNanos();
  }

  public List<Finding> run(List<Detector> detectors, ScanInput input) {
    if (detectors.isEmpty()) {
      return List.of();
    }
    return budgetNanos <= 0 ? runInline(detectors, input) : runWithBudget(detectors, input);
  }

  private List<Finding> runInline(List<Detector> detectors, ScanInput input) {
    List<Finding> out = new ArrayList<>();
    for (Detector d : detectors) {
      try {
        addChecked(out, d, d.detect(input));
      } catch (RuntimeException | StackOverflowError e) {
        out.add(failure(d, e));
      }
    }
    return out;
  }

  private List<Finding> runWithBudget(List<Detector> detectors, ScanInput input) {
    List<Future<List<Finding>>> futures = new ArrayList<>(detectors.size());
    for (Detector d : detectors) {
      futures.add(POOL.submit(() -> d.detect(input)));
    }
    long deadline = System.nanoTime() + budgetNanos;
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i < detectors.size(); i++) {
      Detector d = detectors.get(i);
      Future<List<Finding>> f = futures.get(i);
      try {
        long wait = Math.max(0, deadline - System.nanoTime());
        addChecked(out, d, f.get(wait, TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        f.cancel(true);
        out.add(overrun(d));
      } catch (ExecutionException e) {
        out.add(failure(d, e.getCause()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        f.cancel(true);
        out.add(failure(d, e));
      }
    }
    return out;
  }

  private static void addChecked(List<Finding> out, Detector d, List<Finding> found) {
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
