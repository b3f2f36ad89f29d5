package dev.llmguard.openai;

import com.openai.core.ClientOptions;
import com.openai.services.blocking.ChatService;
import com.openai.services.blocking.chat.ChatCompletionService;
import dev.llmguard.GuardedChatClient;
import java.util.function.Consumer;

/** {@code withRawResponse().chat()} of a {@link GuardedOpenAIClient}. */
final class GuardedRawChatService implements ChatService.WithRawResponse {
  private final ChatService.WithRawResponse raw;
  private final GuardedChatClient guard;

  GuardedRawChatService(ChatService.WithRawResponse raw, GuardedChatClient guard) {
    this.raw = raw;
    this.guard = guard;
  }

  @Override
  public ChatService.WithRawResponse withOptions(Consumer<ClientOptions.Builder> modifier) {
    return new GuardedRawChatService(raw.withOptions(modifier), guard);
  }

  @Override
  public ChatCompletionService.WithRawResponse completions() {
    return new GuardedRawChatCompletionService(raw.completions(), guard);
  }
}
