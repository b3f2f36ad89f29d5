package dev.llmguard.openai.wire;

import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.llmguard.testkit.TestCertificate;
import java.time.Duration;

/** Real SDK clients pointed at an {@link OpenAiWireServer}, trusting its test certificate. */
public final class SdkClients {
  public static final String OPENAI_KEY = "sk-test-4f9c2e7a1b8d";
  public static final String AZURE_KEY = "3c6f1a9e2b7d4c8f0a5e1b9d7c3f2a6e";

  private SdkClients() {}

  /** A client for OpenAI's API shape ({@code <origin>/v1}). */
  public static OpenAIClient openAi(OpenAiWireServer server, TestCertificate cert) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(server.origin() + "/v1")
        .apiKey(OPENAI_KEY)
        .sslSocketFactory(cert.clientSocketFactory())
        .trustManager(cert.trustManager())
        .maxRetries(2)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  /**
   * A client for Azure OpenAI's deployment paths: {@code localhost} is not an Azure host, so the
   * path mode is set explicitly, as an application behind a gateway would.
   */
  public static OpenAIClient azure(OpenAiWireServer server, TestCertificate cert) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(server.origin())
        .credential(AzureApiKeyCredential.create(AZURE_KEY))
        .azureUrlPathMode(AzureUrlPathMode.LEGACY)
        .sslSocketFactory(cert.clientSocketFactory())
        .trustManager(cert.trustManager())
        .maxRetries(2)
        .timeout(Duration.ofSeconds(20))
        .build();
  }
}
