package dev.llmguard.azure.wire;

import dev.llmguard.testkit.TestCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Starts one {@link AzureWireServer} per test class (with a certificate made for the run) and
 * clears its script before each test.
 */
public abstract class WireTestBase {

  protected static TestCertificate certificate;
  protected static AzureWireServer server;
  protected static SdkClients sdk;

  @BeforeAll
  static void startServer() {
    certificate = TestCertificate.generate();
    server = AzureWireServer.start(certificate);
    sdk = new SdkClients(certificate, server.endpoint());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void resetServer() {
    server.reset();
  }
}
