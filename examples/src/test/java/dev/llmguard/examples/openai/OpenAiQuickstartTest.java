package dev.llmguard.examples.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiQuickstartTest {

  private static String runCapturingErr(Map<String, String> env, int[] status) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      status[0] = OpenAiQuickstart.run(new String[0], env);
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutAnyKeyItSaysWhatToSetAndExitsWithStatusTwo() {
    int[] status = new int[1];

    String err = runCapturingErr(Map.of("OPENAI_MODEL", "gpt-4o-mini"), status);

    assertThat(status[0]).isEqualTo(2);
    assertThat(err)
        .contains("needs OPENAI_API_KEY (OpenAI) or AZURE_OPENAI_KEY and OPENAI_BASE_URL");
  }

  @Test
  void anAzureKeyWithoutTheResourceUrlIsReportedAndExitsWithStatusTwo() {
    int[] status = new int[1];

    String err = runCapturingErr(Map.of("AZURE_OPENAI_KEY", "3c6f1a9e2b7d4c8f"), status);

    assertThat(status[0]).isEqualTo(2);
    assertThat(err).contains("AZURE_OPENAI_KEY is set but OPENAI_BASE_URL is not");
  }
}
