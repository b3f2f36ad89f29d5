package dev.llmguard.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.proxy.standin.StandInScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

  @Test
  void proxySettingsAreReadFromTheEnvironment() {
    ProxyConfig c =
        ProxyConfig.fromEnvironment(
            Map.of(
                "LLMGUARD_PROXY_HOST", "0.0.0.0",
                "LLMGUARD_PROXY_PORT", "9090",
                "LLMGUARD_PROXY_MAX_BODY_BYTES", "4194304",
                "LLMGUARD_PROXY_READ_TIMEOUT", "2s",
                "LLMGUARD_PROXY_RESPONSE_TIMEOUT", "1m",
                "LLMGUARD_PROXY_MAX_THREADS", "64",
                "LLMGUARD_PROXY_EVENTS_FILE", "/var/log/llm-guard/events.jsonl",
                "AZURE_DEPLOYMENT_NAME", "gpt-4o-prod"));

    assertThat(c)
        .isEqualTo(
            new ProxyConfig(
                "0.0.0.0",
                9090,
                4_194_304,
                Duration.ofSeconds(2),
                Duration.ofMinutes(1),
                64,
                "gpt-4o-prod",
                Path.of("/var/log/llm-guard/events.jsonl")));
  }

  @Test
  void unsetVariablesKeepTheDocumentedDefaults() {
    ProxyConfig c = ProxyConfig.fromEnvironment(Map.of());

    assertThat(c.host()).isEqualTo(ProxyConfig.DEFAULT_HOST);
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
    assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.eventsFile()).isEqualTo(Path.of("llm-guard-events.jsonl"));
  }

  @Test
  void aMalformedValueIsRejectedNamingTheProblem() {
    assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("LLMGUARD_PROXY_PORT", "eighty")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("'eighty'");
    assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("LLMGUARD_PROXY_PORT", "70000")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("port must be between 0 and 65535 but was 70000");
    assertThatThrownBy(
            () -> ProxyConfig.fromEnvironment(Map.of("LLMGUARD_PROXY_READ_TIMEOUT", "soon")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage(
            "Invalid duration 'soon' for LLMGUARD_PROXY_READ_TIMEOUT: expected e.g. 250ms, 2s, 1m"
                + " or PT0.5S");
  }

  @Test
  void azureNeedsItsThreeVariablesAndSaysWhichAreMissing() {
    assertThatThrownBy(() -> AzureClients.fromEnvironment(Map.of("AZURE_OPENAI_API_KEY", "k-123")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageStartingWith("Set AZURE_OPENAI_ENDPOINT, AZURE_DEPLOYMENT_NAME to reach Azure");
  }

  @Test
  void anAzureEndpointMustBeHttps() {
    assertThatThrownBy(
            () ->
                AzureClients.fromEnvironment(
                    Map.of(
                        "AZURE_OPENAI_API_KEY", "k-123",
                        "AZURE_OPENAI_ENDPOINT", "http://contoso.openai.azure.com/",
                        "AZURE_DEPLOYMENT_NAME", "gpt-4o-prod")))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage(
            "Invalid AZURE_OPENAI_ENDPOINT 'http://contoso.openai.azure.com/': expected"
                + " https://<resource>.openai.azure.com/");
  }

  @Test
  void aStandInScriptRuleNeedsContentOrAnError() {
    assertThatThrownBy(() -> StandInScript.fromResource("standin/broken-script.json"))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage(
            "standin/broken-script.json: answer 'half-written' needs either 'content' or an"
                + " 'error' object");
  }
}
