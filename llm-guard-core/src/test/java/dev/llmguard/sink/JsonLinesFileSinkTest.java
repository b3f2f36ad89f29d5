package dev.llmguard.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.event.GuardEvents;
import dev.llmguard.spi.EventSink;
import dev.llmguard.testkit.EventSinkContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileSinkTest extends EventSinkContractTest {
  @TempDir Path dir;
  private int n;

  @Override
  protected EventSink createSink() {
    return new JsonLinesFileSink(dir.resolve("sub/events-" + (n++) + ".jsonl"));
  }

  @Override
  protected List<String> storedEventIds(EventSink sink) throws Exception {
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(((JsonLinesFileSink) sink).path())) {
      ids.add(GuardEvents.fromJson(line).id());
    }
    return ids;
  }

  @Override
  protected String providerId() {
    return "jsonl";
  }

  @Test
  void aFileThatCannotBeOpenedGivesAClearError() throws Exception {
    Path blocker = dir.resolve("not-a-dir");
    Files.writeString(blocker, "x");
    assertThatThrownBy(() -> new JsonLinesFileSink(blocker.resolve("events.jsonl")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageStartingWith("Cannot open event file " + blocker.resolve("events.jsonl"));
  }

  @Test
  void eventsAreAppendedAcrossRestarts() throws Exception {
    Path file = dir.resolve("a.jsonl");
    try (JsonLinesFileSink s = new JsonLinesFileSink(file)) {
      s.publish(sampleEvents(2));
    }
    try (JsonLinesFileSink s = new JsonLinesFileSink(file)) {
      s.publish(sampleEvents(3));
    }
    assertThat(Files.readAllLines(file)).hasSize(5);
  }
}
