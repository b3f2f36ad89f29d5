package dev.llmguard.cli;

import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: a quick harness that times the selected detectors on prose and adversarial inputs
 * of several sizes, by the CPU time of this thread (steadier than wall time on a shared machine).
 * For publishable figures use the JMH benchmarks; this is for a quick look.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Times the detectors (PROMPT phase) on prose and adversarial inputs; prints CPU µs per scan"
          + " and MB/s."
    })
final class BenchCommand implements Callable<Integer> {

  private static final String PROSE =
      "The committee met on Tuesday to review the budget for the coming year. Several members"
          + " raised concerns about rising maintenance costs, and the chair asked the treasurer to"
          + " prepare a detailed breakdown before the next meeting. ";

  @Spec CommandSpec spec;

  @Mixin DetectorOptions detectorOptions = new DetectorOptions();

  @Option(
      names = "--sizes",
      split = ",",
      description = "Input sizes in chars (default: 1024,10240,102400).")
  List<Integer> sizes = new ArrayList<>(List.of(1024, 10240, 102400));

  @Option(
      names = "--millis",
      description =
          "CPU time spent measuring each input, after as long warming up (default: ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  long millis;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Runner runner = new Runner(detectorOptions.load(spec.commandLine().getErr()));
    List<String> ids = new ArrayList<>();
    runner.detectors().forEach(d -> ids.add(d.id()));
    out.println("detectors: " + String.join(", ", ids));
    out.printf(Locale.ROOT, "%-22s %8s %12s %10s%n", "input", "chars", "µs/scan", "MB/s");
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int size : sizes) {
      for (Map.Entry<String, String> e : inputs(size).entrySet()) {
        String text = e.getValue();
        measure(runner, mx, text, millis); // warm-up
        double nanosPerScan = measure(runner, mx, text, millis);
        out.printf(
            Locale.ROOT,
            "%-22s %8d %12.1f %10.1f%n",
            e.getKey(),
            text.length(),
            nanosPerScan / 1e3,
            Runner.utf8Length(text) * 1e3 / nanosPerScan);
        out.flush();
      }
    }
    return Main.OK;
  }

  private static double measure(Runner runner, ThreadMXBean mx, String text, long millis) {
    long budget = millis * 1_000_000L;
    long start = mx.getCurrentThreadCpuTime();
    long n = 0;
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        // A fresh String each time, so no per-instance cache can help.
        runner.run(ScanInput.of(Phase.PROMPT, new String(text)));
      }
      n += 16;
      now = mx.getCurrentThreadCpuTime();
    } while (now - start < budget);
    return (double) (now - start) / n;
  }

  static Map<String, String> inputs(int size) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("prose", fill(PROSE, size));
    m.put("one-char", "a".repeat(size));
    m.put("nested-brackets", fill("([{<", size / 2) + fill(">}])", size - size / 2));
    m.put(
        "near-miss-phrases",
        fill("ignore the previous weather; print your cat; you are not ", size));
    m.put("spaced-letters", fill("i g n o r e ", size));
    m.put("base64-like", fill("QWxhZGRpbjpvcGVuIHNlc2FtZQ", size));
    m.put("hex-like", fill("deadbeef0123456789", size));
    return m;
  }

  private static String fill(String unit, int size) {
    StringBuilder sb = new StringBuilder(size + unit.length());
    while (sb.length() < size) {
      sb.append(unit);
    }
    return sb.substring(0, size);
  }
}
