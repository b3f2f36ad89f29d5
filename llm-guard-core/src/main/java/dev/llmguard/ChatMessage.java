package dev.llmguard;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation. Immutable.
 *
 * @param role author
 * @param content text; {@code null} only for an assistant message that carries tool calls only
 * @param name optional participant name
 * @param toolCallId for {@link Role#TOOL} messages: the call this answers
 * @param toolCalls for {@link Role#ASSISTANT} messages: requested function calls
 */
public record ChatMessage(
    Role role, String content, String name, String toolCallId, List<ToolCall> toolCalls) {

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public static ChatMessage system(String content) {
    return new ChatMessage(Role.SYSTEM, content, null, null, List.of());
  }

  public static ChatMessage user(String content) {
    return new ChatMessage(Role.USER, content, null, null, List.of());
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage(Role.ASSISTANT, content, null, null, List.of());
  }

  public static ChatMessage tool(String toolCallId, String content) {
    return new ChatMessage(Role.TOOL, content, null, toolCallId, List.of());
  }

  public static ChatMessage of(Role role, String content) {
    return new ChatMessage(role, content, null, null, List.of());
  }

  /** The content, or {@code ""} when there is none. */
  public String text() {
    return content == null ? "" : content;
  }

  /** A copy with other content (redaction), everything else kept. */
  public ChatMessage withContent(String newContent) {
    return new ChatMessage(role, newContent, name, toolCallId, toolCalls);
  }
}
