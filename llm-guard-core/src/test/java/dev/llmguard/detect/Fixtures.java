package dev.llmguard.detect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the detector fixtures under {@code src/test/resources/fixtures/}. */
public final class Fixtures {
  private Fixtures() {}

  /** The whole file, UTF-8. */
  public static String text(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Non-blank lines that do not start with {@code #}, with {@code \n} turned into line breaks. */
  public static List<String> lines(String path) {
    List<String> out = new ArrayList<>();
    for (String line : text(path).split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        out.add(line.replace("\\n", "\n"));
      }
    }
    return out;
  }

  /** Tab-separated rows of {@link #lines}. */
  public static List<String[]> rows(String path) {
    List<String[]> out = new ArrayList<>();
    for (String line : lines(path)) {
      out.add(line.split("\t", -1));
    }
    return out;
  }
}
