package dev.llmguard.examples.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureQuickstartTest {

  @Test
  void namesTheMissingVariablesAndExitsWithStatusTwo() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int status;
    try {
      status =
          AzureQuickstart.run(
              new String[0],
              Map.of("AZURE_OPENAI_ENDPOINT", "https://my-resource.openai.azure.com"));
    } finally {
      System.setErr(err);
    }

    assertThat(status).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("AZURE_OPENAI_API_KEY, AZURE_DEPLOYMENT_NAME to be set")
        .doesNotContain("needs AZURE_OPENAI_ENDPOINT");
  }
}
