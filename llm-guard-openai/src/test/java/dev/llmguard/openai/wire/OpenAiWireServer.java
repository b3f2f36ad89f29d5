package dev.llmguard.openai.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.llmguard.testkit.TestCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTPS server inside the test JVM that speaks the OpenAI chat completions wire format (and the
 * Azure variant, which differs only in paths, auth header and annotations): it answers each request
 * with the next scripted {@link Reply} (or the standing one) and records every request.
 */
public final class OpenAiWireServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // Without it, headers and body leave in two segments and Nagle plus delayed ACK add ~40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** One received request. */
  public record Recorded(
      String method, String path, String query, Map<String, String> headers, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** One scripted answer. */
  public record Reply(int status, Map<String, String> headers, byte[] body, boolean eventStream) {
    /** A JSON body from a fixture file. */
    public static Reply json(int status, String fixture) {
      return new Reply(status, Map.of(), Fixtures.bytes(fixture), false);
    }

    /** A server-sent event stream from a fixture file, sent event by event. */
    public static Reply sse(String fixture) {
      return new Reply(200, Map.of(), Fixtures.bytes(fixture), true);
    }

    public Reply withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, h, body, eventStream);
    }

    /** Asks the SDK to retry after {@code millis} (it honours {@code retry-after-ms}). */
    public Reply retryAfterMillis(int millis) {
      return withHeader("retry-after-ms", Integer.toString(millis));
    }
  }

  private final HttpsServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private volatile Reply standing;
  private volatile boolean recording = true;

  private OpenAiWireServer(TestCertificate cert) throws IOException {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(cert.serverContext()));
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  public static OpenAiWireServer start(TestCertificate cert) {
    try {
      return new OpenAiWireServer(cert);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code https://localhost:<port>}. */
  public String origin() {
    return "https://localhost:" + server.getAddress().getPort();
  }

  /** Queues replies, answered in order. */
  public OpenAiWireServer enqueue(Reply... replies) {
    for (Reply r : replies) {
      script.add(r);
    }
    return this;
  }

  /** The reply used when the queue is empty. */
  public OpenAiWireServer always(Reply reply) {
    this.standing = reply;
    return this;
  }

  /** Whether requests are kept (the benchmark turns it off). */
  public OpenAiWireServer recording(boolean on) {
    this.recording = on;
    return this;
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  public Recorded lastRequest() {
    if (requests.isEmpty()) {
      throw new AssertionError("The server received no request");
    }
    return requests.get(requests.size() - 1);
  }

  public void reset() {
    script.clear();
    requests.clear();
    standing = null;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (recording) {
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders()
            .forEach(
                (k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        requests.add(
            new Recorded(
                ex.getRequestMethod(),
                ex.getRequestURI().getPath(),
                ex.getRequestURI().getRawQuery(),
                headers,
                body));
      }
      Reply r = script.poll();
      if (r == null) {
        r = standing;
      }
      if (r == null) {
        r =
            new Reply(
                599,
                Map.of(),
                "{\"error\":{\"message\":\"no scripted reply\"}}".getBytes(StandardCharsets.UTF_8),
                false);
      }
      r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      if (r.eventStream()) {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(r.status(), 0);
        OutputStream out = ex.getResponseBody();
        for (String event : events(r.body())) {
          out.write(event.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } else {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        ex.getResponseBody().write(r.body());
      }
    }
  }

  /** The stream's events, each with its blank line. */
  private static List<String> events(byte[] body) {
    String all = new String(body, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    int from = 0;
    while (from < all.length()) {
      int end = all.indexOf("\n\n", from);
      end = end < 0 ? all.length() : end + 2;
      out.add(all.substring(from, end));
      from = end;
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
