package dev.llmguard.azure;

import com.azure.ai.openai.models.ChatCompletionStreamOptions;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.core.http.rest.RequestOptions;
import com.azure.core.util.BinaryData;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.ChatStream;
import dev.llmguard.GuardedChatClient;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;

/** What both drop-in clients share: building the engine, and SDK types to and from core types. */
final class DropIn {

  private DropIn() {}

  static GuardedChatClient guard(
      AzureOpenAIChatClient delegate, Consumer<GuardedChatClient.Builder> customizer) {
    Objects.requireNonNull(customizer, "customizer");
    GuardedChatClient.Builder b = GuardedChatClient.builder(delegate);
    customizer.accept(b);
    return b.build();
  }

  /** One call: the caller's options as sent on the wire, and the core request for the engine. */
  record Prepared(GuardedCall call, ChatRequest request) {}

  static Prepared prepare(
      String deploymentOrModelName,
      ChatCompletionsOptions options,
      RequestOptions requestOptions,
      ChatCompletionStreamOptions streamOptions) {
    Objects.requireNonNull(deploymentOrModelName, "'deploymentOrModelName' cannot be null.");
    Objects.requireNonNull(options, "'chatCompletionsOptions' cannot be null.");
    ObjectNode body = AzureWire.toJson(options);
    if (streamOptions != null) {
      body.set(
          "stream_options", AzureWire.readTree(BinaryData.fromObject(streamOptions).toString()));
    }
    GuardedCall call = new GuardedCall(body, requestOptions);
    ChatRequest request =
        AzureWire.toChatRequest(deploymentOrModelName, body, Map.of(GuardedCall.KEY, call));
    return new Prepared(call, request);
  }

  /**
   * The SDK object for what the engine returned: the one the SDK itself produced when the engine
   * changed nothing, else the same answer with the engine's choice contents (restored or redacted).
   */
  static ChatCompletions result(GuardedCall call, ChatResponse guarded) {
    if (guarded == call.delegateResponse || sameContents(call.delegateResponse, guarded)) {
      return call.completions;
    }
    return AzureWire.toCompletions(
        BinaryData.fromString(AzureWire.write(AzureWire.withChoiceContents(call.json, guarded))));
  }

  private static boolean sameContents(ChatResponse a, ChatResponse b) {
    if (a.choices().size() != b.choices().size()) {
      return false;
    }
    for (int i = 0; i < a.choices().size(); i++) {
      if (!Objects.equals(
          a.choices().get(i).message().content(), b.choices().get(i).message().content())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The SDK's stream events, released as the engine releases the chunks made from them. A blocked
   * stream throws the engine's {@link dev.llmguard.GuardrailViolationException} from {@code
   * hasNext}/{@code next}. One consumer.
   */
  static final class EventIterator implements Iterator<ChatCompletions> {
    private final Iterator<ChatChunk> chunks;
    private final GuardedCall call;
    private final Deque<ChatCompletions> ready = new ArrayDeque<>();

    /**
     * Keeps the owning stream reachable while its iterator is in use: a for-each loop drops the
     * stream itself at once, and its cleaner would otherwise close the connection mid-loop.
     */
    @SuppressWarnings("unused")
    private final Object owner;

    EventIterator(ChatStream guarded, GuardedCall call, Object owner) {
      this.chunks = guarded.iterator();
      this.call = call;
      this.owner = owner;
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && chunks.hasNext()) {
        ChatChunk c = chunks.next();
        ChatCompletions event = call.eventEndingAt.remove(c);
        if (event != null) {
          ready.add(event);
        }
      }
      return !ready.isEmpty();
    }

    @Override
    public ChatCompletions next() {
      if (!hasNext()) {
        throw new NoSuchElementException("The chat completions stream has ended");
      }
      return ready.poll();
    }
  }
}
