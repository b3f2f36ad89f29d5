package dev.llmguard.proxy;

import dev.llmguard.GuardedChatClient;
import dev.llmguard.support.TestDetectors;

/**
 * Pins the guard of the proxy under test to the engine's test detectors (instruction override,
 * e-mail, AWS key), so that outcomes do not change when built-in detectors are added or tuned.
 */
public final class TestGuards {
  private TestGuards() {}

  public static GuardedChatClient.Builder engineTestDetectors(GuardedChatClient.Builder b) {
    return b.detectors(TestDetectors.injection(), TestDetectors.email(), TestDetectors.awsKey());
  }
}
