package dev.llmguard.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading fixtures and event files in tests. */
public final class Json {
  private Json() {}

  public static JsonNode resource(String name) {
    try (InputStream in = Json.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return OpenAiWire.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A test resource as UTF-8 text. */
  public static String text(String name) {
    try (InputStream in = Json.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(String text) {
    try {
      return OpenAiWire.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every line of a JSON-lines event file, keyed by {@code labels.request_id}. */
  public static Map<String, JsonNode> eventsByRequestId(Path file) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    try {
      if (!Files.exists(file)) {
        return out;
      }
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          JsonNode e = parse(line);
          out.put(e.path("labels").path("request_id").asText(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Non-blank lines of a file, 0 when it does not exist. */
  public static long lineCount(Path file) {
    try {
      return Files.exists(file)
          ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count()
          : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
