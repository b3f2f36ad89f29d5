package dev.llmguard.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.event.GuardEvent;
import dev.llmguard.event.GuardEvents;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventSerialisationTest {

  @ParameterizedTest
  @ValueSource(strings = {"full-alert", "benign-chat", "poisoned-timestamp"})
  void theSinksFastWriterProducesExactlyTheDocumentOfTheEventSchema(String fixture)
      throws Exception {
    GuardEvent event;
    try (InputStream in = getClass().getResourceAsStream("/events/" + fixture + ".json")) {
      event = GuardEvents.mapper().readValue(in, GuardEvent.class);
    }

    String fast = new String(ElasticsearchEventSink.serialise(event), StandardCharsets.UTF_8);

    assertThat(fast).isEqualTo(GuardEvents.toJson(event));
    assertThat(GuardEvents.toJson(GuardEvents.mapper().readValue(fast, GuardEvent.class)))
        .isEqualTo(fast);
  }
}
