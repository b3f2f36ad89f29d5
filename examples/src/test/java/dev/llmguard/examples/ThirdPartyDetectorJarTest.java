package dev.llmguard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.ChatRequest;
import dev.llmguard.Detectors;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.GuardrailViolationException;
import dev.llmguard.Policy;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.DetectorProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The jar built by the separate module {@code examples/custom-detector} holds only a
 * DetectorProvider and its META-INF/services file; being on the classpath must be enough.
 */
class ThirdPartyDetectorJarTest {

  @Test
  void theProviderIsLoadedFromItsOwnJar() {
    DetectorProvider p =
        Detectors.discover(getClass().getClassLoader()).providers().get("competitor-mention");
    assertThat(p).as("competitor-mention discovered through ServiceLoader").isNotNull();
    String location = p.getClass().getProtectionDomain().getCodeSource().getLocation().toString();
    assertThat(location).contains("custom-detector").endsWith(".jar");
  }

  @Test
  void itsFindingsAppearInTheVerdictAndInTheEvent() {
    List<GuardEvent> events = new CopyOnWriteArrayList<>();
    ScriptedLlm llm =
        new ScriptedLlm(Map.of("Is Globex cheaper than you?", "Our prices are competitive."));
    try (GuardedChatClient guard =
        GuardedChatClient.builder(llm)
            .ignoreExternalConfiguration()
            .enableDetectors("competitor-mention")
            .policy(Policy.custom().mode(Policy.Mode.BLOCK).build())
            .sinks(
                new dev.llmguard.spi.EventSink() {
                  @Override
                  public String id() {
                    return "test";
                  }

                  @Override
                  public void publish(List<GuardEvent> batch) {
                    events.addAll(batch);
                  }
                })
            .build()) {
      Assertions.assertThatThrownBy(
              () -> guard.chat(ChatRequest.ofUser("Is Globex cheaper than you?")))
          .isInstanceOfSatisfying(
              GuardrailViolationException.class,
              e -> {
                assertThat(e.verdict().triggered())
                    .singleElement()
                    .satisfies(
                        f -> {
                          assertThat(f.detectorId()).isEqualTo("competitor-mention");
                          assertThat(f.category()).isEqualTo(Category.POLICY);
                          assertThat(f.spans().get(0).start()).isEqualTo(3);
                        });
              });
    }
    assertThat(llm.calls()).isZero();
    GuardEvent e = events.get(0);
    assertThat(e.genAi().policy().name()).containsExactly("competitor-mention");
    assertThat(e.genAi().analysis().findings().get(0).detector()).isEqualTo("competitor-mention");
  }
}
