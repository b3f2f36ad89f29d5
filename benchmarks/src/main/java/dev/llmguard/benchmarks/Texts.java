package dev.llmguard.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Benchmark inputs of an exact length: ordinary prose (sentences from {@code prose-sentences.txt},
 * shuffled with a fixed seed into paragraphs) and adversarial texts that aim at every pattern
 * family (runs of one character, nested brackets, near-misses). Deterministic: the same name and
 * size always give the same text.
 *
 * <p>A name {@code file:PATH} or {@code file:PATH?label=L} stands for real texts: the {@code text}
 * fields of a JSON-lines file (only the lines whose {@code label} is {@code L}), joined by blank
 * lines in file order and cut to the size; variant {@code v} starts {@code v} sixty-fourths into
 * the file. Use it to measure on your own prompts (for example the benign rows of an eval file).
 */
public final class Texts {

  /** The input names understood by {@link #of}. */
  public static final List<String> NAMES =
      List.of(
          "prose",
          "one-char",
          "brackets",
          "ignore-repeated",
          "akia-repeated",
          "at-signs",
          "digit-runs",
          "image-open-repeated",
          "base64-runs",
          "near-misses");

  private static final List<String> SENTENCES = loadSentences();

  /** Fragments that each start like something a detector looks for, and then are not. */
  private static final String[] NEAR_MISSES = {
    "ignore ignore ignore the ",
    "disregard previous ",
    "you are now ",
    "<|im_start|",
    "[INST",
    "### System ",
    "AKIAAKIA ",
    "ghp_ghp_ ",
    "sk-sk-proj- ",
    "xoxb- ",
    "eyJhbGciOi ",
    "-----BEGIN ",
    "password = ",
    "postgres://user@ ",
    "user@@example ",
    "+44 20 ",
    "4111 1111 ",
    "DE89 3704 ",
    "123-45- ",
    "192.168.1. ",
    "![](",
    "[x](http://",
    "<img src=",
    "javascript ",
    "xn-- ",
    "I can not ",
    "As an ",
    "\u200B\u200C ",
    "\uDB40\uDC41 ",
    "aGVsbG8gd29y ",
    "%69%67%6e ",
    "\\u0069\\u0067 ",
  };

  private Texts() {}

  /**
   * The text called {@code name} with exactly {@code size} chars.
   *
   * @throws IllegalArgumentException for a name not in {@link #NAMES}
   */
  public static String of(String name, int size) {
    if (name.startsWith(FILE_PREFIX)) {
      return fromFile(name, size, 0);
    }
    return switch (name) {
      case "prose" -> prose(size, 42);
      case "one-char" -> "a".repeat(size);
      case "brackets" -> brackets(size);
      case "ignore-repeated" -> repeat("ignore ", size);
      case "akia-repeated" -> repeat("AKIA", size);
      case "at-signs" -> "@".repeat(size);
      case "digit-runs" -> repeat("0123456789", size);
      case "image-open-repeated" -> repeat("![](", size);
      case "base64-runs" -> base64(size, 7);
      case "near-misses" -> nearMisses(size);
      default ->
          throw new IllegalArgumentException(
              "Unknown input '" + name + "'; expected one of " + NAMES);
    };
  }

  /**
   * Variant {@code variant} of the text called {@code name}, of exactly {@code size} chars: the
   * same kind of text with other content (other sentences, other random runs, the near-misses from
   * another starting point); variant 0 is {@link #of(String, int)}. Texts made of one repeated unit
   * have a single variant.
   *
   * @throws IllegalArgumentException for a name not in {@link #NAMES}
   */
  public static String of(String name, int size, int variant) {
    if (variant == 0) {
      return of(name, size);
    }
    if (name.startsWith(FILE_PREFIX)) {
      return fromFile(name, size, variant);
    }
    return switch (name) {
      case "prose" -> prose(size, 42 + variant);
      case "base64-runs" -> base64(size, 7 + variant);
      case "near-misses" -> nearMisses(size, variant);
      default -> of(name, size);
    };
  }

  /** Ordinary prose: shuffled sentences, paragraphs of three to six sentences. */
  public static String prose(int size, long seed) {
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder(size + 200);
    int inParagraph = 0;
    int paragraphLength = 3 + random.nextInt(4);
    while (sb.length() < size) {
      if (inParagraph == paragraphLength) {
        sb.append("\n\n");
        inParagraph = 0;
        paragraphLength = 3 + random.nextInt(4);
      } else if (inParagraph > 0) {
        sb.append(' ');
      }
      sb.append(SENTENCES.get(random.nextInt(SENTENCES.size())));
      inParagraph++;
    }
    return cut(sb, size);
  }

  private static String brackets(int size) {
    // Deep nesting first, then closers, so a parser sees both an opening flood and a closing one.
    StringBuilder sb = new StringBuilder(size);
    String open = "[({<";
    String close = ">})]";
    while (sb.length() < size) {
      int depth = Math.min(2048, (size - sb.length()) / 8 + 1);
      for (int i = 0; i < depth; i++) {
        sb.append(open);
      }
      for (int i = 0; i < depth; i++) {
        sb.append(close);
      }
    }
    return cut(sb, size);
  }

  private static String base64(int size, long seed) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder(size);
    while (sb.length() < size) {
      int run = 200 + random.nextInt(400);
      for (int i = 0; i < run; i++) {
        sb.append(alphabet.charAt(random.nextInt(64)));
      }
      sb.append("== ");
    }
    return cut(sb, size);
  }

  private static String nearMisses(int size) {
    return nearMisses(size, 0);
  }

  private static String nearMisses(int size, int first) {
    StringBuilder sb = new StringBuilder(size + 64);
    int i = first;
    while (sb.length() < size) {
      sb.append(NEAR_MISSES[i++ % NEAR_MISSES.length]);
    }
    return cut(sb, size);
  }

  /** Prefix of input names that read texts from a JSON-lines file. */
  public static final String FILE_PREFIX = "file:";

  private static final java.util.Map<String, List<String>> FILES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Texts of a JSON-lines file joined to exactly {@code size} chars.
   *
   * @throws IllegalArgumentException when the file cannot be read, a line is not JSON, or no line
   *     has a {@code text} (with the label asked for)
   */
  static String fromFile(String name, int size, int variant) {
    List<String> texts = FILES.computeIfAbsent(name, Texts::loadFile);
    StringBuilder sb = new StringBuilder(size + 1024);
    int i = (int) ((long) variant * (texts.size() / 64 + 1) % texts.size());
    while (sb.length() < size) {
      if (sb.length() > 0) {
        sb.append("\n\n");
      }
      sb.append(texts.get(i));
      i = i + 1 == texts.size() ? 0 : i + 1;
    }
    return cut(sb, size);
  }

  private static List<String> loadFile(String name) {
    String spec = name.substring(FILE_PREFIX.length());
    String label = null;
    int q = spec.lastIndexOf("?label=");
    if (q >= 0) {
      label = spec.substring(q + "?label=".length());
      spec = spec.substring(0, q);
    }
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> out = new ArrayList<>();
    try {
      int lineNo = 0;
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(spec))) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        com.fasterxml.jackson.databind.JsonNode node;
        try {
          node = mapper.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException(spec + ":" + lineNo + ": not JSON: " + e.getMessage());
        }
        var text = node.get("text");
        var l = node.get("label");
        if (text != null
            && text.isTextual()
            && !text.asText().isEmpty()
            && (label == null || l != null && label.equals(l.asText()))) {
          out.add(text.asText());
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + spec + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          spec + " has no line with a \"text\"" + (label == null ? "" : " and label " + label));
    }
    return List.copyOf(out);
  }

  private static String repeat(String unit, int size) {
    StringBuilder sb = new StringBuilder(size + unit.length());
    while (sb.length() < size) {
      sb.append(unit);
    }
    return cut(sb, size);
  }

  /** Cuts to exactly {@code size} chars without splitting a surrogate pair. */
  private static String cut(StringBuilder sb, int size) {
    int end = size;
    if (end > 0 && end < sb.length() && Character.isHighSurrogate(sb.charAt(end - 1))) {
      sb.setCharAt(end - 1, ' ');
    }
    return sb.substring(0, end);
  }

  private static List<String> loadSentences() {
    try (InputStream in = Texts.class.getResourceAsStream("/prose-sentences.txt")) {
      if (in == null) {
        throw new IllegalStateException("prose-sentences.txt is missing from the classpath");
      }
      List<String> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          out.add(line.strip());
        }
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
