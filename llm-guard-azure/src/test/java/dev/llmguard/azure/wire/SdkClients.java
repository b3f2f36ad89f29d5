package dev.llmguard.azure.wire;

import com.azure.ai.openai.OpenAIAsyncClient;
import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import dev.llmguard.testkit.TestCertificate;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Builds real Azure SDK clients that talk to an {@link AzureWireServer} over HTTPS. The test
 * certificate is trusted by this client's own Netty {@code SslContext} only; nothing JVM-wide.
 */
public final class SdkClients {

  /** The API key the tests send; the server records the {@code api-key} header. */
  public static final String API_KEY = "test-key-0f3c9c1e";

  private final HttpClient httpClient;
  private final String endpoint;

  public SdkClients(TestCertificate certificate, String endpoint) {
    this.endpoint = endpoint;
    try {
      SslContext ssl =
          SslContextBuilder.forClient().trustManager(certificate.trustManagerFactory()).build();
      reactor.netty.http.client.HttpClient netty =
          reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(ssl));
      this.httpClient = new NettyAsyncHttpClientBuilder(netty).build();
    } catch (SSLException e) {
      throw new IllegalStateException("Cannot build the client TLS context", e);
    }
  }

  /** Retries quickly (3 tries, 10–50 ms apart) so 5xx tests stay fast; honours retry-after. */
  public static RetryOptions fastRetries() {
    return new RetryOptions(
        new ExponentialBackoffOptions()
            .setMaxRetries(3)
            .setBaseDelay(Duration.ofMillis(10))
            .setMaxDelay(Duration.ofMillis(50)));
  }

  public OpenAIClientBuilder builder() {
    return new OpenAIClientBuilder()
        .endpoint(endpoint)
        .credential(new AzureKeyCredential(API_KEY))
        .httpClient(httpClient)
        .retryOptions(fastRetries());
  }

  public OpenAIClient sync() {
    return builder().buildClient();
  }

  public OpenAIAsyncClient async() {
    return builder().buildAsyncClient();
  }
}
