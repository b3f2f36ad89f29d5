package dev.llmguard.openai;

import com.openai.core.ClientOptions;
import com.openai.services.blocking.ChatService;
import com.openai.services.blocking.chat.ChatCompletionService;
import dev.llmguard.GuardedChatClient;
import java.util.function.Consumer;

/** {@code chat()} of a {@link GuardedOpenAIClient}: its completions are guarded. */
final class GuardedChatService implements ChatService {
  private final ChatService service;
  private final GuardedChatClient guard;

  GuardedChatService(ChatService service, GuardedChatClient guard) {
    this.service = service;
    this.guard = guard;
  }

  @Override
  public ChatService.WithRawResponse withRawResponse() {
    return new GuardedRawChatService(service.withRawResponse(), guard);
  }

  @Override
  public ChatService withOptions(Consumer<ClientOptions.Builder> modifier) {
    return new GuardedChatService(service.withOptions(modifier), guard);
  }

  @Override
  public ChatCompletionService completions() {
    return new GuardedChatCompletionService(service.completions(), guard);
  }
}
