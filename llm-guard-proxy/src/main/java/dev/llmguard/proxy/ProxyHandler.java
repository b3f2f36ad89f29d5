package dev.llmguard.proxy;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.util.BinaryData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatClient;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.ChatStream;
import dev.llmguard.GuardrailViolationException;
import dev.llmguard.InvalidRequestException;
import dev.llmguard.ProviderError;
import dev.llmguard.Verdict;
import dev.llmguard.spi.Finding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes and answers the proxy's requests. Every chat request goes through the guarded client; bad
 * requests are refused with a 4xx JSON error before the guard or the model sees them.
 *
 * <ul>
 *   <li>{@code POST /proxy/openai} and {@code POST /v1/chat/completions}: OpenAI request shape in,
 *       OpenAI / Azure response shape out ({@code stream: true} answers with server-sent events
 *       ending in {@code data: [DONE]}).
 *   <li>A blocked exchange: HTTP 400, {@code error.code} {@code blocked_by_guard}, the verdict's
 *       phase, categories and detector ids and the event id; never the detected text.
 *   <li>Azure's {@code content_filter} refusal (and any other provider HTTP error with a JSON body)
 *       is passed through with its status and body.
 * </ul>
 *
 * <p>Thread-safe: Jetty calls it from many threads.
 */
final class ProxyHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

  static final String ORIGINAL = "/proxy/openai";
  static final String OPENAI = "/v1/chat/completions";
  static final String HEALTH = "/healthz";
  static final String METRICS = "/metrics";

  /** Header echoing (or assigning) the request id, also recorded as the event label. */
  static final String REQUEST_ID_HEADER = "X-Request-Id";

  /** Event label carrying the request id: {@value}. */
  static final String REQUEST_ID_LABEL = "request_id";

  private static final String JSON = "application/json";

  /** An acceptable client-chosen request id: short, no spaces or control characters. */
  private static final java.util.regex.Pattern REQUEST_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final ProxyConfig config;
  private final ChatClient guarded;
  private final ProxyMetrics metrics;

  ProxyHandler(ProxyConfig config, ChatClient guarded, ProxyMetrics metrics) {
    this.config = config;
    this.guarded = guarded;
    this.metrics = metrics;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String path = Request.getPathInContext(request);
    String endpoint = endpointLabel(path);
    int status;
    try {
      status = route(path, request, response, callback);
    } catch (BadRequestException e) {
      status = e.status();
      sendJson(response, callback, e.status(), error(e.code(), e.getMessage()));
    } catch (RuntimeException | Error e) {
      LOG.error("Unexpected failure on {} {}: {}", request.getMethod(), path, e.toString(), e);
      status = 500;
      sendJson(response, callback, 500, error("internal_error", "The proxy failed: " + e));
    }
    metrics.recordRequest(endpoint, status, System.nanoTime() - start);
    return true;
  }

  private static String endpointLabel(String path) {
    return switch (path) {
      case ORIGINAL, OPENAI, HEALTH, METRICS -> path;
      default -> "other";
    };
  }

  private int route(String path, Request request, Response response, Callback callback) {
    String method = request.getMethod();
    switch (path) {
      case HEALTH:
        requireMethod(method, "GET");
        ObjectNode ok = OpenAiWire.MAPPER.createObjectNode().put("status", "ok");
        sendJson(response, callback, 200, ok);
        return 200;
      case METRICS:
        requireMethod(method, "GET");
        send(
            response,
            callback,
            200,
            "text/plain; version=0.0.4; charset=utf-8",
            metrics.render().getBytes(StandardCharsets.UTF_8));
        return 200;
      case ORIGINAL:
      case OPENAI:
        requireMethod(method, "POST");
        return chat(request, response, callback);
      default:
        throw new BadRequestException(
            404,
            "not_found",
            "No such endpoint: "
                + path
                + " (use POST "
                + ORIGINAL
                + ", POST "
                + OPENAI
                + ", GET "
                + HEALTH
                + " or GET "
                + METRICS
                + ")");
    }
  }

  private static void requireMethod(String method, String expected) {
    if (!expected.equals(method)) {
      throw new BadRequestException(
          405, "method_not_allowed", "Method " + method + " not allowed here; use " + expected);
    }
  }

  private int chat(Request request, Response response, Callback callback) {
    requireJson(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
    byte[] body = readBody(request);
    OpenAiWire.Parsed parsed = OpenAiWire.parseRequest(body, config.defaultDeployment());
    String requestId = requestId(request);
    response.getHeaders().put(REQUEST_ID_HEADER, requestId);
    ChatRequest chatRequest =
        parsed.request().toBuilder().label(REQUEST_ID_LABEL, requestId).build();
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    endPoint.setIdleTimeout(config.responseTimeout().toMillis());
    try {
      if (parsed.stream()) {
        return stream(chatRequest, response, callback);
      }
      ChatResponse answer = guarded.chat(chatRequest);
      sendJson(
          response, callback, 200, OpenAiWire.toJson(answer, System.currentTimeMillis() / 1000));
      return 200;
    } catch (GuardrailViolationException e) {
      sendJson(response, callback, 400, blocked(e));
      return 400;
    } catch (InvalidRequestException e) {
      sendJson(response, callback, 400, error("invalid_request", e.getMessage()));
      return 400;
    } catch (RuntimeException e) {
      return providerFailure(e, response, callback);
    } finally {
      endPoint.setIdleTimeout(config.readTimeout().toMillis());
    }
  }

  private static String requestId(Request request) {
    String given = request.getHeaders().get(REQUEST_ID_HEADER);
    if (given != null && REQUEST_ID.matcher(given).matches()) {
      return given;
    }
    return UUID.randomUUID().toString();
  }

  private static void requireJson(String contentType) {
    String base =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!base.equals(JSON) && !(base.startsWith("application/") && base.endsWith("+json"))) {
      throw new BadRequestException(
          415,
          "unsupported_media_type",
          "Content-Type must be application/json but was "
              + (contentType == null ? "missing" : "'" + contentType + "'"));
    }
  }

  /** The body, refusing more than the limit (413) and clients slower than the timeout (408). */
  private byte[] readBody(Request request) {
    long max = config.maxBodyBytes();
    long declared = request.getLength();
    if (declared > max) {
      throw tooLarge(max);
    }
    long deadline = System.nanoTime() + config.readTimeout().toNanos();
    ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8 * 1024);
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = Content.Source.asInputStream(request)) {
      int n;
      while ((n = in.read(buf)) != -1) {
        if (out.size() + (long) n > max) {
          throw tooLarge(max);
        }
        out.write(buf, 0, n);
        if (System.nanoTime() > deadline) {
          throw slow();
        }
      }
    } catch (IOException e) {
      if (isTimeout(e)) {
        throw slow();
      }
      throw new BadRequestException(
          400, "incomplete_body", "The request body could not be read: " + e.getMessage());
    }
    return out.toByteArray();
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private BadRequestException tooLarge(long max) {
    return new BadRequestException(
        413, "payload_too_large", "The request body is larger than the limit of " + max + " bytes");
  }

  private BadRequestException slow() {
    return new BadRequestException(
        408,
        "request_timeout",
        "The request body did not arrive within " + config.readTimeout().toMillis() + " ms");
  }

  private int stream(ChatRequest chatRequest, Response response, Callback callback) {
    ChatStream stream = guarded.stream(chatRequest); // prompt blocks and HTTP errors throw here
    long created = System.currentTimeMillis() / 1000;
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    String model = chatRequest.model();
    try (stream;
        OutputStream out = Content.Sink.asOutputStream(response)) {
      boolean first = true;
      try {
        for (ChatChunk c : stream) {
          ObjectNode chunk = OpenAiWire.toChunkJson(c, id, model, created, first);
          first = false;
          event(out, OpenAiWire.write(chunk));
        }
      } catch (GuardrailViolationException e) {
        event(out, OpenAiWire.write(blocked(e)));
      } catch (RuntimeException e) {
        LOG.warn("The provider's stream failed: {}", e.toString());
        event(out, OpenAiWire.write(error("upstream_error", "The model's stream failed")));
      }
      event(out, "[DONE]");
      callback.succeeded();
    } catch (IOException e) {
      // The client went away mid-stream; closing the stream above released the provider.
      callback.failed(e);
    }
    return 200;
  }

  private static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The JSON error of a blocked exchange: categories and detectors, never the detected text. */
  static ObjectNode blocked(GuardrailViolationException e) {
    Verdict v = e.verdict();
    Set<String> categories = new LinkedHashSet<>();
    Set<String> detectors = new LinkedHashSet<>();
    Set<String> owasp = new LinkedHashSet<>();
    for (Finding f : v.triggered()) {
      categories.add(f.category().id());
      detectors.add(f.detectorId());
      if (f.category().owaspId() != null) {
        owasp.add(f.category().owaspId());
      }
    }
    String phase = v.phase().id();
    ObjectNode root =
        error(
            "blocked_by_guard",
            "The "
                + phase
                + " was blocked by llm-guard ("
                + String.join(", ", categories)
                + "); quote event "
                + e.eventId()
                + " to support");
    ObjectNode err = (ObjectNode) root.get("error");
    err.put("type", "guardrail_violation");
    err.put("phase", phase);
    ArrayNode cats = err.putArray("categories");
    categories.forEach(cats::add);
    ArrayNode ds = err.putArray("detectors");
    detectors.forEach(ds::add);
    ArrayNode ow = err.putArray("owasp");
    owasp.forEach(ow::add);
    err.put("event_id", e.eventId());
    return root;
  }

  /** Provider failures: Azure's HTTP errors passed through, the rest as 502. */
  private int providerFailure(RuntimeException e, Response response, Callback callback) {
    HttpResponseException http = findHttp(e);
    if (http != null && http.getResponse() != null) {
      int status = http.getResponse().getStatusCode();
      JsonNode body = bodyOf(http);
      if (body != null && status >= 400 && status < 600) {
        String retryAfter = http.getResponse().getHeaderValue(HttpHeaderName.RETRY_AFTER);
        if (retryAfter != null) {
          response.getHeaders().put("Retry-After", retryAfter);
        }
        sendJson(response, callback, status, body);
        return status;
      }
    }
    Optional<ProviderError> described = guarded.describeError(e);
    if (described.isPresent() && described.get().blockedByProvider()) {
      ProviderError pe = described.get();
      ObjectNode root = error(pe.errorCode(), "The provider's content filter refused this request");
      ObjectNode inner = ((ObjectNode) root.get("error")).putObject("innererror");
      inner.put("code", "ResponsibleAIPolicyViolation");
      inner.set("content_filter_result", OpenAiWire.filterResults(pe.providerFilters()));
      sendJson(response, callback, 400, root);
      return 400;
    }
    LOG.warn("The model provider failed: {}", e.toString());
    sendJson(
        response,
        callback,
        502,
        error("upstream_error", "The model provider failed: " + e.getClass().getSimpleName()));
    return 502;
  }

  private static HttpResponseException findHttp(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpResponseException h) {
        return h;
      }
    }
    return null;
  }

  private static JsonNode bodyOf(HttpResponseException e) {
    try {
      Object value = e.getValue();
      String text = null;
      if (value instanceof BinaryData b) {
        text = b.toString();
      } else if (value instanceof String s) {
        text = s;
      } else if (value instanceof byte[] bytes) {
        text = new String(bytes, StandardCharsets.UTF_8);
      } else if (value != null) {
        return OpenAiWire.MAPPER.valueToTree(value);
      }
      if (text == null) {
        text = e.getResponse().getBodyAsString().block(java.time.Duration.ofSeconds(2));
      }
      JsonNode n = text == null ? null : OpenAiWire.MAPPER.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (IOException | RuntimeException ex) {
      return null;
    }
  }

  static ObjectNode error(String code, String message) {
    ObjectNode root = OpenAiWire.MAPPER.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("message", message);
    err.put("type", "invalid_request_error");
    err.put("code", code);
    return root;
  }

  private static void sendJson(Response response, Callback callback, int status, JsonNode body) {
    send(
        response,
        callback,
        status,
        "application/json",
        OpenAiWire.write(body).getBytes(StandardCharsets.UTF_8));
  }

  private static void send(
      Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
