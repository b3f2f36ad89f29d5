package dev.llmguard.azure.wire;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.llmguard.testkit.TestCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTPS server, inside the test JVM, that speaks the Azure OpenAI REST wire format for
 * {@code POST /openai/deployments/{deployment}/chat/completions}. Answers come from a FIFO of
 * {@link ScriptedResponse}s (or, with {@link #answerAlways}, the same answer every time); every
 * request is recorded. When nothing is scripted it answers HTTP 500 with a body that says so, so a
 * test that forgot to script fails loudly instead of hanging. Thread-safe. Binds 127.0.0.1 on a
 * free port; {@link #close()} stops it.
 */
public final class AzureWireServer implements AutoCloseable {

  /** One request as the server saw it. */
  public record RecordedRequest(
      String method, String path, String query, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  static {
    // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to small responses.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpsServer server;
  private final ExecutorService executor;
  private final BlockingQueue<ScriptedResponse> script = new LinkedBlockingQueue<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Throwable> serverErrors = new ConcurrentLinkedQueue<>();
  private final AtomicInteger finishedStreams = new AtomicInteger();
  private volatile ScriptedResponse always;

  private AzureWireServer(TestCertificate certificate) throws IOException {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
    AtomicInteger n = new AtomicInteger();
    executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "azure-wire-server-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /** Starts a server presenting {@code certificate}. */
  public static AzureWireServer start(TestCertificate certificate) {
    try {
      AzureWireServer s = new AzureWireServer(certificate);
      s.server.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the Azure wire server", e);
    }
  }

  /** {@code https://127.0.0.1:<port>}. */
  public String endpoint() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues answers, consumed one per request in order. */
  public AzureWireServer enqueue(ScriptedResponse... responses) {
    script.addAll(List.of(responses));
    return this;
  }

  /** Answers every request with {@code response} once the queue is empty (benchmarks). */
  public AzureWireServer answerAlways(ScriptedResponse response) {
    this.always = response;
    return this;
  }

  /** Drops scripted answers and recorded requests. */
  public void reset() {
    script.clear();
    requests.clear();
    serverErrors.clear();
    always = null;
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public RecordedRequest lastRequest() {
    if (requests.isEmpty()) {
      throw new AssertionError("The server received no request");
    }
    return requests.get(requests.size() - 1);
  }

  /** Streams the server finished writing (also cut ones). */
  public int finishedStreams() {
    return finishedStreams.get();
  }

  public List<Throwable> serverErrors() {
    return List.copyOf(serverErrors);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(
          new RecordedRequest(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestURI().getQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              body));
      ScriptedResponse r = script.poll();
      if (r == null) {
        r = always;
      }
      if (r == null) {
        byte[] msg =
            "{\"error\":{\"code\":\"test_server\",\"message\":\"no scripted response\"}}"
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(500, msg.length);
        exchange.getResponseBody().write(msg);
        return;
      }
      r.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.getResponseHeaders().add("apim-request-id", "test-" + requests.size());
      if (r.isStream()) {
        writeStream(exchange, r);
      } else {
        exchange.sendResponseHeaders(r.status, r.body.length == 0 ? -1 : r.body.length);
        if (r.body.length > 0) {
          exchange.getResponseBody().write(r.body);
        }
      }
    } catch (IOException | RuntimeException e) {
      // A client that stops reading early closes the connection: expected in some tests.
      serverErrors.add(e);
    }
  }

  private void writeStream(HttpExchange exchange, ScriptedResponse r) throws IOException {
    exchange.sendResponseHeaders(r.status, 0); // chunked
    OutputStream out = exchange.getResponseBody();
    try {
      int sent = 0;
      for (String event : r.events) {
        if (sent == r.holdAfterEvents && r.gate != null) {
          awaitGate(r);
        }
        out.write((event + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        sent++;
        if (!r.eventDelay.isZero()) {
          sleep(r.eventDelay.toMillis());
        }
      }
      if (r.streamComplete) {
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      // Without [DONE] the chunked body simply ends: a connection closed cleanly mid-stream.
    } finally {
      finishedStreams.incrementAndGet();
    }
  }

  private static void awaitGate(ScriptedResponse r) {
    try {
      if (!r.gate.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("The test never opened the stream gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
