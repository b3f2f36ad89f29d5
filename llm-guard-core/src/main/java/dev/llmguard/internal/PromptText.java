package dev.llmguard.internal;

import dev.llmguard.ChatMessage;
import dev.llmguard.InvalidRequestException;
import dev.llmguard.spi.ScanInput;
import java.util.ArrayList;
import java.util.List;

/** The scanned text of a conversation: non-instruction turns joined, with where each came from. */
public record PromptText(String text, String systemPrompt, List<ScanInput.Segment> segments) {

  /**
   * Builds the text of {@code messages}.
   *
   * @throws InvalidRequestException when the list is empty or holds a {@code null}
   */
  public static PromptText of(List<ChatMessage> messages) {
    if (messages == null || messages.isEmpty()) {
      throw new InvalidRequestException(
          "ChatRequest has no messages: add at least one message (e.g. ChatMessage.user(\"…\"))");
    }
    StringBuilder text = new StringBuilder();
    StringBuilder system = new StringBuilder();
    List<ScanInput.Segment> segments = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      if (m == null) {
        throw new InvalidRequestException("ChatRequest.messages[" + i + "] is null");
      }
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
    return new PromptText(text.toString(), system.toString(), List.copyOf(segments));
  }
}
