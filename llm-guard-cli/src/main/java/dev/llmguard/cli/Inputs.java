package dev.llmguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmguard.ChatMessage;
import dev.llmguard.InvalidRequestException;
import dev.llmguard.Role;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns one JSON line ({@code {"text": …}} or {@code {"messages": […]}}) into a scan input. */
final class Inputs {

  private Inputs() {}

  /**
   * Builds the scan input for one line.
   *
   * @throws MalformedInputException when the line has neither a string {@code text} nor a {@code
   *     messages} array of {@code {role, content}} objects
   */
  static ScanInput toScanInput(JsonLines source, JsonLines.Line line, Phase phase) {
    JsonNode node = line.node();
    JsonNode text = node.get("text");
    if (text != null && text.isTextual()) {
      return ScanInput.of(phase, text.asText());
    }
    JsonNode messages = node.get("messages");
    if (messages == null || !messages.isArray()) {
      throw source.malformed(
          line.number(), "expected a string field \"text\" or an array field \"messages\"");
    }
    List<ChatMessage> conversation = new ArrayList<>();
    for (JsonNode m : messages) {
      JsonNode role = m.get("role");
      JsonNode content = m.get("content");
      if (role == null || !role.isTextual() || (content != null && !content.isTextual())) {
        throw source.malformed(
            line.number(),
            "each message needs a string \"role\" and a string \"content\" but got " + m);
      }
      Role r;
      try {
        r = Role.fromId(role.asText());
      } catch (InvalidRequestException e) {
        throw source.malformed(line.number(), e.getMessage());
      }
      conversation.add(ChatMessage.of(r, content == null ? "" : content.asText()));
    }
    return fromConversation(conversation, phase);
  }

  /**
   * The PROMPT text is every non-instruction turn joined by {@link ScanInput#TURN_SEPARATOR}; for
   * RESPONSE the last assistant turn is the text and the turns before it the prompt.
   */
  static ScanInput fromConversation(List<ChatMessage> conversation, Phase phase) {
    StringBuilder system = new StringBuilder();
    StringBuilder text = new StringBuilder();
    List<ScanInput.Segment> segments = new ArrayList<>();
    int lastAssistant = -1;
    for (int i = 0; i < conversation.size(); i++) {
      if (conversation.get(i).role() == Role.ASSISTANT) {
        lastAssistant = i;
      }
    }
    int end = phase == Phase.RESPONSE && lastAssistant >= 0 ? lastAssistant : conversation.size();
    for (int i = 0; i < end; i++) {
      ChatMessage m = conversation.get(i);
      if (m.role().isInstruction()) {
        if (system.length() > 0) {
          system.append(ScanInput.TURN_SEPARATOR);
        }
        system.append(m.text());
        continue;
      }
      if (text.length() > 0) {
        text.append(ScanInput.TURN_SEPARATOR);
      }
      int start = text.length();
      text.append(m.text());
      segments.add(new ScanInput.Segment(i, start, text.length()));
    }
    if (phase == Phase.RESPONSE) {
      String answer = lastAssistant >= 0 ? conversation.get(lastAssistant).text() : "";
      return new ScanInput(
          phase,
          answer,
          conversation,
          system.toString(),
          text.toString(),
          List.of(),
          null,
          null,
          null,
          Map.of());
    }
    String prompt = text.toString();
    return new ScanInput(
        phase,
        prompt,
        conversation,
        system.toString(),
        prompt,
        segments,
        null,
        null,
        null,
        Map.of());
  }
}
