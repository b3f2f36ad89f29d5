package dev.llmguard.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmguard.ChatClient;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.ProviderError;
import dev.llmguard.ProviderFilterResult;
import dev.llmguard.Usage;
import dev.llmguard.detect.injection.PromptInjectionDetectorProvider;
import dev.llmguard.detect.jailbreak.JailbreakDetectorProvider;
import dev.llmguard.detect.pii.PiiDetectorProvider;
import dev.llmguard.detect.secrets.SecretsDetectorProvider;
import dev.llmguard.event.GuardEvents;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scenarios of {@code rules/scenarios.jsonl} and what the guarded pipeline needs to play them:
 * detectors with the built-in ids, and a scripted model that reports token usage and can be blocked
 * by its "provider content filter".
 */
final class RuleScenarios {
  private RuleScenarios() {}

  /** One scripted exchange, sent {@code repeat} times; {@code fires} is null for benign ones. */
  record Scenario(
      String name,
      String fires,
      String user,
      String system,
      String prompt,
      String answer,
      int repeat,
      String providerBlock) {
    boolean benign() {
      return fires == null;
    }
  }

  static List<Scenario> load() {
    List<Scenario> out = new ArrayList<>();
    try (InputStream in =
        RuleScenarios.class.getClassLoader().getResourceAsStream("rules/scenarios.jsonl")) {
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = GuardEvents.mapper().readTree(line);
        out.add(
            new Scenario(
                n.path("scenario").asText(),
                n.hasNonNull("fires") ? n.path("fires").asText() : null,
                n.path("user").asText(),
                n.path("system").asText(null),
                n.path("prompt").asText(),
                n.path("answer").asText(),
                n.path("repeat").asInt(1),
                n.path("providerBlock").asText(null)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static ChatRequest request(Scenario s) {
    ChatRequest.Builder b =
        ChatRequest.builder().model("gpt-4o-prod").userId(s.user()).label("scenario", s.name());
    if (s.system() != null) {
      b.system(s.system());
    }
    return b.user(s.prompt()).build();
  }

  /**
   * The detectors the rules key on: the built-in {@code prompt-injection}, {@code jailbreak},
   * {@code secrets} and {@code pii}, and, as main has no built-in one yet, a small {@code
   * system-prompt-leak} detector under the built-in id.
   */
  static List<Detector> detectors() {
    return List.of(
        // The built-in detectors where main has them.
        new PromptInjectionDetectorProvider().create(DetectorConfig.empty("prompt-injection")),
        new JailbreakDetectorProvider().create(DetectorConfig.empty("jailbreak")),
        new SecretsDetectorProvider().create(DetectorConfig.empty("secrets")),
        new PiiDetectorProvider().create(DetectorConfig.empty("pii")),
        new SystemPromptEcho());
  }

  /** Finds the first sentence of the system prompt repeated in an answer. */
  static final class SystemPromptEcho implements Detector {
    @Override
    public String id() {
      return "system-prompt-leak";
    }

    @Override
    public Set<Phase> phases() {
      return Set.of(Phase.RESPONSE);
    }

    @Override
    public List<Finding> detect(ScanInput in) {
      String sys = in.systemPrompt();
      if (sys.length() < 20) {
        return List.of();
      }
      String probe = sys.substring(0, Math.min(60, sys.length()));
      int at = in.text().indexOf(probe);
      if (at < 0) {
        return List.of();
      }
      return List.of(
          Finding.builder(id(), Category.SYSTEM_PROMPT_LEAKAGE)
              .score(0.95)
              .confidence(Confidence.HIGH)
              .span(at, at + probe.length())
              .message("answer repeats the system prompt")
              .build());
    }
  }

  /** The model: scripted answers, usage of one token per four chars, a content filter. */
  static final class ScenarioModel implements ChatClient {
    private final Map<String, Scenario> byPrompt = new ConcurrentHashMap<>();

    ScenarioModel(List<Scenario> scenarios) {
      scenarios.forEach(s -> byPrompt.put(s.prompt(), s));
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      String prompt = request.messages().get(request.messages().size() - 1).text();
      Scenario s = byPrompt.get(prompt);
      if (s == null) {
        throw new IllegalArgumentException("no scripted answer for: " + prompt);
      }
      if (s.providerBlock() != null) {
        throw new ContentFiltered(s.providerBlock());
      }
      return ChatResponse.of(
          "chatcmpl-" + Integer.toHexString(prompt.hashCode()),
          "gpt-4o-2024-08-06",
          s.answer(),
          "stop",
          new Usage(Math.max(1, prompt.length() / 4), Math.max(1, s.answer().length() / 4)));
    }

    @Override
    public String providerName() {
      return "azure.ai.openai";
    }

    @Override
    public Optional<ProviderError> describeError(Throwable error) {
      if (error instanceof ContentFiltered cf) {
        return Optional.of(
            new ProviderError(
                "content_filter",
                true,
                List.of(
                    new ProviderFilterResult(
                        "prompt", cf.category, true, "high", null, Map.of()))));
      }
      return Optional.empty();
    }
  }

  /** What the scripted provider throws when its content filter refuses a prompt. */
  static final class ContentFiltered extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String category;

    ContentFiltered(String category) {
      super(
          "The response was filtered due to the prompt triggering the content management policy ("
              + category
              + ")");
      this.category = category;
    }
  }
}
