package dev.llmguard.detect.text;

import dev.llmguard.spi.Span;
import java.util.List;

/**
 * Spans kept as one {@code long} each while a detector scans ({@code start << 32 | end}, both
 * non-negative), so that collecting them allocates nothing per span; turned into the finding's
 * {@link Span} list once, at the end. Stateless and thread-safe.
 */
public final class PackedSpans {

  private PackedSpans() {}

  /** {@code [start, end)} packed; both must be non-negative. */
  public static long pack(int start, int end) {
    return (long) start << 32 | (end & 0xFFFF_FFFFL);
  }

  /** The start of a packed span. */
  public static int start(long packed) {
    return (int) (packed >>> 32);
  }

  /** The end of a packed span. */
  public static int end(long packed) {
    return (int) packed;
  }

  /**
   * The packed spans {@code packed[0, n)}, in that order, as an immutable list; up to three spans
   * need no array besides the list itself.
   */
  public static List<Span> toList(long[] packed, int n) {
    switch (n) {
      case 0:
        return List.of();
      case 1:
        return List.of(span(packed[0]));
      case 2:
        return List.of(span(packed[0]), span(packed[1]));
      case 3:
        return List.of(span(packed[0]), span(packed[1]), span(packed[2]));
      default:
        Span[] out = new Span[n];
        for (int i = 0; i < n; i++) {
          out[i] = span(packed[i]);
        }
        return List.of(out);
    }
  }

  private static Span span(long packed) {
    return new Span(start(packed), end(packed));
  }
}
