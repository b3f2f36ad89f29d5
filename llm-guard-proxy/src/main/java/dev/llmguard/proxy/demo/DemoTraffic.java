package dev.llmguard.proxy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.GuardConfigurationException;
import dev.llmguard.proxy.OpenAiWire;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's scripted requests ({@value #RESOURCE}): a shared system prompt and a list of named
 * requests, each with its endpoint, end-user id, user text and whether to stream. Immutable.
 */
public final class DemoTraffic {

  /** The classpath resource: {@value}. */
  public static final String RESOURCE = "dev/llmguard/proxy/demo/traffic.json";

  /** One scripted request; {@link #name} carries {@code #n} when the request is repeated. */
  public record Item(
      String name, String kind, String endpoint, boolean stream, String user, String text) {}

  private final String system;
  private final List<Item> items;

  private DemoTraffic(String system, List<Item> items) {
    this.system = system;
    this.items = List.copyOf(items);
  }

  /**
   * @throws GuardConfigurationException when the resource is missing or malformed
   */
  public static DemoTraffic load() {
    try (InputStream in = DemoTraffic.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new GuardConfigurationException(RESOURCE + " is not on the classpath");
      }
      JsonNode root = OpenAiWire.MAPPER.readTree(in);
      List<Item> items = new ArrayList<>();
      for (JsonNode r : root.path("requests")) {
        // "repeat_text" × "repeat" is appended to "text": a large paste without a large file.
        String text =
            r.path("text").asText()
                + r.path("repeat_text")
                    .asText("")
                    .repeat(Math.max(0, Math.min(10_000, r.path("repeat").asInt(0))));
        // "times": n sends the request n times, named name#1 … name#n.
        int times = Math.max(1, Math.min(100, r.path("times").asInt(1)));
        for (int i = 1; i <= times; i++) {
          items.add(
              new Item(
                  r.path("name").asText() + (times > 1 ? "#" + i : ""),
                  r.path("kind").asText("benign"),
                  r.path("endpoint").asText("/proxy/openai"),
                  r.path("stream").asBoolean(false),
                  r.path("user").asText(null),
                  text));
        }
      }
      if (items.isEmpty()) {
        throw new GuardConfigurationException(RESOURCE + " has no requests");
      }
      return new DemoTraffic(root.path("system").asText(null), items);
    } catch (IOException e) {
      throw new GuardConfigurationException("Cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  public List<Item> items() {
    return items;
  }

  /** The request body of {@code item}, as a client of the original proxy would send it. */
  public String body(Item item) {
    ObjectNode o = OpenAiWire.MAPPER.createObjectNode();
    ArrayNode ms = o.putArray("messages");
    if (system != null) {
      ms.addObject().put("role", "system").put("content", system);
    }
    ms.addObject().put("role", "user").put("content", item.text());
    if (item.user() != null) {
      o.put("user", item.user());
    }
    if (item.stream()) {
      o.put("stream", true);
    }
    return OpenAiWire.write(o);
  }
}
