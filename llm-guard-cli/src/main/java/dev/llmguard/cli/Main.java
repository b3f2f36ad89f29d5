package dev.llmguard.cli;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Phase;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code llm-guard} command line: {@code scan}, {@code eval}, {@code bench} and
 * {@code train-jailbreak}.
 *
 * <p>Exit codes: {@value #OK} success, {@value #FAILURE} unexpected error, {@value #USAGE} bad
 * options, {@value #DATA_ERROR} malformed input (the message names file and line), {@value
 * #IO_ERROR} a file that cannot be read.
 */
@Command(
    name = "llm-guard",
    mixinStandardHelpOptions = true,
    version = "llm-guard 0.1.0",
    description = "Runs llm-guard detectors over JSON lines and measures them on labelled data.",
    subcommands = {
      ScanCommand.class,
      EvalCommand.class,
      BenchCommand.class,
      TrainJailbreakCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int DATA_ERROR = 3;
  public static final int IO_ERROR = 4;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** A configured picocli command line; tests set its out and err writers. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          cmd.getErr().println("llm-guard: " + message(ex));
          cmd.getErr().flush();
          return exitCode(ex);
        });
    return cl;
  }

  static int exitCode(Throwable ex) {
    if (ex instanceof MalformedInputException) {
      return DATA_ERROR;
    }
    if (ex instanceof GuardConfigurationException) {
      return USAGE;
    }
    if (ex instanceof NoSuchFileException
        || ex instanceof java.io.IOException
        || ex instanceof UncheckedIOException) {
      return IO_ERROR;
    }
    return FAILURE;
  }

  private static String message(Throwable ex) {
    if (ex instanceof NoSuchFileException) {
      return "no such file: " + ex.getMessage();
    }
    if (ex instanceof MalformedInputException || ex instanceof GuardConfigurationException) {
      return ex.getMessage();
    }
    return ex.getClass().getSimpleName() + ": " + ex.getMessage();
  }

  static Phase parsePhase(String phase) {
    try {
      return Phase.valueOf(phase.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new GuardConfigurationException(
          "Unknown phase '" + phase + "'; expected prompt or response");
    }
  }
}
