package dev.llmguard.examples;

import dev.llmguard.ChatClient;
import dev.llmguard.ChatMessage;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.Role;
import dev.llmguard.Usage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for a model: answers each known prompt with a scripted answer, so the demo
 * runs offline. Thread-safe.
 */
public final class ScriptedLlm implements ChatClient {
  private final Map<String, String> answers;
  private final AtomicInteger calls = new AtomicInteger();

  public ScriptedLlm(Map<String, String> answers) {
    this.answers = Map.copyOf(answers);
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    int n = calls.incrementAndGet();
    String last = "";
    for (ChatMessage m : request.messages()) {
      if (m.role() == Role.USER) {
        last = m.text();
      }
    }
    String answer = answers.getOrDefault(last, "I am not sure I understood; could you rephrase?");
    return ChatResponse.of(
        "demo-" + n,
        "scripted-demo-model",
        answer,
        "stop",
        Usage.of(last.length() / 4, answer.length() / 4));
  }

  @Override
  public String providerName() {
    return "scripted";
  }

  public int calls() {
    return calls.get();
  }
}
