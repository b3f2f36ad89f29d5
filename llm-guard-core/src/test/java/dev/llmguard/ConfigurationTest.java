package dev.llmguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.internal.ConfigSource;
import dev.llmguard.spi.Category;
import dev.llmguard.testkit.CapturingEventSink;
import dev.llmguard.testkit.ScriptedChatClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

  private GuardedChatClient build(Map<String, String> props) {
    return GuardedChatClient.builder(ScriptedChatClient.answering("x"))
        .properties(props)
        .detectors(java.util.List.of())
        .sinks(new CapturingEventSink())
        .build();
  }

  @Test
  void thePolicyComesFromProperties() {
    try (GuardedChatClient g =
        build(
            Map.of(
                "llmguard.policy.mode", "block",
                "llmguard.policy.threshold", "0.6",
                "llmguard.policy.threshold.jailbreak", "0.8",
                "llmguard.policy.action.sensitive_information", "redact",
                "llmguard.policy.detector-timeout", "75ms",
                "llmguard.policy.fail-closed", "true",
                "llmguard.policy.restore-redacted", "false"))) {
      Policy p = g.policy();
      assertThat(p.mode()).isEqualTo(Policy.Mode.BLOCK);
      assertThat(p.threshold(Category.PROMPT_INJECTION)).isEqualTo(0.6);
      assertThat(p.threshold(Category.JAILBREAK)).isEqualTo(0.8);
      assertThat(p.categoryActions()).containsEntry(Category.SENSITIVE_INFORMATION, Action.REDACT);
      assertThat(p.detectorTimeout()).isEqualTo(Duration.ofMillis(75));
      assertThat(p.failClosed()).isTrue();
      assertThat(p.restoreRedacted()).isFalse();
    }
  }

  @Test
  void environmentVariablesUseUpperCaseNames() {
    ConfigSource src =
        new ConfigSource(
            Map.of("llmguard.policy.mode", "monitor"),
            Map.of(
                "LLMGUARD_POLICY_MODE",
                "redact",
                "LLMGUARD_DETECTOR_TOKEN_LIMIT_MAX_TOKENS",
                "512"));
    assertThat(src.get("llmguard.policy.mode")).isEqualTo("redact");
    assertThat(src.subset("llmguard.detector.token-limit.")).containsEntry("max-tokens", "512");
    assertThat(GuardedChatClient.Builder.policyFrom(src).mode()).isEqualTo(Policy.Mode.REDACT);
  }

  @Test
  void systemPropertiesWinOverTheEnvironmentAndTheFile() {
    ConfigSource src =
        new ConfigSource(
            Map.of("llmguard.namespace", "file"),
            Map.of("LLMGUARD_NAMESPACE", "env"),
            Map.of("llmguard.namespace", "sys"));
    assertThat(src.get("llmguard.namespace")).isEqualTo("sys");
  }

  @Test
  void badValuesAreRejectedWithTheKeyAndWhatIsExpected() {
    assertThatThrownBy(() -> build(Map.of("llmguard.policy.mode", "strict")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage(
            "Invalid value 'strict' for llmguard.policy.mode: expected monitor, redact or block");
    assertThatThrownBy(() -> build(Map.of("llmguard.policy.threshold", "1.5")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage(
            "Invalid value '1.5' for llmguard.policy.threshold: expected a number between 0 and 1");
    assertThatThrownBy(() -> build(Map.of("llmguard.policy.threshold.toxicity", "0.5")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageStartingWith(
            "Invalid key llmguard.policy.threshold.toxicity: Unknown category 'toxicity'");
    assertThatThrownBy(() -> build(Map.of("llmguard.policy.detector-timeout", "soon")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage(
            "Invalid duration 'soon' for llmguard.policy.detector-timeout: expected e.g. 250ms, 2s, 1m or PT0.5S");
    assertThatThrownBy(() -> build(Map.of("llmguard.namespace", "Prod Env")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage(
            "Invalid namespace 'Prod Env' (llmguard.namespace): use lower-case letters, digits, '_' and '.'");
    assertThatThrownBy(
            () ->
                GuardedChatClient.builder(ScriptedChatClient.answering("x"))
                    .properties(Map.of("llmguard.sinks", "kafka"))
                    .build())
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageStartingWith("Unknown event sink 'kafka' (llmguard.sinks)");
  }

  @Test
  void builderValuesAreValidatedAtOnce() {
    assertThatThrownBy(() -> Policy.custom().threshold(Category.JAILBREAK, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threshold of jailbreak must be between 0 and 1 but was 1.5");
    assertThatThrownBy(() -> Policy.custom().detectorTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("detectorTimeout must not be negative but was PT-0.001S");
  }

  @Test
  void sinksAreChosenByIdFromProperties(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("events.jsonl");
    try (GuardedChatClient g =
        GuardedChatClient.builder(ScriptedChatClient.answering("x"))
            .properties(
                Map.of(
                    "llmguard.sinks",
                    "jsonl",
                    "llmguard.sink.jsonl.path",
                    file.toString(),
                    "llmguard.service.name",
                    "billing"))
            .detectors(java.util.List.of())
            .build()) {
      g.chat(ChatRequest.ofUser("hello"));
    }
    assertThat(java.nio.file.Files.readAllLines(file))
        .singleElement()
        .asString()
        .contains("\"service\":{\"name\":\"billing\"}");
  }

  @Test
  void settingsAreReadFromLlmGuardPropertiesOnTheClasspath(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve("llm-guard.properties"),
        "llmguard.policy.mode=redact\nllmguard.policy.threshold.jailbreak=0.9\nllmguard.detectors=\n");
    ClassLoader cl =
        new java.net.URLClassLoader(
            new java.net.URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    ConfigSource src = ConfigSource.load(cl);
    assertThat(src.get("llmguard.policy.threshold.jailbreak")).isEqualTo("0.9");
    try (GuardedChatClient g =
        GuardedChatClient.builder(ScriptedChatClient.answering("x"))
            .classLoader(cl)
            .detectors(java.util.List.of())
            .sinks(new CapturingEventSink())
            .build()) {
      if (System.getenv("LLMGUARD_POLICY_MODE") == null
          && System.getProperty("llmguard.policy.mode") == null) {
        assertThat(g.policy().mode()).isEqualTo(Policy.Mode.REDACT);
      }
      assertThat(g.policy().threshold(Category.JAILBREAK)).isEqualTo(0.9);
    }
  }
}
