package dev.llmguard.openai;

import com.openai.client.OpenAIClient;
import com.openai.core.ClientOptions;

/** Reads an SDK client's configuration, which the client interface does not expose. */
final class OpenAiClients {

  private OpenAiClients() {}

  /**
   * The options of {@code client}, read through {@code withOptions} (which hands its modifier a
   * builder holding the client's current options), or {@code null} when the client is not the SDK's
   * own and does not play along. Builds a derived client that is dropped at once; it shares the
   * original's connection pool and threads, so nothing needs closing.
   */
  static ClientOptions options(OpenAIClient client) {
    ClientOptions[] seen = new ClientOptions[1];
    try {
      client.withOptions(b -> seen[0] = b.build());
    } catch (RuntimeException e) {
      return null;
    }
    return seen[0];
  }
}
