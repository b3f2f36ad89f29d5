package dev.llmguard.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar on standard error, drawn only when there is a terminal and the input is
 * long enough to be worth it. Redraws at most every 100 ms.
 */
final class Progress {
  private static final int WIDTH = 30;
  private final PrintStream err;
  private final boolean enabled;
  private final long total;
  private long lastDraw;
  private boolean drawn;

  /**
   * @param total expected amount of work (bytes of input), or {@code -1} when unknown
   */
  Progress(PrintStream err, boolean enabled, long total) {
    this.err = err;
    this.enabled = enabled;
    this.total = total;
  }

  static boolean terminalAttached() {
    return System.console() != null;
  }

  void update(long done, long items) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (drawn && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    drawn = true;
    if (total > 0) {
      int pct = (int) Math.min(100, done * 100 / total);
      int filled = pct * WIDTH / 100;
      err.print(
          "\r["
              + "#".repeat(filled)
              + ".".repeat(WIDTH - filled)
              + "] "
              + pct
              + "% "
              + items
              + " lines");
    } else {
      err.print("\r" + items + " lines");
    }
    err.flush();
  }

  void finish() {
    if (enabled && drawn) {
      err.print("\r" + " ".repeat(WIDTH + 30) + "\r");
      err.flush();
    }
  }
}
