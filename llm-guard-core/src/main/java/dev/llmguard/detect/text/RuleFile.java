package dev.llmguard.detect.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads phrase rules from a class-path text file. Lines:
 *
 * <pre>
 * # comment
 * &#64;OVERRIDE = ignore|disregard|forget      (a word set; "+=" appends to it)
 * override-prior override 0.9: &#64;OVERRIDE +4 &#64;PRIOR +3 &#64;INSTR
 * </pre>
 *
 * A rule line is {@code name family weight: pattern} in {@link PhraseMatcher}'s syntax, where an
 * element may name word sets ({@code @SET}), mixed with literal words by {@code |}.
 */
public final class RuleFile {
  private RuleFile() {}

  /**
   * Loads and parses the rules.
   *
   * @throws IllegalStateException naming the resource and line when the file is missing or a line
   *     is malformed
   */
  public static List<PhraseMatcher.Rule> load(Class<?> anchor, String resource) {
    InputStream in = anchor.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("rule file not found on the class path: " + resource);
    }
    Map<String, String> sets = new LinkedHashMap<>();
    List<PhraseMatcher.Rule> rules = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        try {
          if (line.startsWith("@")) {
            boolean append = line.contains("+=");
            int eq = line.indexOf(append ? "+=" : "=");
            String name = line.substring(1, eq).strip();
            String value = line.substring(eq + (append ? 2 : 1)).strip();
            sets.merge(name, value, (a, b) -> append ? a + "|" + b : b);
            continue;
          }
          int colon = line.indexOf(':');
          String[] head = line.substring(0, colon).strip().split("\\s+");
          String pattern = expand(line.substring(colon + 1).strip(), sets);
          rules.add(new PhraseMatcher.Rule(head[0], head[1], Double.parseDouble(head[2]), pattern));
        } catch (RuntimeException e) {
          throw new IllegalStateException(
              resource + ":" + n + ": cannot parse rule line: " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(rules);
  }

  private static String expand(String pattern, Map<String, String> sets) {
    StringBuilder out = new StringBuilder();
    for (String el : pattern.split("\\s+")) {
      if (out.length() > 0) {
        out.append(' ');
      }
      if (el.startsWith("+")) {
        out.append(el);
        continue;
      }
      StringBuilder alts = new StringBuilder();
      for (String alt : el.split("\\|")) {
        String a = alt;
        if (a.startsWith("@")) {
          a = sets.get(a.substring(1));
          if (a == null) {
            throw new IllegalArgumentException("unknown word set " + alt);
          }
        }
        if (alts.length() > 0) {
          alts.append('|');
        }
        alts.append(a);
      }
      out.append(alts);
    }
    return out.toString();
  }
}
