package dev.llmguard.proxy.bench;

import dev.llmguard.GuardedChatClient;
import dev.llmguard.proxy.AzureClients;
import dev.llmguard.proxy.Json;
import dev.llmguard.proxy.ProxyApp;
import dev.llmguard.proxy.ProxyConfig;
import dev.llmguard.proxy.TestGuards;
import dev.llmguard.proxy.demo.Demo;
import dev.llmguard.proxy.standin.AzureStandIn;
import dev.llmguard.proxy.standin.StandInScript;
import dev.llmguard.sink.JsonLinesFileSink;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Prints the proxy's added latency: the same chat request sent (a) straight to the HTTPS Azure
 * stand-in and (b) through the proxy (HTTP in, guard, Azure SDK over HTTPS to the stand-in, event
 * to a JSON-lines file), one client at a time, after a warm-up. Not run by {@code mvn verify}.
 *
 * <pre>
 * mvn -q -pl llm-guard-proxy -am test-compile -DskipTests
 * java -cp "$(cat llm-guard-proxy/target/bench.classpath):llm-guard-proxy/target/classes:llm-guard-proxy/target/test-classes" \
 *   dev.llmguard.proxy.bench.ProxyOverheadBench [requests=3000] [warmup=1000] [detectors=discovered|test]
 * </pre>
 */
public final class ProxyOverheadBench {

  public static void main(String[] args) throws Exception {
    int requests = intArg(args, "requests", 3000);
    int warmup = intArg(args, "warmup", 1000);
    String detectors = strArg(args, "detectors", "discovered");
    String key = "bench-key";
    Path dir = Files.createTempDirectory("llm-guard-bench");
    String body = Json.text("requests/order-status.json");
    UnaryOperator<GuardedChatClient.Builder> guard =
        detectors.equals("test")
            ? b -> TestGuards.engineTestDetectors(b.policy(Demo.demoPolicy()))
            : b -> b.policy(Demo.demoPolicy());
    try (AzureStandIn azure = AzureStandIn.start(StandInScript.demo(), key);
        ProxyApp app =
            ProxyApp.start(
                ProxyConfig.builder()
                    .port(0)
                    .defaultDeployment(Demo.DEPLOYMENT)
                    .eventsFile(dir.resolve("events.jsonl"))
                    .build(),
                AzureClients.chatClient(
                    azure.endpoint().toString(),
                    key,
                    Demo.DEPLOYMENT,
                    azure.certificate().certificate(),
                    AzureClients.noRetries()),
                new JsonLinesFileSink(dir.resolve("events.jsonl")),
                guard)) {
      HttpClient direct =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(trusting(azure))
              .build();
      HttpClient viaProxy = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest toStandIn =
          HttpRequest.newBuilder(
                  azure
                      .endpoint()
                      .resolve(
                          "/openai/deployments/"
                              + Demo.DEPLOYMENT
                              + "/chat/completions?api-version=2024-10-21"))
              .header("Content-Type", "application/json")
              .header("api-key", key)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      HttpRequest toProxy =
          HttpRequest.newBuilder(app.baseUri().resolve("/proxy/openai"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      System.out.printf(
          Locale.ROOT,
          "detectors: %s; %d requests after %d warm-up, one client, loopback%n",
          app.guarded().detectors().stream().map(d -> d.id()).toList(),
          requests,
          warmup);
      // Interleave the two paths so that JIT and machine noise hit both alike.
      long[] d = new long[requests];
      long[] p = new long[requests];
      for (int i = 0; i < warmup; i++) {
        time(direct, toStandIn);
        time(viaProxy, toProxy);
      }
      for (int i = 0; i < requests; i++) {
        d[i] = time(direct, toStandIn);
        p[i] = time(viaProxy, toProxy);
      }
      Arrays.sort(d);
      Arrays.sort(p);
      print("stand-in directly", d);
      print("through the proxy", p);
      System.out.printf(
          Locale.ROOT,
          "added by the proxy: median %.3f ms, p99 %.3f ms%n",
          (pct(p, 50) - pct(d, 50)) / 1e6,
          (pct(p, 99) - pct(d, 99)) / 1e6);
      app.flushEvents();
      System.out.println("events delivered: " + app.dispatcher().stats().delivered());
    }
  }

  private static long time(HttpClient c, HttpRequest r) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> resp = c.send(r, HttpResponse.BodyHandlers.ofString());
    long t = System.nanoTime() - t0;
    if (resp.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + resp.body());
    }
    return t;
  }

  private static void print(String what, long[] sorted) {
    System.out.printf(
        Locale.ROOT,
        "%-18s median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        what,
        pct(sorted, 50) / 1e6,
        pct(sorted, 90) / 1e6,
        pct(sorted, 99) / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }

  private static double pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static SSLContext trusting(AzureStandIn azure) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("stand-in", azure.certificate().certificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static int intArg(String[] args, String name, int dflt) {
    return Integer.parseInt(strArg(args, name, String.valueOf(dflt)));
  }

  private static String strArg(String[] args, String name, String dflt) {
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        return a.substring(name.length() + 1);
      }
    }
    return dflt;
  }
}
