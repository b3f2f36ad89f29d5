package dev.llmguard.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.SinkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElasticsearchSinkConfigTest {

  @Test
  void theOriginalProxysEnvironmentVariablesKeepWorking() {
    ElasticsearchSinkConfig c =
        ElasticsearchSinkConfig.from(
            new SinkConfig(
                "elasticsearch",
                Map.of(),
                Map.of(
                    "ELASTIC_URL", "https://es.internal:9200/",
                    "ELASTIC_USER", "guard-writer",
                    "ELASTIC_PASSWORD", "s3cret-Pa55",
                    "ELASTIC_NAMESPACE", "prod",
                    "ELASTIC_SPOOL_PATH", "/var/spool/llm-guard",
                    "ELASTIC_SPOOL_MAX_BYTES", "64mb",
                    "ELASTIC_SKIP_TEMPLATE", "true")));
    assertThat(c.urls()).containsExactly("https://es.internal:9200");
    assertThat(c.username()).contains("guard-writer");
    assertThat(c.password()).contains("s3cret-Pa55");
    assertThat(c.dataStream()).isEqualTo("logs-llm_guard.events-prod");
    assertThat(c.spoolPath()).isEqualTo(Path.of("/var/spool/llm-guard"));
    assertThat(c.spoolMaxBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(c.skipTemplate()).isTrue();
    assertThat(c.toString()).doesNotContain("s3cret-Pa55");
  }

  @Test
  void propertiesWinOverTheEnvironment() {
    ElasticsearchSinkConfig c =
        ElasticsearchSinkConfig.from(
            new SinkConfig(
                "elasticsearch",
                Map.of(
                    "url",
                    "http://127.0.0.1:9201",
                    "bulk.flush-interval",
                    "250ms",
                    "retry.max-attempts",
                    "3"),
                Map.of("ELASTIC_URL", "http://ignored:9200")));
    assertThat(c.urls()).containsExactly("http://127.0.0.1:9201");
    assertThat(c.flushInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.retryMaxAttempts()).isEqualTo(3);
  }

  @Test
  void aCloudIdBecomesTheHttpsEndpointOfItsElasticsearch() {
    // "my-deployment:" +
    // base64("eu-west-1.aws.found.io:443$4fa8821e75634032bed1cf22110e2f97$kb-id")
    String cloudId =
        "my-deployment:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbzo0NDMkNGZhODgyMWU3NTYzNDAzMmJlZDFjZjIyMTEwZTJmOTckNGZhODgyMWU3NTYzNDAzMmJlZDFjZjIyMTEwZTJmOTg=";
    ElasticsearchSinkConfig c = ElasticsearchSinkConfig.builder().cloudId(cloudId).build();
    assertThat(c.urls())
        .containsExactly("https://4fa8821e75634032bed1cf22110e2f97.eu-west-1.aws.found.io:443");
  }

  @Test
  void aMalformedSizeNamesItsProperty() {
    assertThatThrownBy(
            () ->
                ElasticsearchSinkConfig.from(
                    SinkConfig.of("elasticsearch", Map.of("spool.max-bytes", "lots"))))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage(
            "Invalid size 'lots' for llmguard.sink.elasticsearch.spool.max-bytes: expected bytes,"
                + " e.g. 1048576, 512kb, 256mb, 1gb");
  }

  @Test
  void contradictoryCredentialsAreRejected() {
    assertThatThrownBy(
            () ->
                ElasticsearchSinkConfig.builder()
                    .username("u")
                    .password("p")
                    .apiKey("a2V5")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("choose one of username/password, apiKey and bearerToken, not 2");
    assertThatThrownBy(() -> ElasticsearchSinkConfig.builder().username("u").build())
        .hasMessage("username 'u' is set but password is not");
  }

  @Test
  void badValuesAreRejectedAtOnce() {
    assertThatThrownBy(() -> ElasticsearchSinkConfig.builder().namespace("Prod-EU"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("namespace must be 1-100 chars of a-z, 0-9, '_' or '.' but was 'Prod-EU'");
    assertThatThrownBy(() -> ElasticsearchSinkConfig.builder().url("es.internal:9200"))
        .hasMessage("url must start with http:// or https:// but was 'es.internal:9200'");
    assertThatThrownBy(() -> ElasticsearchSinkConfig.builder().caFingerprint("12:34"))
        .hasMessageStartingWith("caFingerprint must be a SHA-256 fingerprint");
    assertThatThrownBy(() -> ElasticsearchSinkConfig.builder().queueCapacity(0))
        .hasMessage("queueCapacity must be positive but was 0");
  }

  @Test
  void theProviderIsOnByDefaultOnlyWhenAnEndpointIsConfigured() {
    ElasticsearchEventSinkProvider p = new ElasticsearchEventSinkProvider();
    assertThat(p.enabledByDefault(new SinkConfig("elasticsearch", Map.of(), Map.of()))).isFalse();
    assertThat(
            p.enabledByDefault(
                new SinkConfig(
                    "elasticsearch", Map.of(), Map.of("ELASTIC_URL", "http://localhost:9200"))))
        .isTrue();
  }
}
