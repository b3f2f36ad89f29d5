package dev.llmguard.elastic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.event.GuardEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Events made from the fixtures in {@code src/test/resources/events}. */
final class TestEvents {
  private TestEvents() {}

  /** The fixture {@code events/<name>.json} as a tree. */
  static ObjectNode tree(String name) {
    String resource = "events/" + name + ".json";
    try (InputStream in = TestEvents.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + resource);
      }
      return (ObjectNode) GuardEvents.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static GuardEvent event(String name) {
    return GuardEvents.mapper().convertValue(tree(name), GuardEvent.class);
  }

  /** {@code count} copies of a fixture, each with a fresh event id and the current time. */
  static List<GuardEvent> copies(String name, int count) {
    ObjectNode template = tree(name);
    List<GuardEvent> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ObjectNode copy = template.deepCopy();
      copy.put("@timestamp", Instant.now().toString());
      ((ObjectNode) copy.get("event")).put("id", UUID.randomUUID().toString());
      out.add(GuardEvents.mapper().convertValue(copy, GuardEvent.class));
    }
    return out;
  }

  static List<String> ids(List<GuardEvent> events) {
    List<String> out = new ArrayList<>(events.size());
    for (GuardEvent e : events) {
      out.add(e.id());
    }
    return out;
  }
}
