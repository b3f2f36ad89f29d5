package dev.llmguard.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportUtils;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.GuardConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.client.CredentialsProvider;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * The client side of the sink: builds the official client from the configuration and performs the
 * startup work (privilege check, index template). Thread-safe.
 */
final class ElasticsearchConnection implements AutoCloseable {

  /** Name of the index template the sink installs. */
  static final String TEMPLATE_NAME = "logs-llm_guard.events";

  static final String TEMPLATE_RESOURCE = "elastic/index-template.json";

  private static final List<String> WRITE_PRIVILEGES = List.of("create_doc", "auto_configure");
  private static final String TEMPLATE_PRIVILEGE = "manage_index_templates";

  private final ElasticsearchSinkConfig config;
  private final ObjectMapper mapper;
  private final RestClient rest;
  private final ElasticsearchClient client;

  ElasticsearchConnection(ElasticsearchSinkConfig config, ObjectMapper mapper) {
    this.config = config;
    this.mapper = mapper;
    this.rest = buildRestClient(config);
    this.client =
        new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper(mapper)));
  }

  ElasticsearchClient client() {
    return client;
  }

  String endpoint() {
    return String.join(",", config.urls());
  }

  /** A failure of the startup work that cannot be cured by waiting (credentials, privileges). */
  static boolean isRejection(Throwable t) {
    return t instanceof ElasticsearchAuthenticationException
        || t instanceof ElasticsearchAuthorizationException;
  }

  /**
   * Checks credentials and privileges, then installs the index template unless skipped.
   *
   * @throws ElasticsearchAuthenticationException on HTTP 401
   * @throws ElasticsearchAuthorizationException naming each missing privilege
   * @throws ElasticsearchSinkException when Elasticsearch cannot be reached or answers 5xx
   */
  void setUp() {
    checkPrivileges();
    if (!config.skipTemplate()) {
      installTemplate();
    }
  }

  private void checkPrivileges() {
    ObjectNode body = mapper.createObjectNode();
    ArrayNode cluster = body.putArray("cluster");
    if (!config.skipTemplate()) {
      cluster.add(TEMPLATE_PRIVILEGE);
    }
    ObjectNode index = body.putArray("index").addObject();
    index.putArray("names").add(config.dataStream());
    ArrayNode privs = index.putArray("privileges");
    WRITE_PRIVILEGES.forEach(privs::add);
    HttpResult r = call("POST", "/_security/user/_has_privileges", body.toString());
    if (r.status == 401) {
      throw authenticationFailed(r);
    }
    if (r.status >= 500 || r.status == 429) {
      if (securityDisabled(r)) {
        return;
      }
      throw new ElasticsearchSinkException(
          "Elasticsearch at " + endpoint() + " is not ready (HTTP " + r.status + "): " + reason(r));
    }
    if (r.status != 200) {
      // Security is off (the endpoint is unknown or disabled): nothing to check.
      return;
    }
    JsonNode answer = readTree(r.body);
    if (answer.path("has_all_requested").asBoolean(false)) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : answer.path("cluster").properties()) {
      if (!e.getValue().asBoolean()) {
        missing.add("cluster:" + e.getKey());
      }
    }
    JsonNode perIndex = answer.path("index").path(config.dataStream());
    for (String p : WRITE_PRIVILEGES) {
      if (!perIndex.path(p).asBoolean(false)) {
        missing.add("index:" + p + ":" + config.dataStream());
      }
    }
    throw new ElasticsearchAuthorizationException(
        "Elasticsearch at "
            + endpoint()
            + " accepted "
            + config.principal()
            + " but it lacks the privileges "
            + missing
            + " that the llm-guard sink needs"
            + (missing.stream().anyMatch(m -> m.startsWith("cluster:"))
                ? "; grant the role llm_guard_setup once (or install the template as an admin"
                    + " and set skip-template=true)"
                : "")
            + (missing.stream().anyMatch(m -> m.startsWith("index:"))
                ? "; grant the role llm_guard_writer (create_doc and auto_configure on"
                    + " logs-llm_guard.events-*)"
                : "")
            + ". Events are kept in the spool "
            + config.spoolPath()
            + " until then.",
        missing);
  }

  private static boolean securityDisabled(HttpResult r) {
    String b = r.body == null ? "" : r.body.toLowerCase(java.util.Locale.ROOT);
    return b.contains("security") && (b.contains("not enabled") || b.contains("disabled"));
  }

  private void installTemplate() {
    JsonNode wanted = readTemplate();
    HttpResult existing = call("GET", "/_index_template/" + TEMPLATE_NAME, null);
    if (existing.status == 401) {
      throw authenticationFailed(existing);
    }
    if (existing.status == 200) {
      JsonNode have =
          readTree(existing.body)
              .path("index_templates")
              .path(0)
              .path("index_template")
              .path("_meta");
      if (have.path("llm_guard_template_version").asInt(-1)
          == wanted.path("_meta").path("llm_guard_template_version").asInt()) {
        return;
      }
    }
    HttpResult put = call("PUT", "/_index_template/" + TEMPLATE_NAME, wanted.toString());
    if (put.status == 401) {
      throw authenticationFailed(put);
    }
    if (put.status == 403) {
      throw new ElasticsearchAuthorizationException(
          "Elasticsearch at "
              + endpoint()
              + " refused to let "
              + config.principal()
              + " install the index template "
              + TEMPLATE_NAME
              + ": it lacks the cluster privilege manage_index_templates (role llm_guard_setup);"
              + " or install it once as an admin and set skip-template=true",
          List.of("cluster:" + TEMPLATE_PRIVILEGE));
    }
    if (put.status / 100 != 2) {
      throw new ElasticsearchSinkException(
          "Elasticsearch at "
              + endpoint()
              + " refused the index template "
              + TEMPLATE_NAME
              + " (HTTP "
              + put.status
              + "): "
              + reason(put));
    }
  }

  /** The shipped index template as JSON. */
  JsonNode readTemplate() {
    try (InputStream in =
        ElasticsearchConnection.class.getClassLoader().getResourceAsStream(TEMPLATE_RESOURCE)) {
      if (in == null) {
        throw new GuardConfigurationException("Missing resource " + TEMPLATE_RESOURCE);
      }
      return mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ElasticsearchAuthenticationException authenticationFailed(HttpResult r) {
    return new ElasticsearchAuthenticationException(
        "Elasticsearch at "
            + endpoint()
            + " rejected the credentials of "
            + config.principal()
            + " (HTTP 401: "
            + reason(r)
            + "); check ELASTIC_USER/ELASTIC_PASSWORD, the API key or the token. Events are kept"
            + " in the spool "
            + config.spoolPath()
            + " until then.");
  }

  private String reason(HttpResult r) {
    if (r.body == null || r.body.isBlank()) {
      return "no body";
    }
    try {
      JsonNode err = mapper.readTree(r.body).path("error");
      if (err.isObject()) {
        return err.path("type").asText() + ": " + err.path("reason").asText();
      }
      if (err.isTextual()) {
        return err.asText();
      }
    } catch (IOException ignored) {
      // not JSON: show the start of it
    }
    return r.body.length() > 200 ? r.body.substring(0, 200) + "…" : r.body;
  }

  private JsonNode readTree(String body) {
    try {
      return mapper.readTree(body);
    } catch (IOException e) {
      throw new ElasticsearchSinkException(
          "Elasticsearch sent malformed JSON: " + e.getMessage(), e);
    }
  }

  /** One low-level call; answers with the status of HTTP errors instead of throwing. */
  private HttpResult call(String method, String path, String json) {
    Request req = new Request(method, path);
    if (json != null) {
      req.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
    }
    try {
      Response resp = rest.performRequest(req);
      return new HttpResult(
          resp.getStatusLine().getStatusCode(),
          resp.getEntity() == null
              ? ""
              : EntityUtils.toString(resp.getEntity(), StandardCharsets.UTF_8));
    } catch (ResponseException e) {
      Response resp = e.getResponse();
      String body;
      try {
        body =
            resp.getEntity() == null
                ? ""
                : EntityUtils.toString(resp.getEntity(), StandardCharsets.UTF_8);
      } catch (IOException io) {
        body = "";
      }
      return new HttpResult(resp.getStatusLine().getStatusCode(), body);
    } catch (ConnectException e) {
      throw new ElasticsearchSinkException(
          "Elasticsearch at " + endpoint() + " is unreachable: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ElasticsearchSinkException(
          "Elasticsearch at " + endpoint() + " did not answer " + method + " " + path + ": " + e,
          e);
    }
  }

  private record HttpResult(int status, String body) {}

  @Override
  public void close() {
    try {
      rest.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------------------ client setup

  private static RestClient buildRestClient(ElasticsearchSinkConfig config) {
    List<HttpHost> hosts = new ArrayList<>();
    for (String url : config.urls()) {
      try {
        hosts.add(HttpHost.create(url));
      } catch (IllegalArgumentException e) {
        throw new GuardConfigurationException(
            "Invalid Elasticsearch url '" + url + "': " + e.getMessage(), e);
      }
    }
    SSLContext ssl = sslContext(config);
    RestClientBuilder b = RestClient.builder(hosts.toArray(new HttpHost[0]));
    b.setRequestConfigCallback(
        rc ->
            rc.setConnectTimeout((int) config.connectTimeout().toMillis())
                .setSocketTimeout((int) config.requestTimeout().toMillis()));
    List<Header> headers = new ArrayList<>();
    config.apiKey().ifPresent(k -> headers.add(new BasicHeader("Authorization", "ApiKey " + k)));
    config
        .bearerToken()
        .ifPresent(t -> headers.add(new BasicHeader("Authorization", "Bearer " + t)));
    if (!headers.isEmpty()) {
      b.setDefaultHeaders(headers.toArray(new Header[0]));
    }
    b.setHttpClientConfigCallback(
        hc -> {
          if (config.username().isPresent()) {
            CredentialsProvider creds = new BasicCredentialsProvider();
            creds.setCredentials(
                AuthScope.ANY,
                new UsernamePasswordCredentials(
                    config.username().get(), config.password().orElse("")));
            hc.setDefaultCredentialsProvider(creds);
          }
          if (ssl != null) {
            hc.setSSLContext(ssl);
          }
          return hc;
        });
    return b.build();
  }

  private static SSLContext sslContext(ElasticsearchSinkConfig config) {
    if (config.caCertificate().isPresent()) {
      try {
        return TransportUtils.sslContextFromHttpCaCrt(config.caCertificate().get().toFile());
      } catch (IOException | RuntimeException e) {
        throw new GuardConfigurationException(
            "Cannot read the CA certificate "
                + config.caCertificate().get()
                + ": "
                + e.getMessage(),
            e);
      }
    }
    if (config.caFingerprint().isPresent()) {
      return TransportUtils.sslContextFromCaFingerprint(config.caFingerprint().get());
    }
    return null;
  }
}
