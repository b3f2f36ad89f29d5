package dev.llmguard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests the proxy must refuse with a clear 4xx before the guard or the model sees them. */
class BadRequestsTest {

  static final int LIMIT = 1024 * 1024;
  static final int TWENTY_MB = 20 * 1024 * 1024;

  @TempDir static Path dir;
  static RunningProxy proxy;

  @BeforeAll
  static void start() {
    proxy = new RunningProxy(dir, b -> b.maxBodyBytes(LIMIT).readTimeout(Duration.ofMillis(1000)));
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @AfterEach
  void nothingReachedTheModelOrTheEventPipeline() {
    proxy.app.flushEvents();
    assertThat(proxy.azure.requestCount()).isZero();
    assertThat(proxy.app.dispatcher().stats().emitted()).isZero();
    assertThat(Json.lineCount(proxy.eventsFile)).isZero();
  }

  private static JsonNode error(HttpResponse<String> r) {
    return Json.parse(r.body()).get("error");
  }

  @Test
  void aBodyThatIsNotJsonIs400InvalidJson() throws Exception {
    HttpResponse<String> r = proxy.postJson("/proxy/openai", Json.text("requests/not-json.txt"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).path("code").asText()).isEqualTo("invalid_json");
    assertThat(error(r).path("message").asText()).startsWith("The request body is not valid JSON");
  }

  @Test
  void aBodyWithoutMessagesIs400MissingMessages() throws Exception {
    HttpResponse<String> r =
        proxy.postJson("/v1/chat/completions", Json.text("requests/no-messages.json"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).path("code").asText()).isEqualTo("missing_messages");
    assertThat(error(r).path("message").asText())
        .isEqualTo("The request has no messages: send {\"messages\": [...]}");
  }

  @Test
  void anEmptyMessagesArrayIs400MissingMessages() throws Exception {
    HttpResponse<String> r =
        proxy.postJson("/proxy/openai", Json.text("requests/empty-messages.json"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).path("code").asText()).isEqualTo("missing_messages");
  }

  @Test
  void anUnknownRoleIs400NamingTheMessage() throws Exception {
    HttpResponse<String> r = proxy.postJson("/proxy/openai", Json.text("requests/bad-role.json"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).path("code").asText()).isEqualTo("invalid_message");
    assertThat(error(r).path("message").asText())
        .startsWith("messages[0] Unknown message role 'narrator'");
  }

  @Test
  void theWrongContentTypeIs415() throws Exception {
    HttpResponse<String> r =
        proxy.http.send(
            HttpRequest.newBuilder(proxy.uri("/proxy/openai"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(Json.text("requests/order-status.json")))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(error(r).path("code").asText()).isEqualTo("unsupported_media_type");
    assertThat(error(r).path("message").asText())
        .isEqualTo("Content-Type must be application/json but was 'text/plain'");
  }

  @Test
  void aMissingContentTypeIs415() throws Exception {
    HttpResponse<String> r =
        proxy.http.send(
            HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.text("requests/order-status.json")))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(error(r).path("message").asText()).endsWith("but was missing");
  }

  @Test
  void aTwentyMegabyteBodyWithItsLengthDeclaredIs413BeforeItIsRead() throws Exception {
    String head =
        "POST /proxy/openai HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + TWENTY_MB
            + "\r\n\r\n";
    String status = exchange(head, false, Duration.ofSeconds(10));

    assertThat(status).startsWith("HTTP/1.1 413");
  }

  @Test
  void aTwentyMegabyteChunkedBodyIs413OnceItPassesTheLimit() throws Exception {
    String head =
        "POST /proxy/openai HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";
    String status = exchange(head, true, Duration.ofSeconds(10));

    assertThat(status).startsWith("HTTP/1.1 413");
  }

  @Test
  void aClientThatStopsSendingItsBodyIs408AfterTheReadTimeout() throws Exception {
    String head =
        "POST /proxy/openai HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: 300\r\n\r\n{\"messages\": [{\"role\": \"user\", ";
    long t0 = System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", proxy.app.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String status = readStatus(s);
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(status).startsWith("HTTP/1.1 408");
      assertThat(ms).isBetween(900L, 5_000L);
    }
  }

  @Test
  void aClientThatTricklesItsBodyIs408OnceTheReadTimeoutIsUsedUp() throws Exception {
    String head =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nContent-Length: 300\r\n\r\n";
    long t0 = System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", proxy.app.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      try {
        // One byte every 200 ms: never idle long enough for the idle timeout, still too slow.
        for (int i = 0; i < 50 && s.getInputStream().available() == 0; i++) {
          out.write('{');
          out.flush();
          Thread.sleep(200);
        }
      } catch (IOException serverGaveUp) {
        // expected once the server has answered and closed
      }
      String status = readStatus(s);
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(status).startsWith("HTTP/1.1 408");
      assertThat(ms).isBetween(900L, 5_000L);
    }
  }

  /**
   * Sends {@code head}, then up to 20 MB of body (as chunks when {@code chunked}) until the server
   * stops reading, and returns the status line it answered.
   */
  private static String exchange(String head, boolean chunked, Duration timeout)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", proxy.app.port())) {
      s.setSoTimeout((int) timeout.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      byte[] block = new byte[64 * 1024];
      Arrays.fill(block, (byte) 'a');
      byte[] prefix =
          "{\"messages\": [{\"role\": \"user\", \"content\": \""
              .getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(prefix, 0, block, 0, prefix.length);
      try {
        for (int sent = 0; sent < TWENTY_MB; sent += block.length) {
          if (chunked) {
            out.write(
                (Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(block);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          } else {
            out.write(block);
          }
          out.flush();
          if (s.getInputStream().available() > 0) {
            break;
          }
        }
      } catch (IOException serverStoppedReading) {
        // expected: the server answered and closed without reading the rest
      }
      return readStatus(s);
    }
  }

  private static String readStatus(Socket s) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    String line = in.readLine();
    return line == null ? "" : line;
  }
}
