package dev.llmguard.cli;

import dev.llmguard.LlmGuardException;

/**
 * A line of an input file could not be used: not JSON, or missing a required field. The message
 * starts with {@code file:line:} so that editors and CI logs can jump to it.
 */
public final class MalformedInputException extends LlmGuardException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long line;

  public MalformedInputException(String file, long line, String problem) {
    super(file + ":" + line + ": " + problem);
    this.file = file;
    this.line = line;
  }

  /** The file name as given on the command line ({@code <stdin>} for standard input). */
  public String file() {
    return file;
  }

  /** One-based line number of the offending line. */
  public long line() {
    return line;
  }
}
