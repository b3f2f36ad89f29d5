package dev.llmguard.spi;

/**
 * A half-open range {@code [start, end)} of UTF-16 char offsets into the scanned text.
 *
 * @param start first char covered, {@code >= 0}
 * @param end one past the last char covered, {@code >= start}
 */
public record Span(int start, int end) implements Comparable<Span> {

  public Span {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          "Span must satisfy 0 <= start <= end but was [" + start + ", " + end + ")");
    }
  }

  public static Span of(int start, int end) {
    return new Span(start, end);
  }

  public int length() {
    return end - start;
  }

  /** This span moved by {@code offset} chars (used when a window of a longer text was scanned). */
  public Span shift(int offset) {
    return new Span(start + offset, end + offset);
  }

  public boolean overlaps(Span other) {
    return start < other.end && other.start < end;
  }

  @Override
  public int compareTo(Span o) {
    return start != o.start ? Integer.compare(start, o.start) : Integer.compare(end, o.end);
  }
}
