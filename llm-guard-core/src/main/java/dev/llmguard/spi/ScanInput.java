package dev.llmguard.spi;

import dev.llmguard.ChatMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a detector scans: the text plus its context. Immutable.
 *
 * <p>For {@link Phase#PROMPT} the text is every non-instruction message of the conversation (user,
 * assistant and tool turns, oldest first) joined by {@value #TURN_SEPARATOR}, so an attack split
 * across consecutive turns is one contiguous text; {@link #segments()} says which range of the text
 * came from which message. The system prompt is not part of the text (it is the application's own)
 * but is available as {@link #systemPrompt()}. For {@link Phase#RESPONSE} the text is the answer
 * (or, while streaming, a window of it) and {@link #prompt()} the prompt text.
 *
 * @param phase prompt or response
 * @param text the text under scan; spans refer to it
 * @param conversation the whole conversation, system messages included
 * @param systemPrompt system/developer instructions joined, {@code ""} when none
 * @param prompt for RESPONSE: the prompt text this answers; for PROMPT: equal to {@code text}
 * @param segments for PROMPT: one entry per message in {@code text}; empty for RESPONSE
 * @param userId end-user id, may be {@code null}
 * @param conversationId session id, may be {@code null}
 * @param application the guarded application's name ({@code service.name}), may be {@code null}
 * @param labels request labels
 */
public record ScanInput(
    Phase phase,
    String text,
    List<ChatMessage> conversation,
    String systemPrompt,
    String prompt,
    List<Segment> segments,
    String userId,
    String conversationId,
    String application,
    Map<String, String> labels) {

  /** Separator between turns in a prompt text. */
  public static final String TURN_SEPARATOR = "\n\n";

  public ScanInput {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(text, "text");
    conversation = conversation == null ? List.of() : List.copyOf(conversation);
    systemPrompt = systemPrompt == null ? "" : systemPrompt;
    prompt = prompt == null ? "" : prompt;
    segments = segments == null ? List.of() : List.copyOf(segments);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** A bare input without context, for tests and tools such as the CLI. */
  public static ScanInput of(Phase phase, String text) {
    return new ScanInput(
        phase,
        text,
        List.of(),
        "",
        phase == Phase.PROMPT ? text : "",
        List.of(),
        null,
        null,
        null,
        Map.of());
  }

  /** The same context with another text (a window of a streamed answer, a decoded payload). */
  public ScanInput withText(String newText) {
    return new ScanInput(
        phase,
        newText,
        conversation,
        systemPrompt,
        prompt,
        List.of(),
        userId,
        conversationId,
        application,
        labels);
  }

  /**
   * Where one message sits in a prompt text.
   *
   * @param messageIndex index in {@link #conversation()}
   * @param start first char of the message's content in the text
   * @param end one past its last char
   */
  public record Segment(int messageIndex, int start, int end) {}
}
