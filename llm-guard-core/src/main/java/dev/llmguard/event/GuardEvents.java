package dev.llmguard.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmguard.LlmGuardException;

/** JSON (de)serialisation of {@link GuardEvent}s with the field names of DESIGN.md §4. */
public final class GuardEvents {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private GuardEvents() {}

  /** A shared, thread-safe mapper configured for events. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The event as one line of JSON. */
  public static String toJson(GuardEvent event) {
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new LlmGuardException(
          "Cannot serialise event " + event.id() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses one event written by {@link #toJson}.
   *
   * @throws LlmGuardException when {@code json} is not an event document
   */
  public static GuardEvent fromJson(String json) {
    try {
      return MAPPER.readValue(json, GuardEvent.class);
    } catch (JsonProcessingException e) {
      throw new LlmGuardException("Not a guard event: " + e.getOriginalMessage(), e);
    }
  }
}
