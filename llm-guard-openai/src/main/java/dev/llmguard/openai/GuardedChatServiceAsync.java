package dev.llmguard.openai;

import com.openai.core.ClientOptions;
import com.openai.services.async.ChatServiceAsync;
import com.openai.services.async.chat.ChatCompletionServiceAsync;
import com.openai.services.blocking.ChatService;
import dev.llmguard.GuardedChatClient;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** {@code chat()} of a {@link GuardedOpenAIClientAsync}: its completions are guarded. */
final class GuardedChatServiceAsync implements ChatServiceAsync {
  private final ChatServiceAsync service;
  private final ChatService blocking;
  private final GuardedChatClient guard;
  private final Executor streamExecutor;

  GuardedChatServiceAsync(
      ChatServiceAsync service,
      ChatService blocking,
      GuardedChatClient guard,
      Executor streamExecutor) {
    this.service = service;
    this.blocking = blocking;
    this.guard = guard;
    this.streamExecutor = streamExecutor;
  }

  @Override
  public ChatServiceAsync.WithRawResponse withRawResponse() {
    return service.withRawResponse();
  }

  @Override
  public ChatServiceAsync withOptions(Consumer<ClientOptions.Builder> modifier) {
    return new GuardedChatServiceAsync(
        service.withOptions(modifier), blocking.withOptions(modifier), guard, streamExecutor);
  }

  @Override
  public ChatCompletionServiceAsync completions() {
    return new GuardedChatCompletionServiceAsync(
        service.completions(), blocking.completions(), guard, streamExecutor);
  }
}
