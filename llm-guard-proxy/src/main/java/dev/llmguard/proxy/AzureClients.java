package dev.llmguard.proxy;

import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import dev.llmguard.GuardConfigurationException;
import dev.llmguard.azure.AzureOpenAIChatClient;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Builds the production backend, {@link AzureOpenAIChatClient} over the Azure SDK, from the
 * original proxy's environment variables ({@value #ENV_KEY}, {@value #ENV_ENDPOINT}, {@value
 * #ENV_DEPLOYMENT}). Stateless.
 */
public final class AzureClients {

  public static final String ENV_KEY = "AZURE_OPENAI_API_KEY";
  public static final String ENV_ENDPOINT = "AZURE_OPENAI_ENDPOINT";
  public static final String ENV_DEPLOYMENT = "AZURE_DEPLOYMENT_NAME";

  private AzureClients() {}

  /**
   * The backend configured by {@code env}.
   *
   * @throws GuardConfigurationException naming every missing variable, or a malformed endpoint
   */
  public static AzureOpenAIChatClient fromEnvironment(Map<String, String> env) {
    String key = env.get(ENV_KEY);
    String endpoint = env.get(ENV_ENDPOINT);
    String deployment = env.get(ENV_DEPLOYMENT);
    StringBuilder missing = new StringBuilder();
    for (String[] kv :
        new String[][] {{ENV_KEY, key}, {ENV_ENDPOINT, endpoint}, {ENV_DEPLOYMENT, deployment}}) {
      if (kv[1] == null || kv[1].isBlank()) {
        missing.append(missing.length() == 0 ? "" : ", ").append(kv[0]);
      }
    }
    if (missing.length() > 0) {
      throw new GuardConfigurationException(
          "Set "
              + missing
              + " to reach Azure OpenAI (or run the self-contained demo: java -jar"
              + " llm-guard-proxy.jar demo)");
    }
    return chatClient(endpoint.trim(), key.trim(), deployment.trim(), null, null);
  }

  /**
   * A backend for {@code endpoint}.
   *
   * @param trusted the only certificate trusted for TLS (a stand-in's); {@code null} for the
   *     system's trust store
   * @param retries the SDK's retry options; {@code null} for the SDK's defaults
   * @throws GuardConfigurationException for an endpoint that is not an https URL
   */
  public static AzureOpenAIChatClient chatClient(
      String endpoint,
      String apiKey,
      String deployment,
      X509Certificate trusted,
      RetryOptions retries) {
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new GuardConfigurationException(
          "Invalid " + ENV_ENDPOINT + " '" + endpoint + "': " + e.getMessage(), e);
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new GuardConfigurationException(
          "Invalid "
              + ENV_ENDPOINT
              + " '"
              + endpoint
              + "': expected https://<resource>.openai.azure.com/");
    }
    OpenAIClientBuilder b =
        new OpenAIClientBuilder().endpoint(endpoint).credential(new AzureKeyCredential(apiKey));
    if (trusted != null) {
      try {
        SslContext ssl = SslContextBuilder.forClient().trustManager(trusted).build();
        reactor.netty.http.client.HttpClient netty =
            reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(ssl));
        b.httpClient(new NettyAsyncHttpClientBuilder(netty).build());
      } catch (SSLException e) {
        throw new GuardConfigurationException("Cannot build the TLS context: " + e, e);
      }
    }
    if (retries != null) {
      b.retryOptions(retries);
    }
    OpenAIClient sdk = b.buildClient();
    return AzureOpenAIChatClient.builder().client(sdk).deployment(deployment).build();
  }

  /** No retries: the in-process stand-in's scripted errors reach the proxy as they are. */
  public static RetryOptions noRetries() {
    return new RetryOptions(
        new ExponentialBackoffOptions()
            .setMaxRetries(0)
            .setBaseDelay(Duration.ofMillis(10))
            .setMaxDelay(Duration.ofMillis(50)));
  }
}
