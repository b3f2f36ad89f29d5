package dev.llmguard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads JSON-lines input, one object per line, keeping line numbers for error messages. */
public final class JsonLines {

  /** One parsed line. */
  public record Line(long number, JsonNode node) {}

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The shared, thread-safe mapper. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private final String name;
  private final BufferedReader reader;
  private long lineNumber;
  private long charsRead;

  public JsonLines(String name, BufferedReader reader) {
    this.name = name;
    this.reader = reader;
  }

  /** Characters consumed so far, line ends included; for progress reporting. */
  public long charsRead() {
    return charsRead;
  }

  public String name() {
    return name;
  }

  /**
   * The next non-blank line parsed as a JSON object, or {@code null} at the end of the input.
   *
   * @throws MalformedInputException when the line is not a JSON object
   * @throws UncheckedIOException when reading fails
   */
  public Line next() {
    try {
      String text;
      while ((text = reader.readLine()) != null) {
        lineNumber++;
        charsRead += text.length() + 1;
        if (text.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
          throw malformed(lineNumber, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
          throw malformed(lineNumber, "expected a JSON object but found " + describe(node));
        }
        return new Line(lineNumber, node);
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Every line of the input, validated as JSON objects. */
  public List<Line> readAll() {
    List<Line> out = new ArrayList<>();
    Line l;
    while ((l = next()) != null) {
      out.add(l);
    }
    return out;
  }

  public MalformedInputException malformed(long line, String problem) {
    return new MalformedInputException(name, line, problem);
  }

  private static String describe(JsonNode node) {
    return node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
