package dev.llmguard.detect.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
}
