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
    // One turn of each kind (the common case) is used as it is, without a copy.
    Joined text = new Joined();
    Joined system = new Joined();
    List<ScanInput.Segment> segments = new ArrayList<>(2);
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      if (m == null) {
        throw new InvalidRequestException("ChatRequest.messages[" + i + "] is null");
      }
      if (m.role().isInstruction()) {
        system.add(m.text());
        continue;
      }
      int start = text.add(m.text());
      segments.add(new ScanInput.Segment(i, start, start + m.text().length()));
    }
    return new PromptText(text.result(), system.result(), List.copyOf(segments));
  }

  /**
   * Texts joined by {@link ScanInput#TURN_SEPARATOR} (none after an empty start); a single text is
   * kept as it is.
   */
  private static final class Joined {
    private String first;
    private StringBuilder more;

    /** Appends {@code part}; returns where it starts in the joined text. */
    int add(String part) {
      if (more == null) {
        if (first == null || first.isEmpty()) {
          // Nothing before it: no separator, as with an empty builder.
          first = part;
          return 0;
        }
        more = new StringBuilder(first.length() + part.length() + 16).append(first);
        first = null;
      }
      if (more.length() > 0) {
        more.append(ScanInput.TURN_SEPARATOR);
      }
      int start = more.length();
      more.append(part);
      return start;
    }

    String result() {
      return more != null ? more.toString() : first != null ? first : "";
    }
  }
}
