package dev.llmguard;

import java.util.Objects;

/**
 * One answer alternative.
 *
 * @param index position among the choices
 * @param message the assistant message (content and/or tool calls)
 * @param finishReason {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter} …,
 *     or {@code null} when the provider did not say
 */
public record Choice(int index, ChatMessage message, String finishReason) {
  public Choice {
    Objects.requireNonNull(message, "message");
  }

  public Choice withMessage(ChatMessage m) {
    return new Choice(index, m, finishReason);
  }
}
