package dev.llmguard.detect.custom;

/**
 * A view of a string that counts char reads and fails once a budget is spent. A user-supplied regex
 * that backtracks catastrophically reads the same chars over and over; with this view it stops
 * after a number of reads linear in the text length instead of running for hours. Not thread-safe:
 * one instance per scan.
 */
final class BudgetedText implements CharSequence {
  /** Thrown when the budget is spent. */
  static final class Exhausted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exhausted() {
      super(null, null, false, false);
    }
  }

  private final String text;
  private long remaining;

  BudgetedText(String text, long budget) {
    this.text = text;
    this.remaining = budget;
  }

  @Override
  public char charAt(int index) {
    if (--remaining < 0) {
      throw new Exhausted();
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return text.subSequence(start, end);
  }

  @Override
  public String toString() {
    return text;
  }
}
