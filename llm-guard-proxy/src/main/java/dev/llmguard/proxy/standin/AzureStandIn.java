package dev.llmguard.proxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.proxy.OpenAiWire;
import dev.llmguard.proxy.ProxyStartException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An in-process HTTPS server that speaks the Azure OpenAI chat-completions wire format with
 * scripted answers ({@link StandInScript}): {@code POST
 * /openai/deployments/{deployment}/chat/completions}, checked {@code api-key} header, JSON answers
 * with {@code prompt_filter_results} and per-choice {@code content_filter_results}, server-sent
 * events for {@code stream: true} (prompt filter event, deltas, finish with filter results, usage,
 * {@code data: [DONE]}), Azure's HTTP 400 {@code content_filter} error with {@code innererror}, and
 * any other scripted HTTP error (429 with {@code retry-after}, 5xx).
 *
 * <p>It listens on {@code 127.0.0.1} only, with a {@link SelfSignedCertificate} made at start.
 * Token usage is the script's, else one token per four characters, as the stand-in is the
 * "provider". Thread-safe; {@link #close()} stops it.
 *
 * <pre>{@code
 * try (AzureStandIn azure = AzureStandIn.start(StandInScript.demo(), "demo-key")) {
 *   OpenAIClient sdk = AzureClients.sdkClient(azure.endpoint(), "demo-key", azure.certificate());
 * }
 * }</pre>
 */
public final class AzureStandIn implements AutoCloseable {

  private static final Pattern PATH =
      Pattern.compile("/openai/deployments/([A-Za-z0-9._-]{1,64})/chat/completions");

  /** Characters per streamed delta. */
  private static final int CHUNK_CHARS = 24;

  private final Server server;
  private final ServerConnector connector;
  private final SelfSignedCertificate certificate;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong completions = new AtomicLong();
  private final java.util.concurrent.ConcurrentLinkedDeque<String> received =
      new java.util.concurrent.ConcurrentLinkedDeque<>();

  /** Most user texts kept by {@link #receivedUserTexts()}: {@value}. */
  public static final int MAX_KEPT_TEXTS = 1_000;

  private AzureStandIn(Server server, ServerConnector connector, SelfSignedCertificate cert) {
    this.server = server;
    this.connector = connector;
    this.certificate = cert;
  }

  /**
   * Starts the stand-in on a free port of {@code 127.0.0.1}.
   *
   * @param script the answers
   * @param apiKey the key clients must send as {@code api-key}
   * @throws ProxyStartException when the server cannot start
   */
  public static AzureStandIn start(StandInScript script, String apiKey) {
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(apiKey, "apiKey");
    SelfSignedCertificate cert = SelfSignedCertificate.create();
    QueuedThreadPool pool = new QueuedThreadPool(200, 8);
    pool.setName("azure-stand-in");
    Server server = new Server(pool);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(cert.keyStore());
    ssl.setKeyStorePassword(cert.keyStorePassword());
    HttpConfiguration https = new HttpConfiguration();
    https.setSendServerVersion(false);
    SecureRequestCustomizer src = new SecureRequestCustomizer();
    src.setSniHostCheck(false);
    https.addCustomizer(src);
    ServerConnector connector =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setIdleTimeout(30_000);
    server.addConnector(connector);
    AzureStandIn standIn = new AzureStandIn(server, connector, cert);
    server.setHandler(standIn.new WireHandler(script, apiKey));
    server.setStopTimeout(2_000);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new ProxyStartException("Cannot start the Azure OpenAI stand-in: " + e, e);
    }
    return standIn;
  }

  /** {@code https://127.0.0.1:<port>}, the value for {@code AZURE_OPENAI_ENDPOINT}. */
  public URI endpoint() {
    return URI.create("https://127.0.0.1:" + connector.getLocalPort());
  }

  /** The certificate a client must trust to talk to this server. */
  public SelfSignedCertificate certificate() {
    return certificate;
  }

  /** Chat requests received (every {@code POST} to the completions path, answered or refused). */
  public long requestCount() {
    return requests.get();
  }

  /** Requests answered with a completion (not an error). */
  public long completionCount() {
    return completions.get();
  }

  /**
   * The last user message of the latest requests (at most {@value #MAX_KEPT_TEXTS}), oldest first.
   */
  public java.util.List<String> receivedUserTexts() {
    return java.util.List.copyOf(received);
  }

  private void keep(String text) {
    received.addLast(text);
    while (received.size() > MAX_KEPT_TEXTS) {
      received.pollFirst();
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new ProxyStartException("Cannot stop the Azure OpenAI stand-in: " + e, e);
    }
  }

  private final class WireHandler extends Handler.Abstract {
    private final StandInScript script;
    private final String apiKey;

    WireHandler(StandInScript script, String apiKey) {
      this.script = script;
      this.apiKey = apiKey;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      Matcher m = PATH.matcher(Request.getPathInContext(request));
      if (!m.matches() || !"POST".equals(request.getMethod())) {
        send(response, callback, 404, azureError(404, "404", "Resource not found", null));
        return true;
      }
      requests.incrementAndGet();
      if (!apiKey.equals(request.getHeaders().get("api-key"))) {
        send(
            response,
            callback,
            401,
            azureError(
                401,
                "401",
                "Access denied due to invalid subscription key or wrong API endpoint.",
                null));
        return true;
      }
      JsonNode body;
      try (InputStream in = Content.Source.asInputStream(request)) {
        body = OpenAiWire.MAPPER.readTree(in);
      } catch (IOException e) {
        send(response, callback, 400, azureError(400, "invalid_json", "Invalid JSON body", null));
        return true;
      }
      String lastUser = lastUserText(body.path("messages"));
      keep(lastUser);
      StandInScript.Rule rule = script.match(lastUser);
      if (rule == null) {
        send(response, callback, 500, azureError(500, "no_script", "No scripted answer", null));
        return true;
      }
      ObjectNode a = rule.answer();
      if (rule.isError()) {
        JsonNode err = a.get("error");
        int status = err.path("status").asInt();
        if (err.has("retry_after")) {
          response.getHeaders().put("retry-after", err.get("retry_after").asText());
        }
        String code = err.path("code").asText(String.valueOf(status));
        send(
            response,
            callback,
            status,
            azureError(
                status,
                code,
                err.path("message").asText(defaultMessage(code)),
                err.path("filters").isObject() ? (ObjectNode) err.get("filters") : null));
        return true;
      }
      completions.incrementAndGet();
      String content = a.path("content").asText("");
      long promptTokens =
          a.path("usage").path("prompt_tokens").asLong(estimateTokens(body.path("messages")));
      long completionTokens =
          a.path("usage").path("completion_tokens").asLong((content.length() + 3) / 4);
      String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "").substring(0, 29);
      if (body.path("stream").asBoolean(false)) {
        stream(response, callback, a, id, content, promptTokens, completionTokens);
      } else {
        send(response, callback, 200, completion(a, id, content, promptTokens, completionTokens));
      }
      return true;
    }

    private ObjectNode completion(
        ObjectNode a, String id, String content, long promptTokens, long completionTokens) {
      ObjectNode o = OpenAiWire.MAPPER.createObjectNode();
      o.put("id", id);
      o.put("object", "chat.completion");
      o.put("created", System.currentTimeMillis() / 1000);
      o.put("model", script.model());
      o.put("system_fingerprint", "fp_standin");
      o.putArray("prompt_filter_results").add(promptFilterResults(a));
      ObjectNode choice = o.putArray("choices").addObject();
      choice.put("index", 0);
      choice.put("finish_reason", a.path("finish_reason").asText("stop"));
      choice.putNull("logprobs");
      choice.putObject("message").put("role", "assistant").put("content", content);
      choice.set("content_filter_results", completionFilters(a));
      o.set("usage", usage(promptTokens, completionTokens));
      return o;
    }

    private void stream(
        Response response,
        Callback callback,
        ObjectNode a,
        String id,
        String content,
        long promptTokens,
        long completionTokens)
        throws IOException {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      long created = System.currentTimeMillis() / 1000;
      try (OutputStream out = Content.Sink.asOutputStream(response)) {
        ObjectNode first = OpenAiWire.MAPPER.createObjectNode();
        first.putArray("choices");
        first.put("created", 0).put("id", "").put("model", "").put("object", "");
        first.putArray("prompt_filter_results").add(promptFilterResults(a));
        event(out, first);
        ObjectNode roleChunk = chunk(id, created);
        ObjectNode rc = ((ArrayNode) roleChunk.get("choices")).addObject();
        rc.put("index", 0).putNull("finish_reason");
        rc.putObject("delta").put("role", "assistant").put("content", "");
        rc.putObject("content_filter_results");
        event(out, roleChunk);
        for (int i = 0; i < content.length(); i += CHUNK_CHARS) {
          int end = Math.min(content.length(), i + CHUNK_CHARS);
          if (end < content.length() && Character.isHighSurrogate(content.charAt(end - 1))) {
            end++;
          }
          ObjectNode c = chunk(id, created);
          ObjectNode ch = ((ArrayNode) c.get("choices")).addObject();
          ch.put("index", 0).putNull("finish_reason");
          ch.putObject("delta").put("content", content.substring(i, end));
          ch.putObject("content_filter_results");
          event(out, c);
          i = end - CHUNK_CHARS;
        }
        ObjectNode fin = chunk(id, created);
        ObjectNode fc = ((ArrayNode) fin.get("choices")).addObject();
        fc.put("index", 0).put("finish_reason", a.path("finish_reason").asText("stop"));
        fc.putObject("delta");
        fc.set("content_filter_results", completionFilters(a));
        event(out, fin);
        ObjectNode u = chunk(id, created);
        u.set("usage", usage(promptTokens, completionTokens));
        event(out, u);
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      callback.succeeded();
    }

    private ObjectNode chunk(String id, long created) {
      ObjectNode c = OpenAiWire.MAPPER.createObjectNode();
      c.putArray("choices");
      c.put("created", created);
      c.put("id", id);
      c.put("model", script.model());
      c.put("object", "chat.completion.chunk");
      c.put("system_fingerprint", "fp_standin");
      return c;
    }
  }

  private static void event(OutputStream out, JsonNode data) throws IOException {
    out.write(("data: " + OpenAiWire.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static ObjectNode promptFilterResults(ObjectNode a) {
    ObjectNode pf = OpenAiWire.MAPPER.createObjectNode();
    pf.put("prompt_index", 0);
    ObjectNode r = pf.putObject("content_filter_results");
    safe(r, "hate");
    r.putObject("jailbreak").put("filtered", false).put("detected", false);
    safe(r, "self_harm");
    safe(r, "sexual");
    safe(r, "violence");
    merge(r, a.path("prompt_filters"));
    return pf;
  }

  private static ObjectNode completionFilters(ObjectNode a) {
    ObjectNode r = OpenAiWire.MAPPER.createObjectNode();
    safe(r, "hate");
    r.putObject("protected_material_code").put("filtered", false).put("detected", false);
    r.putObject("protected_material_text").put("filtered", false).put("detected", false);
    safe(r, "self_harm");
    safe(r, "sexual");
    safe(r, "violence");
    merge(r, a.path("completion_filters"));
    return r;
  }

  private static void safe(ObjectNode r, String category) {
    r.putObject(category).put("filtered", false).put("severity", "safe");
  }

  private static void merge(ObjectNode target, JsonNode overrides) {
    if (overrides.isObject()) {
      for (Map.Entry<String, JsonNode> e : overrides.properties()) {
        target.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  private static ObjectNode usage(long prompt, long completion) {
    ObjectNode u = OpenAiWire.MAPPER.createObjectNode();
    u.put("completion_tokens", completion);
    u.put("prompt_tokens", prompt);
    u.put("total_tokens", prompt + completion);
    return u;
  }

  private static long estimateTokens(JsonNode messages) {
    long chars = 0;
    for (JsonNode m : messages) {
      chars += m.path("content").asText("").length() + 4;
    }
    return Math.max(1, (chars + 3) / 4);
  }

  private static String lastUserText(JsonNode messages) {
    String last = "";
    for (JsonNode m : messages) {
      if ("user".equals(m.path("role").asText())) {
        JsonNode c = m.get("content");
        last = c == null ? "" : c.isTextual() ? c.asText() : c.toString();
      }
    }
    return last;
  }

  private static String defaultMessage(String code) {
    if (code.equals("content_filter")) {
      return "The response was filtered due to the prompt triggering Azure OpenAI's content"
          + " management policy. Please modify your prompt and retry.";
    }
    if (code.equals("429")) {
      return "Requests to the ChatCompletions_Create Operation have exceeded the rate limit.";
    }
    return "The server had an error while processing your request.";
  }

  /** Azure's error body; {@code filters} turn it into the content-filter refusal. */
  private static ObjectNode azureError(
      int status, String code, String message, ObjectNode filters) {
    ObjectNode root = OpenAiWire.MAPPER.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("message", message);
    err.putNull("type");
    err.put("param", filters != null ? "prompt" : null);
    err.put("code", code);
    err.put("status", status);
    if (filters != null) {
      ObjectNode inner = err.putObject("innererror");
      inner.put("code", "ResponsibleAIPolicyViolation");
      ObjectNode r = inner.putObject("content_filter_result");
      safe(r, "hate");
      r.putObject("jailbreak").put("filtered", false).put("detected", false);
      safe(r, "self_harm");
      safe(r, "sexual");
      safe(r, "violence");
      merge(r, filters);
    }
    return root;
  }

  private static void send(Response response, Callback callback, int status, JsonNode body) {
    byte[] bytes = OpenAiWire.write(body).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
