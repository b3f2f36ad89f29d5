package dev.llmguard.detect.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;

/**
 * Reads fixture files: one sample per line, {@code #} starts a comment line, {@code \n} and {@code
 * \}{@code uXXXX} escapes are decoded so that samples can hold newlines and invisible chars.
 */
public final class Fixtures {
  private Fixtures() {}

  public static List<String> lines(String resource) {
    InputStream in = Fixtures.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalArgumentException("missing fixture " + resource);
    }
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        out.add(unescape(line));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char d = s.charAt(i + 1);
        if (d == 'n') {
          sb.append('\n');
          i++;
          continue;
        }
        if (d == 'u' && i + 5 < s.length()) {
          sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
          i += 5;
          continue;
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** The signal names of the first finding, empty when there is none. */
  public static List<String> signalNames(List<dev.llmguard.spi.Finding> findings) {
    return findings.stream()
        .findFirst()
        .map(f -> List.of(f.metadata().getOrDefault("signals", "").split(",")))
        .orElse(List.of());
  }

  /**
   * Checks every {@code <signal> | <text>} line of {@code resource} against a detector: with {@code
   * expectFired}, the signal must be among the text's signals and the score at least 0.5; otherwise
   * the signal must be absent ({@code -} checks only the score) and the score below 0.5. Every line
   * is checked and all failures are reported together.
   *
   * @param signals the signal names a text gets (empty when there is no finding)
   * @param score the text's score (0 when there is no finding)
   * @throws IllegalArgumentException for a line without {@code " | "}
   */
  public static void assertSignalLines(
      String resource,
      boolean expectFired,
      Function<String, List<String>> signals,
      Function<String, Double> score) {
    SoftAssertions softly = new SoftAssertions();
    for (String line : lines(resource)) {
      int bar = line.indexOf(" | ");
      if (bar < 0) {
        throw new IllegalArgumentException(
            "not a '<signal> | <text>' line in " + resource + ": " + line);
      }
      String signal = line.substring(0, bar);
      String text = line.substring(bar + 3);
      if (expectFired) {
        softly.assertThat(signals.apply(text)).as("signals of: %s", text).contains(signal);
        softly.assertThat(score.apply(text)).as("score of: %s", text).isGreaterThanOrEqualTo(0.5);
      } else {
        softly.assertThat(signals.apply(text)).as("signals of: %s", text).doesNotContain(signal);
        softly.assertThat(score.apply(text)).as("score of: %s", text).isLessThan(0.5);
      }
    }
    softly.assertAll();
  }
}
