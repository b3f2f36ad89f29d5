package dev.llmguard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded load on loopback only: 2,000 requests from 50 concurrent clients through the proxy and
 * the HTTPS stand-in. Every answer is the expected one and every request leaves exactly one event.
 * No timing is asserted (speed is measured by the benchmark harness).
 */
class LoopbackLoadTest {

  static final int REQUESTS = 2_000;
  static final int CLIENTS = 50;

  @TempDir Path dir;

  @Test
  void twoThousandRequestsFromFiftyClientsGiveNoErrorAndLoseNoEvent() throws Exception {
    String benign = Json.text("requests/order-status.json");
    String injection = Json.text("requests/injection.json");
    Map<String, Integer> statusByRequestId = new ConcurrentHashMap<>();
    try (RunningProxy proxy = new RunningProxy(dir, b -> b)) {
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> done = new ArrayList<>();
      try {
        for (int i = 0; i < REQUESTS; i++) {
          final boolean attack = i % 10 == 9;
          final String rid = "load-" + i;
          done.add(
              clients.submit(
                  () -> {
                    HttpResponse<String> r =
                        proxy.http.send(
                            HttpRequest.newBuilder(proxy.uri("/proxy/openai"))
                                .timeout(Duration.ofSeconds(60))
                                .header("Content-Type", "application/json")
                                .header("X-Request-Id", rid)
                                .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                        attack ? injection : benign))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    JsonNode body = Json.parse(r.body());
                    if (attack) {
                      assertThat(r.statusCode()).isEqualTo(400);
                      assertThat(body.at("/error/code").asText()).isEqualTo("blocked_by_guard");
                    } else {
                      assertThat(r.statusCode()).isEqualTo(200);
                      assertThat(body.at("/usage/total_tokens").asLong()).isEqualTo(78);
                    }
                    statusByRequestId.put(rid, r.statusCode());
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS); // rethrows any client's failed assertion
        }
      } finally {
        clients.shutdownNow();
      }
      assertThat(proxy.app.flushEvents()).isTrue();

      assertThat(statusByRequestId).hasSize(REQUESTS);
      assertThat(proxy.azure.requestCount()).isEqualTo(REQUESTS - REQUESTS / 10);
      var stats = proxy.app.dispatcher().stats();
      assertThat(stats.emitted()).isEqualTo(REQUESTS);
      assertThat(stats.delivered()).isEqualTo(REQUESTS);
      assertThat(stats.dropped() + stats.failed() + stats.spooled()).isZero();
      Map<String, JsonNode> events = Json.eventsByRequestId(proxy.eventsFile);
      assertThat(Json.lineCount(proxy.eventsFile)).isEqualTo(REQUESTS);
      assertThat(events.keySet()).isEqualTo(statusByRequestId.keySet());
      Set<String> eventIds = new HashSet<>();
      events.values().forEach(e -> eventIds.add(e.at("/event/id").asText()));
      assertThat(eventIds).hasSize(REQUESTS);
      assertThat(proxy.app.metrics().requestCount("/proxy/openai", 200))
          .isEqualTo(REQUESTS - REQUESTS / 10);
      assertThat(proxy.app.metrics().requestCount("/proxy/openai", 400)).isEqualTo(REQUESTS / 10);
    }
  }
}
