package dev.llmguard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyApiTest {

  @TempDir static Path dir;
  static RunningProxy proxy;

  @BeforeAll
  static void start() {
    proxy = new RunningProxy(dir, b -> b);
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void theOriginalEndpointAnswersTheOriginalShapeWithTheProvidersUsageAndFilterResults()
      throws Exception {
    HttpResponse<String> r =
        proxy.postJson("/proxy/openai", Json.text("requests/order-status.json"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    JsonNode body = Json.parse(r.body());
    assertThat(body.at("/object").asText()).isEqualTo("chat.completion");
    assertThat(body.at("/model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(body.at("/choices/0/message/role").asText()).isEqualTo("assistant");
    assertThat(body.at("/choices/0/message/content").asText())
        .isEqualTo(
            "Your order 4471 left our warehouse in Rotterdam on Monday and should arrive by"
                + " Thursday.");
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(body.at("/choices/0/content_filter_results/hate/severity").asText())
        .isEqualTo("safe");
    assertThat(
            body.at("/prompt_filter_results/0/content_filter_results/jailbreak/detected")
                .asBoolean(true))
        .isFalse();
    assertThat(body.at("/usage/prompt_tokens").asLong()).isEqualTo(57);
    assertThat(body.at("/usage/completion_tokens").asLong()).isEqualTo(21);
    assertThat(body.at("/usage/total_tokens").asLong()).isEqualTo(78);
  }

  @Test
  void contentPartArraysAreReadAsText() throws Exception {
    HttpResponse<String> r =
        proxy.postJson("/v1/chat/completions", Json.text("requests/order-status-parts.json"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.parse(r.body()).at("/choices/0/message/content").asText())
        .startsWith("Your order 4471 left our warehouse");
  }

  @Test
  void streamingAnswersAreServerSentEventsInTheOpenAiChunkShapeEndingInDone() throws Exception {
    HttpResponse<String> r =
        proxy.postJson("/v1/chat/completions", Json.text("requests/stream-return-policy.json"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    List<String> data = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      }
    }
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    String finish = null;
    long completionTokens = -1;
    boolean sawRole = false;
    for (String d : data.subList(0, data.size() - 1)) {
      JsonNode chunk = Json.parse(d);
      assertThat(chunk.at("/object").asText()).isEqualTo("chat.completion.chunk");
      for (JsonNode c : chunk.path("choices")) {
        sawRole |= "assistant".equals(c.at("/delta/role").asText());
        text.append(c.at("/delta/content").asText(""));
        if (!c.path("finish_reason").isNull()) {
          finish = c.path("finish_reason").asText();
        }
      }
      if (chunk.has("usage")) {
        completionTokens = chunk.at("/usage/completion_tokens").asLong();
      }
    }
    assertThat(sawRole).isTrue();
    assertThat(text.toString())
        .isEqualTo(
            "You can return unused items within 30 days for a full refund. Opened software and"
                + " gift cards cannot be returned.");
    assertThat(finish).isEqualTo("stop");
    assertThat(completionTokens).isEqualTo(26);
  }

  @Test
  void aBlockedRequestIs400WithCategoriesAndEventIdAndNeverTheDetectedText() throws Exception {
    long before = proxy.azure.requestCount();

    HttpResponse<String> r = proxy.postJson("/proxy/openai", Json.text("requests/injection.json"));

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode err = Json.parse(r.body()).get("error");
    assertThat(err.path("code").asText()).isEqualTo("blocked_by_guard");
    assertThat(err.path("type").asText()).isEqualTo("guardrail_violation");
    assertThat(err.path("phase").asText()).isEqualTo("prompt");
    assertThat(err.path("categories").toString())
        .isEqualTo("[\"prompt_injection\",\"sensitive_information\"]");
    assertThat(err.path("owasp").toString()).isEqualTo("[\"LLM01\",\"LLM02\"]");
    assertThat(r.body())
        .doesNotContain("AKIAQ3EGRV5NJ7XP2LQM")
        .doesNotContainIgnoringCase("ignore all previous instructions");
    assertThat(proxy.azure.requestCount()).isEqualTo(before);

    proxy.app.flushEvents();
    String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
    JsonNode event = Json.eventsByRequestId(proxy.eventsFile).get(requestId);
    assertThat(event.at("/event/id").asText()).isEqualTo(err.path("event_id").asText());
    assertThat(event.at("/event/type/0").asText()).isEqualTo("denied");
    assertThat(event.toString()).doesNotContain("AKIAQ3EGRV5NJ7XP2LQM");
  }

  @Test
  void azureContentFilterRefusalsPassThroughWithTheirDetails() throws Exception {
    HttpResponse<String> r = proxy.postJson("/proxy/openai", Json.text("requests/hateful.json"));

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode err = Json.parse(r.body()).get("error");
    assertThat(err.path("code").asText()).isEqualTo("content_filter");
    assertThat(err.at("/innererror/code").asText()).isEqualTo("ResponsibleAIPolicyViolation");
    JsonNode result = err.at("/innererror/content_filter_result");
    assertThat(result.at("/hate/filtered").asBoolean()).isTrue();
    assertThat(result.at("/hate/severity").asText()).isEqualTo("high");
    assertThat(result.at("/violence/severity").asText()).isEqualTo("medium");
  }

  @Test
  void anAnswerAzureFilteredKeepsItsFinishReasonAndFilterResults() throws Exception {
    HttpResponse<String> r =
        proxy.postJson("/proxy/openai", Json.text("requests/graphic-violence.json"));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode choice = Json.parse(r.body()).at("/choices/0");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("content_filter");
    assertThat(choice.at("/content_filter_results/violence/filtered").asBoolean()).isTrue();
    assertThat(choice.at("/content_filter_results/violence/severity").asText()).isEqualTo("high");
    assertThat(choice.at("/content_filter_results/hate/filtered").asBoolean(true)).isFalse();
    assertThat(Json.parse(r.body()).at("/usage/prompt_tokens").asLong()).isEqualTo(29);
  }

  @Test
  void healthzAnswersOk() throws Exception {
    HttpResponse<String> r = proxy.get("/healthz");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.parse(r.body()).path("status").asText()).isEqualTo("ok");
  }

  @Test
  void unknownPathsAndWrongMethodsGetJsonErrors() throws Exception {
    HttpResponse<String> missing = proxy.get("/v1/models");
    HttpResponse<String> wrongMethod = proxy.get("/proxy/openai");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(Json.parse(missing.body()).at("/error/code").asText()).isEqualTo("not_found");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(Json.parse(wrongMethod.body()).at("/error/code").asText())
        .isEqualTo("method_not_allowed");
  }

  @Test
  void metricsArePrometheusTextWithRequestAndEventPipelineCounters() throws Exception {
    proxy.postJson("/proxy/openai", Json.text("requests/order-status.json"));
    proxy.postJson("/proxy/openai", Json.text("requests/injection.json"));
    proxy.app.flushEvents();

    HttpResponse<String> r = proxy.get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain; version=0.0.4");
    String m = r.body();
    long ok = proxy.app.metrics().requestCount("/proxy/openai", 200);
    long blocked = proxy.app.metrics().requestCount("/proxy/openai", 400);
    assertThat(ok).isPositive();
    assertThat(m)
        .contains("# TYPE llmguard_proxy_requests_total counter")
        .contains("llmguard_proxy_requests_total{endpoint=\"/proxy/openai\",status=\"200\"} " + ok)
        .contains(
            "llmguard_proxy_requests_total{endpoint=\"/proxy/openai\",status=\"400\"} " + blocked)
        .contains("# TYPE llmguard_proxy_request_duration_seconds histogram")
        .contains(
            "llmguard_proxy_request_duration_seconds_bucket{endpoint=\"/proxy/openai\",le=\"+Inf\"}")
        .contains("llmguard_events_emitted_total " + proxy.app.dispatcher().stats().emitted())
        .contains("llmguard_events_delivered_total " + proxy.app.dispatcher().stats().delivered())
        .contains("llmguard_events_dropped_total 0")
        .contains("llmguard_detections_total{category=\"prompt_injection\"}");
  }
}
