package dev.llmguard.proxy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmguard.Action;
import dev.llmguard.ChatClient;
import dev.llmguard.GuardedChatClient;
import dev.llmguard.Policy;
import dev.llmguard.elastic.ElasticsearchEventSink;
import dev.llmguard.event.EventDispatcher;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.proxy.AzureClients;
import dev.llmguard.proxy.OpenAiWire;
import dev.llmguard.proxy.ProxyApp;
import dev.llmguard.proxy.ProxyConfig;
import dev.llmguard.proxy.standin.AzureStandIn;
import dev.llmguard.proxy.standin.StandInScript;
import dev.llmguard.sink.JsonLinesFileSink;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.EventSink;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The one-command local demo: starts an HTTPS stand-in for Azure OpenAI with scripted answers, the
 * event sink (Elasticsearch when {@code ELASTIC_URL} is set, else a JSON-lines file) and the proxy;
 * sends the scripted mix of benign and malicious requests ({@link DemoTraffic}) through the proxy
 * and prints per-request verdicts, detections by category, events delivered and, with
 * Elasticsearch, which shipped detection rules fire. Everything it starts is stopped before {@link
 * #run} returns.
 *
 * <p>Unless a {@code LLMGUARD_POLICY_*} variable says otherwise, the demo's policy redacts personal
 * data and secrets and blocks prompt injection, jailbreaks, data exfiltration and system-prompt
 * leaks.
 */
public final class Demo {

  /** The deployment name the demo's requests go to: {@value}. */
  public static final String DEPLOYMENT = "gpt-4o-demo";

  private final Map<String, String> env;
  private final PrintStream out;
  private final UnaryOperator<GuardedChatClient.Builder> guard;

  /**
   * @param env the environment ({@code ELASTIC_*}, {@code LLMGUARD_*})
   * @param out where the summary goes
   * @param guard extra guard settings applied last (tests pin detectors with it)
   */
  public Demo(
      Map<String, String> env, PrintStream out, UnaryOperator<GuardedChatClient.Builder> guard) {
    this.env = Map.copyOf(env);
    this.out = out;
    this.guard = guard;
  }

  /** The demo's policy (see the class comment). */
  public static Policy demoPolicy() {
    return Policy.custom()
        .mode(Policy.Mode.REDACT)
        .categoryAction(Category.PROMPT_INJECTION, Action.BLOCK)
        .categoryAction(Category.JAILBREAK, Action.BLOCK)
        .categoryAction(Category.IMPROPER_OUTPUT, Action.BLOCK)
        .categoryAction(Category.SYSTEM_PROMPT_LEAKAGE, Action.BLOCK)
        // The demo's first requests meet cold detectors (class loading, JIT) on small machines.
        .detectorTimeout(Duration.ofSeconds(2))
        .build();
  }

  private boolean policyConfigured() {
    for (String k : env.keySet()) {
      if (k.startsWith("LLMGUARD_POLICY")) {
        return true;
      }
    }
    return System.getProperties().stringPropertyNames().stream()
        .anyMatch(k -> k.startsWith("llmguard.policy"));
  }

  /**
   * Runs the demo and prints its summary.
   *
   * @throws dev.llmguard.GuardConfigurationException for a bad setting
   * @throws IOException when the events file cannot be made
   */
  public DemoReport run() throws IOException, InterruptedException {
    String apiKey = "demo-" + UUID.randomUUID();
    String runId = UUID.randomUUID().toString().substring(0, 8);
    DemoTraffic traffic = DemoTraffic.load();
    ProxyConfig.Builder cb =
        ProxyConfig.fromEnvironment(env).toBuilder().defaultDeployment(DEPLOYMENT);
    if (!env.containsKey("LLMGUARD_PROXY_PORT")) {
      cb.port(0);
    }
    if (!env.containsKey("LLMGUARD_PROXY_EVENTS_FILE")) {
      cb.eventsFile(Files.createTempDirectory("llm-guard-demo").resolve("events.jsonl"));
    }
    ProxyConfig config = cb.build();
    out.println("llm-guard proxy demo");
    try (AzureStandIn azure = AzureStandIn.start(StandInScript.demo(), apiKey)) {
      out.println("  Azure OpenAI stand-in (HTTPS, scripted): " + azure.endpoint());
      ChatClient backend =
          AzureClients.chatClient(
              azure.endpoint().toString(),
              apiKey,
              DEPLOYMENT,
              azure.certificate().certificate(),
              AzureClients.noRetries());
      EventSink sink = ProxyApp.sinkFromEnvironment(env, config);
      String sinkDescription = describe(sink);
      out.println("  Events: " + sinkDescription);
      EventRecorder recorder = new EventRecorder();
      UnaryOperator<GuardedChatClient.Builder> settings =
          b -> guard.apply(policyConfigured() ? b : b.policy(demoPolicy()));
      try (ProxyApp app = ProxyApp.start(config, backend, sink, settings, recorder)) {
        out.println(
            "  Proxy: " + app.baseUri() + " (POST /proxy/openai, POST /v1/chat/completions)");
        out.println("  Detectors: " + detectorIds(app.guarded()));
        out.println();
        List<Sent> sent = send(app.baseUri(), traffic, runId);
        app.flushEvents();
        EventDispatcher.Stats stats = app.dispatcher().stats();
        List<DemoReport.Result> results = new ArrayList<>();
        Map<String, Long> byCategory = new TreeMap<>();
        Map<String, String> nameByRequestId = new LinkedHashMap<>();
        for (Sent s : sent) {
          GuardEvent e = recorder.byRequestId(s.requestId);
          results.add(result(s, e));
          nameByRequestId.put(s.requestId, s.item.name());
          if (e != null && e.genAi().threat() != null) {
            for (String c : e.genAi().threat().category()) {
              byCategory.merge(c, 1L, Long::sum);
            }
          }
        }
        long docs = -1;
        Map<String, List<String>> ruleHits = new TreeMap<>();
        if (sink instanceof ElasticsearchEventSink es) {
          ElasticQueries q = ElasticQueries.fromEnvironment(env, es.config().dataStream());
          q.refresh();
          docs = q.countRequestIdsWithPrefix("demo-" + runId + "-");
          ruleHits = DetectionRules.loadShipped().run(q, "demo-" + runId + "-", nameByRequestId);
        }
        DemoReport report =
            new DemoReport(
                results,
                byCategory,
                stats.emitted(),
                stats.delivered(),
                sinkDescription,
                docs,
                ruleHits,
                azure.receivedUserTexts());
        print(report);
        return report;
      }
    }
  }

  private static String detectorIds(GuardedChatClient g) {
    List<String> ids = new ArrayList<>();
    g.detectors().forEach(d -> ids.add(d.id()));
    return ids.isEmpty() ? "(none found on the classpath)" : String.join(", ", ids);
  }

  private static String describe(EventSink sink) {
    if (sink instanceof JsonLinesFileSink f) {
      return "JSON lines in " + f.path() + " (set ELASTIC_URL to use Elasticsearch)";
    }
    if (sink instanceof ElasticsearchEventSink es) {
      return "Elasticsearch data stream " + es.config().dataStream() + " at " + es.config().urls();
    }
    return sink.id();
  }

  private record Sent(DemoTraffic.Item item, String requestId, int status, String body) {}

  private static List<Sent> send(URI base, DemoTraffic traffic, String runId)
      throws IOException, InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    List<Sent> out = new ArrayList<>();
    int n = 0;
    for (DemoTraffic.Item item : traffic.items()) {
      String rid =
          String.format(Locale.ROOT, "demo-%s-%02d-%s", runId, ++n, item.name().replace('#', '-'));
      HttpRequest req =
          HttpRequest.newBuilder(base.resolve(item.endpoint()))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/json")
              .header("X-Request-Id", rid)
              .POST(HttpRequest.BodyPublishers.ofString(traffic.body(item)))
              .build();
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      out.add(new Sent(item, rid, r.statusCode(), r.body()));
    }
    return out;
  }

  private static DemoReport.Result result(Sent s, GuardEvent e) {
    String answer = null;
    String errorCode = null;
    int sseEvents = 0;
    if (s.body.startsWith("data:")) {
      StringBuilder text = new StringBuilder();
      for (String line : s.body.split("\n")) {
        if (!line.startsWith("data: ")) {
          continue;
        }
        sseEvents++;
        String data = line.substring(6);
        if (data.equals("[DONE]")) {
          continue;
        }
        JsonNode chunk = readJson(data);
        if (chunk.has("error")) {
          errorCode = chunk.path("error").path("code").asText(null);
        }
        for (JsonNode c : chunk.path("choices")) {
          text.append(c.path("delta").path("content").asText(""));
        }
      }
      answer = text.toString();
    } else {
      JsonNode json = readJson(s.body);
      if (json.has("error")) {
        errorCode = json.path("error").path("code").asText(null);
      } else {
        answer = json.path("choices").path(0).path("message").path("content").asText(null);
      }
    }
    List<String> categories =
        e == null || e.genAi().threat() == null ? List.of() : e.genAi().threat().category();
    return new DemoReport.Result(
        s.item.name(),
        s.item.kind(),
        s.item.endpoint() + (s.item.stream() ? " (stream)" : ""),
        s.requestId,
        s.status,
        verdict(e, s.status, errorCode),
        categories,
        errorCode,
        answer,
        sseEvents,
        e);
  }

  /** The strongest action in the event, or what the HTTP answer says when the event is silent. */
  static String verdict(GuardEvent e, int status, String errorCode) {
    Action strongest = Action.ALLOW;
    if (e != null && e.genAi().policy() != null) {
      for (String a : e.genAi().policy().action()) {
        strongest = strongest.max(Action.valueOf(a));
      }
    }
    String providerCode =
        e == null || e.genAi().response() == null ? null : e.genAi().response().errorCode();
    if (strongest != Action.BLOCK
        && ("content_filter".equals(errorCode) || "content_filter".equals(providerCode))) {
      return "PROVIDER_BLOCK";
    }
    if (strongest == Action.ALLOW && status >= 400) {
      return "ERROR";
    }
    return strongest.name();
  }

  private static JsonNode readJson(String s) {
    try {
      return OpenAiWire.MAPPER.readTree(s);
    } catch (IOException e) {
      return OpenAiWire.MAPPER.createObjectNode();
    }
  }

  private void print(DemoReport r) {
    out.println(
        String.format(
            Locale.ROOT,
            "%-28s %-30s %-5s %-15s %-40s %s",
            "REQUEST",
            "ENDPOINT",
            "HTTP",
            "VERDICT",
            "CATEGORIES",
            "TOKENS IN/OUT"));
    for (DemoReport.Result x : r.results()) {
      String tokens = "-";
      if (x.event() != null && x.event().genAi().usage() != null) {
        GuardEvent.TokenUsage u = x.event().genAi().usage();
        tokens = u.inputTokens() + "/" + u.outputTokens();
      }
      String cats = x.categories().isEmpty() ? "-" : String.join(",", x.categories());
      if (x.errorCode() != null && !x.errorCode().equals("blocked_by_guard")) {
        cats = cats.equals("-") ? "error " + x.errorCode() : cats + "; error " + x.errorCode();
      }
      out.println(
          String.format(
              Locale.ROOT,
              "%-28s %-30s %-5d %-15s %-40s %s",
              x.name(),
              x.endpoint(),
              x.status(),
              x.verdict(),
              cats,
              tokens));
    }
    long blocked = r.results().stream().filter(x -> x.verdict().equals("BLOCK")).count();
    out.println();
    out.println(
        "The model received "
            + r.modelReceived().size()
            + " of "
            + r.results().size()
            + " requests; "
            + blocked
            + " were blocked by llm-guard.");
    out.println();
    out.println("Detections by category:");
    if (r.detectionsByCategory().isEmpty()) {
      out.println("  (none)");
    }
    r.detectionsByCategory().forEach((k, v) -> out.println("  " + k + ": " + v));
    out.println();
    out.println(
        "Events: "
            + r.eventsEmitted()
            + " emitted, "
            + r.eventsDelivered()
            + " delivered to "
            + r.sinkDescription());
    if (r.documentsIndexed() >= 0) {
      out.println("Documents in Elasticsearch for this run: " + r.documentsIndexed());
      out.println("Detection rules that fire:");
      if (r.ruleHits().isEmpty()) {
        out.println("  (no shipped rules found)");
      }
      r.ruleHits()
          .forEach(
              (rule, hits) ->
                  out.println(
                      "  "
                          + rule
                          + ": "
                          + (hits.isEmpty() ? "no hits" : hits.size() + " hit(s) " + hits)));
    } else {
      out.println(
          "Detection rules: set ELASTIC_URL to index the events and run the shipped rules.");
    }
  }
}
