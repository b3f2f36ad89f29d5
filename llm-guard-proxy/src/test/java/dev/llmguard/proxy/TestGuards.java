package dev.llmguard.proxy;

import dev.llmguard.GuardedChatClient;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Phase;
import dev.llmguard.support.TestDetectors;

/**
 * Pins the guard of the proxy under test to small detectors with known behaviour (the engine's test
 * patterns: instruction override, e-mail address, AWS key id), so that outcomes do not change when
 * built-in detectors are added or tuned. They carry the built-in detectors' ids ({@code
 * prompt-injection}, {@code pii}, {@code secrets}) because the shipped detection rules filter on
 * {@code gen_ai.policy.name}.
 */
public final class TestGuards {
  private TestGuards() {}

  public static GuardedChatClient.Builder engineTestDetectors(GuardedChatClient.Builder b) {
    return b.detectors(injection(), pii(), secrets());
  }

  static Detector injection() {
    return TestDetectors.pattern(
        "prompt-injection",
        "ignore\\s+(?:all\\s+|the\\s+)?previous\\s+instructions",
        Category.PROMPT_INJECTION,
        0.91,
        null,
        Phase.PROMPT);
  }

  static Detector pii() {
    return TestDetectors.pattern(
        "pii",
        "[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,253}\\.[a-z]{2,10}",
        Category.SENSITIVE_INFORMATION,
        0.95,
        "EMAIL",
        Phase.PROMPT,
        Phase.RESPONSE);
  }

  static Detector secrets() {
    return TestDetectors.pattern(
        "secrets",
        "AKIA[0-9A-Z]{16}",
        Category.SENSITIVE_INFORMATION,
        0.99,
        "AWS_ACCESS_KEY",
        Phase.PROMPT,
        Phase.RESPONSE);
  }
}
