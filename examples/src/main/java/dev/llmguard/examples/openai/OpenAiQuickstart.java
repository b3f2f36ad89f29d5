package dev.llmguard.examples.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmguard.GuardrailViolationException;
import dev.llmguard.Policy;
import dev.llmguard.openai.GuardedOpenAIClient;
import java.util.Map;

/**
 * Guards an application that uses the official OpenAI Java SDK by changing one line: the client
 * built with {@code OpenAIOkHttpClient.fromEnv()} is wrapped in {@link GuardedOpenAIClient}; every
 * call site stays as it was. Works for OpenAI and for Azure OpenAI (the SDK decides from its
 * environment; the event says {@code openai} or {@code azure.ai.openai}).
 *
 * <p>Needs {@code OPENAI_API_KEY} (OpenAI) or {@code AZURE_OPENAI_KEY} plus {@code OPENAI_BASE_URL}
 * (Azure, e.g. {@code https://my-resource.openai.azure.com}); {@code OPENAI_MODEL} picks the model
 * or Azure deployment (default {@value #DEFAULT_MODEL}). Exits with status 2 and says what is
 * missing otherwise; 1 when the call failed or the guard blocked it.
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * OPENAI_API_KEY=sk-... mvn -q -pl examples exec:java \
 *   -Dexec.mainClass=dev.llmguard.examples.openai.OpenAiQuickstart -Dexec.args="Where is my order 4471?"
 * </pre>
 */
public final class OpenAiQuickstart {

  static final String DEFAULT_MODEL = "gpt-4o-mini";

  private OpenAiQuickstart() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv()));
  }

  /** Runs the example; returns the exit status (0 ok, 1 failed or blocked, 2 not set up). */
  static int run(String[] args, Map<String, String> env) {
    String missing = missing(env);
    if (missing != null) {
      System.err.println(missing);
      return 2;
    }
    String model = env.getOrDefault("OPENAI_MODEL", DEFAULT_MODEL);
    String question = args.length > 0 ? String.join(" ", args) : "Where is my order 4471?";
    OpenAIClient sdk;
    try {
      sdk = OpenAIOkHttpClient.fromEnv();
    } catch (RuntimeException e) {
      System.err.println("OpenAiQuickstart: the OpenAI client cannot be built: " + e.getMessage());
      return 2;
    }
    // The one-line switch: wrap the client; the calls below are the SDK's own.
    OpenAIClient client =
        GuardedOpenAIClient.wrap(
            sdk, guard -> guard.policy(Policy.redact()).serviceName("openai-quickstart"));
    try {
      ChatCompletion answer =
          client
              .chat()
              .completions()
              .create(
                  ChatCompletionCreateParams.builder()
                      .model(model)
                      .addSystemMessage("You are the support assistant of a web shop. Be brief.")
                      .addUserMessage(question)
                      .build());
      System.out.println(answer.choices().get(0).message().content().orElse("(no text)"));
      return 0;
    } catch (GuardrailViolationException e) {
      System.err.println("Blocked by llm-guard: " + e.getMessage());
      return 1;
    } catch (OpenAIServiceException e) {
      System.err.println(
          "The provider refused the call (" + e.statusCode() + "): " + e.getMessage());
      return 1;
    } finally {
      client.close(); // delivers the pending event, then closes the SDK client
    }
  }

  /** What is missing from the environment, as a message, or {@code null} when all is set. */
  static String missing(Map<String, String> env) {
    boolean openAi = set(env, "OPENAI_API_KEY") || System.getProperty("openai.apiKey") != null;
    boolean azure = set(env, "AZURE_OPENAI_KEY");
    if (!openAi && !azure) {
      return "OpenAiQuickstart needs OPENAI_API_KEY (OpenAI) or AZURE_OPENAI_KEY and"
          + " OPENAI_BASE_URL (Azure OpenAI). Example:\n"
          + "  export OPENAI_API_KEY=sk-...\n"
          + "or\n"
          + "  export AZURE_OPENAI_KEY=<key from the Azure portal>\n"
          + "  export OPENAI_BASE_URL=https://my-resource.openai.azure.com\n"
          + "  export OPENAI_MODEL=<your chat deployment, e.g. gpt-4o>";
    }
    if (azure && !set(env, "OPENAI_BASE_URL")) {
      return "OpenAiQuickstart: AZURE_OPENAI_KEY is set but OPENAI_BASE_URL is not; set it to your"
          + " resource, e.g. https://my-resource.openai.azure.com";
    }
    return null;
  }

  private static boolean set(Map<String, String> env, String name) {
    String v = env.get(name);
    return v != null && !v.isBlank();
  }
}
