package dev.llmguard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider-neutral chat request. Immutable; build with {@link #builder()} or {@link #of}.
 *
 * <pre>{@code
 * ChatRequest req = ChatRequest.builder()
 *     .model("gpt-4o")
 *     .system("You are a support bot.")
 *     .user("Where is my order?")
 *     .user("u-1842") // end-user id, recorded as user.id
 *     .build();
 * }</pre>
 *
 * @param messages the conversation, oldest first; never empty once validated by the guard
 * @param model model or deployment name, may be {@code null}
 * @param userId end-user id for attribution ({@code user.id} in the event), may be {@code null}
 * @param conversationId conversation/session id, may be {@code null}
 * @param labels free-form labels copied into the event ({@code labels.*})
 * @param parameters provider parameters passed through untouched (temperature, tools …). The guard
 *     never reads, serialises or logs them: a backend may use them to carry per-call objects from
 *     its drop-in client to its {@link ChatClient}
 */
public record ChatRequest(
    List<ChatMessage> messages,
    String model,
    String userId,
    String conversationId,
    Map<String, String> labels,
    Map<String, Object> parameters) {

  public ChatRequest {
    // null elements are kept on purpose: the guard rejects them with a clear message.
    messages =
        messages == null
            ? List.of()
            : java.util.Collections.unmodifiableList(new ArrayList<>(messages));
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    parameters =
        parameters == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  public static ChatRequest of(ChatMessage... messages) {
    return builder().messages(List.of(messages)).build();
  }

  /** A single user message. */
  public static ChatRequest ofUser(String text) {
    return of(ChatMessage.user(text));
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.messages.addAll(messages);
    b.model = model;
    b.userId = userId;
    b.conversationId = conversationId;
    b.labels.putAll(labels);
    b.parameters.putAll(parameters);
    return b;
  }

  /** The same request with other messages (used for redaction). */
  public ChatRequest withMessages(List<ChatMessage> newMessages) {
    return new ChatRequest(newMessages, model, userId, conversationId, labels, parameters);
  }

  /** Builder for {@link ChatRequest}; not thread-safe. */
  public static final class Builder {
    private final List<ChatMessage> messages = new ArrayList<>();
    private String model;
    private String userId;
    private String conversationId;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();

    public Builder message(ChatMessage m) {
      messages.add(m);
      return this;
    }

    public Builder messages(List<ChatMessage> ms) {
      messages.addAll(ms);
      return this;
    }

    public Builder system(String text) {
      return message(ChatMessage.system(text));
    }

    public Builder user(String text) {
      return message(ChatMessage.user(text));
    }

    public Builder assistant(String text) {
      return message(ChatMessage.assistant(text));
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder userId(String userId) {
      this.userId = userId;
      return this;
    }

    public Builder conversationId(String conversationId) {
      this.conversationId = conversationId;
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder parameter(String key, Object value) {
      parameters.put(key, value);
      return this;
    }

    public ChatRequest build() {
      return new ChatRequest(messages, model, userId, conversationId, labels, parameters);
    }
  }
}
