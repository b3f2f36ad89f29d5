package dev.llmguard.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmguard.proxy.Json;
import java.util.ArrayList;
import java.util.List;

/** The expected outcome of every scripted demo request, and the checks of its event document. */
final class DemoExpectations {
  static final JsonNode OUTCOMES = Json.resource("expected-demo-outcomes.json");

  private DemoExpectations() {}

  /** The scripted name of a repeated request ({@code bulk-paste#2} → {@code bulk-paste}). */
  static String base(String name) {
    int hash = name.indexOf('#');
    return hash < 0 ? name : name.substring(0, hash);
  }

  /** Checks the event (from the JSON-lines file or the Elasticsearch document) of {@code r}. */
  static void assertEvent(DemoReport.Result r, JsonNode e) {
    JsonNode exp = OUTCOMES.get(base(r.name()));
    assertThat(e).as(r.name()).isNotNull();
    assertThat(e.at("/labels/request_id").asText()).isEqualTo(r.requestId());
    assertThat(e.at("/event/dataset").asText()).isEqualTo("llm_guard.events");
    assertThat(e.at("/event/type/0").asText())
        .as(r.name())
        .isEqualTo(exp.get("event_type").asText());
    assertThat(e.at("/event/action").asText()).isEqualTo("chat");
    assertThat(e.at("/service/name").asText()).isEqualTo("llm-guard-proxy");
    assertThat(e.at("/user/id").asText()).as(r.name()).isEqualTo(exp.get("user").asText());
    assertThat(e.at("/gen_ai/provider/name").asText()).isEqualTo("azure.ai.openai");
    assertThat(e.at("/gen_ai/request/model").asText()).isEqualTo(Demo.DEPLOYMENT);
    List<String> categories = new ArrayList<>();
    e.at("/gen_ai/threat/category").forEach(c -> categories.add(c.asText()));
    List<String> expectedCategories = new ArrayList<>();
    exp.get("categories").forEach(c -> expectedCategories.add(c.asText()));
    assertThat(categories).as(r.name()).isEqualTo(expectedCategories);
    assertThat(e.at("/gen_ai/threat/detected").asBoolean())
        .as(r.name())
        .isEqualTo(!expectedCategories.isEmpty());
    if (exp.has("input_tokens")) {
      assertThat(e.at("/gen_ai/usage/input_tokens").asLong())
          .as(r.name())
          .isEqualTo(exp.get("input_tokens").asLong());
      assertThat(e.at("/gen_ai/usage/output_tokens").asLong())
          .as(r.name())
          .isEqualTo(exp.get("output_tokens").asLong());
      assertThat(e.at("/gen_ai/response/model").asText()).isEqualTo("gpt-4o-2024-08-06");
      assertThat(e.at("/gen_ai/response/finish_reasons/0").asText())
          .as(r.name())
          .isEqualTo(exp.path("finish_reason").asText("stop"));
    }
    if (exp.has("min_input_tokens")) {
      assertThat(e.at("/gen_ai/usage/input_tokens").asLong())
          .as(r.name())
          .isGreaterThanOrEqualTo(exp.get("min_input_tokens").asLong());
    }
    if (exp.has("provider_error_code")) {
      assertThat(e.at("/gen_ai/response/error_code").asText())
          .as(r.name())
          .isEqualTo(exp.get("provider_error_code").asText());
    }
    if (exp.has("provider_filter")) {
      exp.get("provider_filter")
          .properties()
          .forEach(
              f -> {
                JsonNode actual = e.at("/gen_ai/provider_filter/" + f.getKey());
                assertThat(actual.path("filtered").asBoolean()).as(r.name()).isTrue();
                assertThat(actual.path("severity").asText())
                    .as(r.name())
                    .isEqualTo(f.getValue().path("severity").asText());
              });
    }
    if (exp.has("never_sent_to_model")) {
      String secret = exp.get("never_sent_to_model").asText();
      assertThat(e.toString()).as(r.name()).doesNotContain(secret);
    }
  }
}
