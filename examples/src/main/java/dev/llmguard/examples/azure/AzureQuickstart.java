package dev.llmguard.examples.azure;

import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.ai.openai.models.ChatChoice;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.ai.openai.models.ChatRequestSystemMessage;
import com.azure.ai.openai.models.ChatRequestUserMessage;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.exception.HttpResponseException;
import dev.llmguard.GuardrailViolationException;
import dev.llmguard.Policy;
import dev.llmguard.azure.GuardedOpenAIClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Guards an existing Azure OpenAI application by changing one line: the {@code OpenAIClient} it
 * already builds is wrapped in a {@link GuardedOpenAIClient}; every call site stays as it was.
 *
 * <p>Needs {@code AZURE_OPENAI_ENDPOINT} (e.g. {@code https://my-resource.openai.azure.com}),
 * {@code AZURE_OPENAI_API_KEY} and {@code AZURE_DEPLOYMENT_NAME}; exits with status 2 and says
 * which are missing otherwise. Events go to the sinks found on the class path (the log sink by
 * default).
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * AZURE_OPENAI_ENDPOINT=... AZURE_OPENAI_API_KEY=... AZURE_DEPLOYMENT_NAME=gpt-4o \
 *   mvn -q -pl examples exec:java -Dexec.mainClass=dev.llmguard.examples.azure.AzureQuickstart \
 *   -Dexec.args="Where is my order 4471?"
 * </pre>
 */
public final class AzureQuickstart {

  static final List<String> VARIABLES =
      List.of("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "AZURE_DEPLOYMENT_NAME");

  private AzureQuickstart() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv()));
  }

  /**
   * Runs the example; returns the process exit status (0 ok, 1 failed or blocked, 2 not set up).
   */
  static int run(String[] args, Map<String, String> env) {
    List<String> missing = new ArrayList<>();
    for (String v : VARIABLES) {
      if (env.get(v) == null || env.get(v).isBlank()) {
        missing.add(v);
      }
    }
    if (!missing.isEmpty()) {
      System.err.println(
          "AzureQuickstart needs "
              + String.join(", ", missing)
              + " to be set. Example:\n"
              + "  export AZURE_OPENAI_ENDPOINT=https://my-resource.openai.azure.com\n"
              + "  export AZURE_OPENAI_API_KEY=<key from the Azure portal>\n"
              + "  export AZURE_DEPLOYMENT_NAME=<your chat deployment, e.g. gpt-4o>");
      return 2;
    }
    String deployment = env.get("AZURE_DEPLOYMENT_NAME");
    String question = args.length > 0 ? String.join(" ", args) : "Where is my order 4471?";

    OpenAIClient sdk =
        new OpenAIClientBuilder()
            .endpoint(env.get("AZURE_OPENAI_ENDPOINT"))
            .credential(new AzureKeyCredential(env.get("AZURE_OPENAI_API_KEY")))
            .buildClient();
    // The one-line switch: wrap the client; the calls below are the SDK's own.
    try (GuardedOpenAIClient client =
        GuardedOpenAIClient.wrap(
            sdk, guard -> guard.policy(Policy.redact()).serviceName("azure-quickstart"))) {
      ChatCompletionsOptions options =
          new ChatCompletionsOptions(
                  List.of(
                      new ChatRequestSystemMessage("You are the support bot of a parcel service."),
                      new ChatRequestUserMessage(question)))
              .setUser("quickstart-user");
      ChatCompletions answer = client.getChatCompletions(deployment, options);
      for (ChatChoice choice : answer.getChoices()) {
        System.out.println(choice.getMessage().getContent());
      }
      if (answer.getUsage() != null) {
        System.out.println(
            "(tokens: "
                + answer.getUsage().getPromptTokens()
                + " in, "
                + answer.getUsage().getCompletionTokens()
                + " out)");
      }
      return 0;
    } catch (GuardrailViolationException e) {
      System.err.println("llm-guard blocked the exchange: " + e.getMessage());
      return 1;
    } catch (HttpResponseException e) {
      System.err.println(
          "Azure OpenAI answered HTTP " + e.getResponse().getStatusCode() + ": " + e.getMessage());
      return 1;
    }
  }
}
