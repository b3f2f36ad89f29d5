package dev.llmguard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmguard.Policy;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a blocking policy, answers that carry a secret are withheld, also mid-stream. */
class BlockingPolicyTest {

  @TempDir static Path dir;
  static RunningProxy proxy;

  @BeforeAll
  static void start() {
    proxy = new RunningProxy(dir, b -> b, Policy.block());
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void anAnswerCarryingASecretIsWithheldWith400NamingTheResponsePhase() throws Exception {
    HttpResponse<String> r =
        proxy.postJson("/proxy/openai", Json.text("requests/leaky-answer.json"));

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode err = Json.parse(r.body()).get("error");
    assertThat(err.path("code").asText()).isEqualTo("blocked_by_guard");
    assertThat(err.path("phase").asText()).isEqualTo("response");
    assertThat(err.path("categories").toString()).isEqualTo("[\"sensitive_information\"]");
    assertThat(err.path("detectors").toString()).isEqualTo("[\"secrets\"]");
    assertThat(r.body()).doesNotContain("AKIAZ7VQ4MLK2XWP9TRE");
  }

  @Test
  void aStreamedAnswerCarryingASecretEndsWithAnErrorEventAndDoneButNeverTheSecret()
      throws Exception {
    HttpResponse<String> r =
        proxy.postJson("/v1/chat/completions", Json.text("requests/stream-leaky-answer.json"));

    assertThat(r.statusCode()).isEqualTo(200);
    List<String> data = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      }
    }
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    JsonNode last = Json.parse(data.get(data.size() - 2));
    assertThat(last.at("/error/code").asText()).isEqualTo("blocked_by_guard");
    assertThat(last.at("/error/phase").asText()).isEqualTo("response");
    assertThat(r.body()).doesNotContain("AKIAZ7VQ4MLK2XWP9TRE");
    proxy.app.flushEvents();
    String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
    JsonNode event = Json.eventsByRequestId(proxy.eventsFile).get(requestId);
    assertThat(event.at("/event/type/0").asText()).isEqualTo("denied");
    assertThat(last.at("/error/event_id").asText()).isEqualTo(event.at("/event/id").asText());
  }
}
