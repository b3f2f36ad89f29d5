package dev.llmguard.proxy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.GuardConfigurationException;
import dev.llmguard.proxy.OpenAiWire;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The few read queries the demo runs against the events' data stream (refresh, count, search by
 * query), over plain HTTP with the same {@code ELASTIC_*} credentials the sink uses. Thread-safe.
 */
public final class ElasticQueries {

  private final HttpClient http;
  private final URI base;
  private final String authorization;
  private final String dataStream;

  ElasticQueries(HttpClient http, URI base, String authorization, String dataStream) {
    this.http = http;
    this.base = base;
    this.authorization = authorization;
    this.dataStream = dataStream;
  }

  /**
   * Reads {@code ELASTIC_URL} (the first of a comma-separated list), {@code ELASTIC_USER} / {@code
   * ELASTIC_PASSWORD} or {@code ELASTIC_API_KEY}, and {@code ELASTIC_CA_CERT} for a private CA.
   *
   * @throws GuardConfigurationException when the URL is missing or the CA file is unreadable
   */
  public static ElasticQueries fromEnvironment(Map<String, String> env, String dataStream) {
    String url = env.get("ELASTIC_URL");
    if (url == null || url.isBlank()) {
      throw new GuardConfigurationException("ELASTIC_URL is not set");
    }
    URI base = URI.create(url.split(",")[0].trim().replaceAll("/+$", "") + "/");
    String auth = null;
    if (env.get("ELASTIC_API_KEY") != null && !env.get("ELASTIC_API_KEY").isBlank()) {
      auth = "ApiKey " + env.get("ELASTIC_API_KEY").trim();
    } else if (env.get("ELASTIC_USER") != null && !env.get("ELASTIC_USER").isBlank()) {
      String pw = env.getOrDefault("ELASTIC_PASSWORD", "");
      auth =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (env.get("ELASTIC_USER") + ":" + pw).getBytes(StandardCharsets.UTF_8));
    }
    HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    String ca = env.get("ELASTIC_CA_CERT");
    if (ca != null && !ca.isBlank()) {
      hb.sslContext(trusting(Path.of(ca.trim())));
    }
    return new ElasticQueries(hb.build(), base, auth, dataStream);
  }

  private static SSLContext trusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new GuardConfigurationException("Cannot read ELASTIC_CA_CERT " + pem + ": " + e, e);
    }
  }

  public String dataStream() {
    return dataStream;
  }

  /** Makes every delivered document searchable. */
  public void refresh() throws IOException, InterruptedException {
    call("POST", dataStream + "/_refresh", null);
  }

  /** Documents whose {@code labels.request_id} starts with {@code prefix}. */
  public long countRequestIdsWithPrefix(String prefix) throws IOException, InterruptedException {
    ObjectNode q = OpenAiWire.MAPPER.createObjectNode();
    q.putObject("query").putObject("prefix").put("labels.request_id", prefix);
    return call("POST", dataStream + "/_count", q).path("count").asLong();
  }

  /**
   * The {@code labels.request_id} of every document matching both {@code query} (Query DSL) and the
   * request-id prefix; at most 1,000.
   */
  public List<String> requestIdsMatching(JsonNode query, String prefix)
      throws IOException, InterruptedException {
    ObjectNode body = OpenAiWire.MAPPER.createObjectNode();
    body.put("size", 1000);
    body.putArray("_source").add("labels.request_id");
    ObjectNode bool = body.putObject("query").putObject("bool");
    bool.putArray("filter")
        .add(query.deepCopy())
        .addObject()
        .putObject("prefix")
        .put("labels.request_id", prefix);
    JsonNode r = call("POST", dataStream + "/_search", body);
    List<String> out = new ArrayList<>();
    for (JsonNode hit : r.path("hits").path("hits")) {
      String id = hit.path("_source").path("labels").path("request_id").asText(null);
      if (id != null) {
        out.add(id);
      }
    }
    return out;
  }

  /**
   * Like {@link #requestIdsMatching} but grouped by the value of {@code field} (documents without
   * it are left out); for threshold rules.
   */
  public Map<String, List<String>> requestIdsByField(JsonNode query, String prefix, String field)
      throws IOException, InterruptedException {
    ObjectNode body = OpenAiWire.MAPPER.createObjectNode();
    body.put("size", 1000);
    body.putArray("_source").add("labels.request_id").add(field);
    ObjectNode bool = body.putObject("query").putObject("bool");
    bool.putArray("filter")
        .add(query.deepCopy())
        .addObject()
        .putObject("prefix")
        .put("labels.request_id", prefix);
    JsonNode r = call("POST", dataStream + "/_search", body);
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (JsonNode hit : r.path("hits").path("hits")) {
      JsonNode src = hit.path("_source");
      String id = src.path("labels").path("request_id").asText(null);
      JsonNode v = src;
      for (String part : field.split("\\.")) {
        v = v.path(part);
      }
      if (id != null && !v.isMissingNode() && !v.isNull()) {
        out.computeIfAbsent(v.asText(), k -> new ArrayList<>()).add(id);
      }
    }
    return out;
  }

  /** Sends one request; a non-2xx answer raises an {@link IOException} with the body. */
  public JsonNode call(String method, String path, JsonNode body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(OpenAiWire.write(body)));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(
          "Elasticsearch answered "
              + r.statusCode()
              + " to "
              + method
              + " "
              + path
              + ": "
              + r.body());
    }
    return OpenAiWire.MAPPER.readTree(r.body());
  }
}
