package dev.llmguard.proxy;

import dev.llmguard.proxy.demo.Demo;
import dev.llmguard.proxy.standin.AzureStandIn;
import dev.llmguard.proxy.standin.StandInScript;
import dev.llmguard.sink.JsonLinesFileSink;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The proxy under test: the HTTPS Azure stand-in with the demo's script, the real Azure SDK, the
 * guard with the engine's test detectors and the demo policy, events in a JSON-lines file.
 */
public final class RunningProxy implements AutoCloseable {
  public static final String API_KEY = "test-key-7f1c";

  public final AzureStandIn azure;
  public final ProxyApp app;
  public final Path eventsFile;
  public final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public RunningProxy(Path dir, UnaryOperator<ProxyConfig.Builder> config) {
    this(dir, config, Demo.demoPolicy());
  }

  public RunningProxy(
      Path dir, UnaryOperator<ProxyConfig.Builder> config, dev.llmguard.Policy policy) {
    this.azure = AzureStandIn.start(StandInScript.demo(), API_KEY);
    this.eventsFile = dir.resolve("events.jsonl");
    ProxyConfig cfg =
        config
            .apply(
                ProxyConfig.builder()
                    .port(0)
                    .defaultDeployment(Demo.DEPLOYMENT)
                    .eventsFile(eventsFile))
            .build();
    this.app =
        ProxyApp.start(
            cfg,
            AzureClients.chatClient(
                azure.endpoint().toString(),
                API_KEY,
                Demo.DEPLOYMENT,
                azure.certificate().certificate(),
                AzureClients.noRetries()),
            new JsonLinesFileSink(eventsFile),
            b -> TestGuards.engineTestDetectors(b.policy(policy)));
  }

  public URI uri(String path) {
    return app.baseUri().resolve(path);
  }

  public HttpResponse<String> postJson(String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    try {
      app.close();
    } finally {
      azure.close();
    }
  }
}
