package dev.llmguard.benchmarks;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Compares two builds of the benchmarks jar on the same inputs in one JVM, in alternating rounds,
 * by the CPU time of the scanning thread: on a machine that others share, load shifts between
 * rounds but hits both builds alike, so the ratio of their medians is steadier than two runs of JMH
 * one after the other. Each build lives in a class loader of its own (its own statics, its own
 * compiled code); the prompt-phase detectors run as {@link DetectorSet#scan} runs them.
 *
 * <pre>
 * java -cp benchmarks.jar dev.llmguard.benchmarks.CompareBuilds OLD.jar NEW.jar \
 *     DETECTORS INPUTS SIZES [VARIANTS [MILLIS [ROUNDS]]]
 * </pre>
 *
 * {@code DETECTORS} is a comma-separated list of ids or {@code all} (every discovered detector);
 * {@code INPUTS} names from {@link Texts#NAMES} or {@code file:PATH[?label=L]} (real texts from a
 * JSON-lines file, read by this build, so older builds can be measured on them too); defaults: 1
 * variant, 200 ms a round, 11 rounds. Prints, per input and size, the median (and least) µs per
 * scan of each build and their ratio.
 */
public final class CompareBuilds {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CompareBuilds() {}

  /** One build's scan of the next input, as a plain call. */
  private interface Scan {
    int next() throws Throwable;
  }

  public static void main(String[] args) throws Throwable {
    if (args.length < 5) {
      System.err.println(
          "usage: CompareBuilds OLD.jar NEW.jar DETECTORS INPUTS SIZES"
              + " [VARIANTS [MILLIS [ROUNDS]]]");
      System.exit(2);
    }
    int variants = args.length > 5 ? Integer.parseInt(args[5]) : 1;
    long millis = args.length > 6 ? Long.parseLong(args[6]) : 200;
    int rounds = args.length > 7 ? Integer.parseInt(args[7]) : 11;
    System.out.printf(
        Locale.ROOT,
        "%-20s %7s %3s %12s %12s %12s %12s %7s%n",
        "input",
        "size",
        "var",
        "old med µs",
        "old min µs",
        "new med µs",
        "new min µs",
        "new/old");
    for (String input : args[3].split(",")) {
      for (String size : args[4].split(",")) {
        Scan[] scans = {
          scan(args[0], args[2], input, Integer.parseInt(size), variants),
          scan(args[1], args[2], input, Integer.parseInt(size), variants)
        };
        double[][] perScan = new double[2][rounds];
        // Three rounds of warm-up, then the builds take turns starting a round.
        for (int r = -3; r < rounds; r++) {
          for (int k = 0; k < 2; k++) {
            int build = (r & 1) == 0 ? k : 1 - k;
            double micros = measure(scans[build], millis);
            if (r >= 0) {
              perScan[build][r] = micros;
            }
          }
        }
        Arrays.sort(perScan[0]);
        Arrays.sort(perScan[1]);
        double oldMedian = perScan[0][rounds / 2];
        double newMedian = perScan[1][rounds / 2];
        System.out.printf(
            Locale.ROOT,
            "%-20s %7s %3d %12.2f %12.2f %12.2f %12.2f %7.3f%n",
            input,
            size,
            variants,
            oldMedian,
            perScan[0][0],
            newMedian,
            perScan[1][0],
            newMedian / oldMedian);
      }
    }
  }

  /** CPU µs per scan over at least {@code millis} ms of this thread's CPU time. */
  private static double measure(Scan scan, long millis) throws Throwable {
    long start = THREADS.getCurrentThreadCpuTime();
    long now;
    long scans = 0;
    int sink = 0;
    do {
      for (int k = 0; k < 4; k++) {
        sink += scan.next();
      }
      scans += 4;
      now = THREADS.getCurrentThreadCpuTime();
    } while (now - start < millis * 1_000_000L);
    if (sink == Integer.MIN_VALUE) {
      System.out.print("");
    }
    return (now - start) / 1000.0 / scans;
  }

  /** The scan of {@code input} by the detectors of the build in {@code jar}. */
  private static Scan scan(String jar, String detectors, String input, int size, int variants)
      throws Exception {
    URLClassLoader loader =
        new URLClassLoader(
            new URL[] {new File(jar).toURI().toURL()}, ClassLoader.getPlatformClassLoader());
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    // ServiceLoader discovery reads the context class loader.
    Thread.currentThread().setContextClassLoader(loader);
    try {
      Class<?> set = loader.loadClass(DetectorSet.class.getName());
      Class<?> alternating = loader.loadClass(DetectorSet.Alternating.class.getName());
      Class<?> phase = loader.loadClass("dev.llmguard.spi.Phase");
      Class<?> scanInput = loader.loadClass("dev.llmguard.spi.ScanInput");
      List<Object> chosen = new ArrayList<>();
      if (detectors.equals("all")) {
        chosen.addAll((List<?>) set.getMethod("discover").invoke(null));
      } else {
        Method byId = set.getMethod("byId", String.class);
        for (String id : detectors.split(",")) {
          chosen.add(byId.invoke(null, id));
        }
      }
      Method promptInput = set.getMethod("promptInput", String.class);
      Function<String, Object> build =
          text -> {
            try {
              return promptInput.invoke(null, text);
            } catch (ReflectiveOperationException e) {
              throw new IllegalStateException(e);
            }
          };
      Object inputs;
      if (input.startsWith(Texts.FILE_PREFIX)) {
        // Real texts are read by this build's Texts, so an older build can be measured on them.
        List<String> texts = new ArrayList<>();
        for (int v = 0; v < variants; v++) {
          texts.add(Texts.of(input, size, v));
        }
        inputs = alternating.getMethod("of", List.class, Function.class).invoke(null, texts, build);
      } else {
        inputs =
            alternating
                .getMethod("of", String.class, int.class, int.class, Function.class)
                .invoke(null, input, size, variants, build);
      }
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodHandle next = lookup.unreflect(alternating.getMethod("next")).bindTo(inputs);
      MethodHandle run = lookup.unreflect(set.getMethod("scan", List.class, phase, scanInput));
      Object prompt = phase.getField("PROMPT").get(null);
      return () -> (int) run.invoke(chosen, prompt, next.invoke());
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }
}
