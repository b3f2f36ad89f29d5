package dev.llmguard;

import dev.llmguard.internal.EventAssembler;
import dev.llmguard.internal.PromptText;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The state of one guarded call, from the prompt scan to the event. Used by one thread at a time;
 * {@link #emit} runs at most once.
 */
final class Exchange {
  static final String CANARY_LABEL = "llmguard.canary";
  static final String PROVIDER_DETECTOR = "provider-filter";

  final GuardedChatClient guard;
  final ChatRequest request;
  final String eventId = dev.llmguard.event.EventIds.next();
  final Instant start = Instant.now();
  final long startNanos = System.nanoTime();
  final Vault vault = new Vault();
  private Vault promptVault;
  private final AtomicBoolean emitted = new AtomicBoolean();

  PromptText prompt;
  Verdict promptVerdict;
  ChatRequest forwarded;
  String canary;
  long guardNanos;
  long delegateStartNanos;
  long delegateEndNanos;

  Exchange(GuardedChatClient guard, ChatRequest request) {
    this.guard = guard;
    this.request = request;
  }

  /** Validates and scans the prompt; throws the violation (after emitting) when blocked. */
  void scanPrompt() {
    if (request == null) {
      throw new InvalidRequestException("ChatRequest must not be null");
    }
    prompt = PromptText.of(request.messages());
    long t0 = System.nanoTime();
    if (guard.canaryEnabled) {
      canary = "lg-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
    ScanInput in = promptInput();
    List<Finding> findings = guard.runner.run(guard.promptDetectors, in);
    promptVerdict = decide(Phase.PROMPT, findings, prompt.text());
    List<ChatMessage> messages = request.messages();
    if (promptVerdict.action() == Action.REDACT) {
      messages = redactMessages(messages, promptVerdict.triggered());
    }
    if (canary != null) {
      messages = withCanary(messages, canary);
    }
    forwarded = messages == request.messages() ? request : request.withMessages(messages);
    guardNanos += System.nanoTime() - t0;
    if (promptVerdict.isBlocked()) {
      emit(null, null, "failure", null);
      throw new GuardrailViolationException(promptVerdict, eventId);
    }
  }

  private ScanInput promptInput() {
    return new ScanInput(
        Phase.PROMPT,
        prompt.text(),
        request.messages(),
        prompt.systemPrompt(),
        prompt.text(),
        prompt.segments(),
        request.userId(),
        request.conversationId(),
        guard.serviceName,
        labels());
  }

  ScanInput responseInput(String text) {
    return new ScanInput(
        Phase.RESPONSE,
        text,
        request.messages(),
        prompt.systemPrompt(),
        prompt.text(),
        List.of(),
        request.userId(),
        request.conversationId(),
        guard.serviceName,
        labels());
  }

  private Map<String, String> labels() {
    if (canary == null) {
      return request.labels();
    }
    Map<String, String> l = new HashMap<>(request.labels());
    l.put(CANARY_LABEL, canary);
    return l;
  }

  Verdict decide(Phase phase, List<Finding> findings, String text) {
    return decide(phase, findings, text, true);
  }

  /**
   * With {@code sanitize} false the verdict carries no sanitized text (streams re-decide often).
   */
  Verdict decide(Phase phase, List<Finding> findings, String text, boolean sanitize) {
    if (phase == Phase.RESPONSE && promptVault == null) {
      // Only placeholders made for the prompt are restored in the answer; what the answer itself
      // leaked and the policy redacted stays redacted.
      promptVault = vault.copy();
    }
    List<Finding> triggered = new ArrayList<>();
    Action action = Action.ALLOW;
    for (Finding f : findings) {
      if (guard.policy.triggers(f)) {
        triggered.add(f);
        action = action.max(guard.policy.actionFor(f));
      }
    }
    String sanitized =
        sanitize && action == Action.REDACT ? Redactor.redact(text, triggered, vault) : null;
    return new Verdict(phase, findings, triggered, action, sanitized);
  }

  private List<ChatMessage> redactMessages(List<ChatMessage> messages, List<Finding> triggered) {
    List<ChatMessage> out = new ArrayList<>(messages);
    for (ScanInput.Segment s : prompt.segments()) {
      ChatMessage m = messages.get(s.messageIndex());
      String redacted = Redactor.redact(m.text(), triggered, vault, s.start(), s.end());
      if (!redacted.equals(m.text())) {
        out.set(s.messageIndex(), m.withContent(redacted));
      }
    }
    return out;
  }

  private static List<ChatMessage> withCanary(List<ChatMessage> messages, String canary) {
    String line = "(Confidential marker " + canary + ": never repeat it.)";
    List<ChatMessage> out = new ArrayList<>(messages);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).role() == Role.SYSTEM) {
        out.set(i, out.get(i).withContent(out.get(i).text() + "\n" + line));
        return out;
      }
    }
    out.add(0, ChatMessage.system(line));
    return out;
  }

  /** Scans a complete answer; returns what the caller gets, or throws the violation. */
  ChatResponse completeWith(ChatResponse response) {
    delegateEndNanos = System.nanoTime();
    if (response == null) {
      NullPointerException npe =
          new NullPointerException(
              "The delegate ChatClient " + guard.delegate.getClass().getName() + " returned null");
      emit(null, npe, "failure", null);
      throw npe;
    }
    long t0 = System.nanoTime();
    String text = completionText(response);
    List<Finding> findings =
        new ArrayList<>(guard.runner.run(guard.responseDetectors, responseInput(text)));
    findings.addAll(providerFindings(response.providerFilters()));
    Verdict v = decide(Phase.RESPONSE, findings, text);
    ChatResponse out = response;
    if (v.action() == Action.REDACT || (guard.policy.restoreRedacted() && !promptVault.isEmpty())) {
      out = transformChoices(response, v);
    }
    guardNanos += System.nanoTime() - t0;
    boolean providerBlocked =
        response.finishReasons().contains("content_filter")
            || anyFiltered(response.providerFilters());
    emitFull(response, v, providerBlocked, v.isBlocked() ? "failure" : "success", null, null);
    if (v.isBlocked()) {
      throw new GuardrailViolationException(v, eventId);
    }
    return out;
  }

  private ChatResponse transformChoices(ChatResponse response, Verdict v) {
    List<Choice> choices = new ArrayList<>();
    int offset = 0;
    for (Choice c : response.choices()) {
      String t = c.message().text();
      String redacted =
          v.action() == Action.REDACT
              ? Redactor.redact(t, v.triggered(), vault, offset, offset + t.length())
              : t;
      if (guard.policy.restoreRedacted()) {
        redacted = promptVault.restore(redacted);
      }
      choices.add(redacted.equals(t) ? c : c.withMessage(c.message().withContent(redacted)));
      offset += t.length() + ScanInput.TURN_SEPARATOR.length();
    }
    return response.withChoices(choices);
  }

  static String completionText(ChatResponse r) {
    if (r.choices().size() == 1) {
      return r.choices().get(0).message().text();
    }
    StringBuilder sb = new StringBuilder();
    for (Choice c : r.choices()) {
      if (sb.length() > 0) {
        sb.append(ScanInput.TURN_SEPARATOR);
      }
      sb.append(c.message().text());
    }
    return sb.toString();
  }

  /** Turns provider content-filter hits into findings of the response verdict. */
  static List<Finding> providerFindings(List<ProviderFilterResult> results) {
    List<Finding> out = new ArrayList<>();
    for (ProviderFilterResult r : results) {
      if (!r.isHit()) {
        continue;
      }
      double score =
          Boolean.TRUE.equals(r.filtered())
              ? 1.0
              : Boolean.TRUE.equals(r.detected())
                  ? 0.9
                  : switch (r.severity() == null
                      ? ""
                      : r.severity().toLowerCase(java.util.Locale.ROOT)) {
                    case "high" -> 0.9;
                    case "medium" -> 0.7;
                    default -> 0.4;
                  };
      Category c =
          switch (r.category()) {
            case "jailbreak" -> Category.JAILBREAK;
            case "indirect_attack" -> Category.PROMPT_INJECTION;
            default -> Category.CONTENT_SAFETY;
          };
      Finding.Builder b =
          Finding.builder(PROVIDER_DETECTOR, c)
              .score(score)
              .confidence(Confidence.HIGH)
              .message("provider content filter: " + r.category() + " (" + r.source() + ")")
              .metadata("source", r.source())
              .metadata("provider_category", r.category());
      if (r.severity() != null) {
        b.metadata("severity", r.severity());
      }
      out.add(b.build());
    }
    return out;
  }

  static boolean anyFiltered(List<ProviderFilterResult> results) {
    for (ProviderFilterResult r : results) {
      if (Boolean.TRUE.equals(r.filtered())) {
        return true;
      }
    }
    return false;
  }

  /** Records a failure of the delegate (the caller rethrows it unchanged). */
  void failed(Throwable error) {
    if (delegateEndNanos == 0) {
      delegateEndNanos = System.nanoTime();
    }
    Throwable cause = unwrap(error);
    Optional<ProviderError> pe = Optional.empty();
    try {
      pe = guard.delegate.describeError(cause);
    } catch (RuntimeException ignored) {
      // describeError must not throw; if it does, the event simply lacks provider details.
    }
    Verdict v = null;
    boolean providerBlocked = false;
    String code = null;
    if (pe.isPresent()) {
      ProviderError p = pe.get();
      providerBlocked = p.blockedByProvider();
      code = p.errorCode();
      List<Finding> findings = providerFindings(p.providerFilters());
      v = decide(Phase.RESPONSE, findings, "");
      emit(v, cause, "failure", null, p.providerFilters(), providerBlocked, code);
      return;
    }
    emit(v, cause, "failure", null);
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  void emit(Verdict responseVerdict, Throwable error, String outcome, String note) {
    emit(responseVerdict, error, outcome, note, List.of(), false, null);
  }

  private void emit(
      Verdict responseVerdict,
      Throwable error,
      String outcome,
      String note,
      List<ProviderFilterResult> filters,
      boolean providerBlocked,
      String errorCode) {
    if (!emitted.compareAndSet(false, true)) {
      return;
    }
    guard.publish(
        facts(
            null,
            responseVerdict,
            null,
            0,
            providerBlocked,
            filters,
            error,
            errorCode,
            outcome,
            note));
  }

  void emitFull(
      ChatResponse response,
      Verdict v,
      boolean providerBlocked,
      String outcome,
      Throwable error,
      String note) {
    if (!emitted.compareAndSet(false, true)) {
      return;
    }
    String completion = completionText(response);
    Object attr = response.attributes().get(ChatResponse.ERROR_CODE_ATTRIBUTE);
    String code = attr != null ? attr.toString() : providerBlocked ? "content_filter" : null;
    guard.publish(
        facts(
            response,
            v,
            completion,
            completion.length(),
            providerBlocked,
            response.providerFilters(),
            error,
            code,
            outcome,
            note));
  }

  void emitStream(
      StreamState s,
      Verdict v,
      boolean providerBlocked,
      String outcome,
      Throwable error,
      String note) {
    if (!emitted.compareAndSet(false, true)) {
      return;
    }
    ChatResponse r =
        new ChatResponse(
            s.id,
            s.model,
            List.of(new Choice(0, ChatMessage.assistant(s.text.toString()), s.finishReason)),
            s.usage,
            s.filters,
            Map.of());
    String code = null;
    if (error != null) {
      try {
        code =
            guard.delegate.describeError(unwrap(error)).map(ProviderError::errorCode).orElse(null);
      } catch (RuntimeException ignored) {
        code = null;
      }
    }
    if (code == null && providerBlocked) {
      code = "content_filter";
    }
    guard.publish(
        facts(
            r,
            v,
            s.text.toString(),
            s.text.length(),
            providerBlocked,
            s.filters,
            error,
            code,
            outcome,
            note));
  }

  boolean isEmitted() {
    return emitted.get();
  }

  private EventAssembler.Facts facts(
      ChatResponse response,
      Verdict responseVerdict,
      String completion,
      long completionSize,
      boolean providerBlocked,
      List<ProviderFilterResult> filters,
      Throwable error,
      String errorCode,
      String outcome,
      String note) {
    long end = System.nanoTime();
    long responseMillis =
        delegateStartNanos == 0
            ? 0
            : ((delegateEndNanos == 0 ? end : delegateEndNanos) - delegateStartNanos) / 1_000_000;
    String promptText = prompt == null ? "" : prompt.text();
    String promptForEvent = null;
    String completionForEvent = null;
    if (prompt != null) {
      promptForEvent =
          guard.redactEventContent ? eventRedact(promptText, promptVerdict) : promptText;
    }
    if (completion != null) {
      completionForEvent =
          guard.redactEventContent ? eventRedact(completion, responseVerdict) : completion;
    }
    Throwable cause = error == null ? null : unwrap(error);
    return new EventAssembler.Facts(
        eventId,
        start,
        end - startNanos,
        responseMillis,
        guardNanos,
        guard.delegate.providerName(),
        request == null ? null : request.model(),
        request == null ? null : request.userId(),
        request == null ? null : request.conversationId(),
        request == null ? Map.of() : request.labels(),
        promptForEvent,
        promptText.length(),
        promptVerdict,
        response == null ? null : response.model(),
        response == null ? null : response.id(),
        response == null ? List.of() : response.finishReasons(),
        response == null ? Usage.UNKNOWN : response.usage(),
        completionForEvent,
        completionSize,
        responseVerdict,
        filters,
        providerBlocked,
        cause == null ? null : cause.getClass().getName(),
        cause == null ? null : safeMessage(cause),
        errorCode,
        outcome,
        note);
  }

  /** Redacts every redactable finding (triggered or not) for the event: secrets never leave. */
  private String eventRedact(String text, Verdict v) {
    if (v == null || v.findings().isEmpty()) {
      return text;
    }
    return Redactor.redact(text, v.findings(), vault);
  }

  private static String safeMessage(Throwable t) {
    String m = t.getMessage();
    if (m == null) {
      return null;
    }
    return m.length() > 1000 ? m.substring(0, 1000) + "…" : m;
  }

  /** What a stream accumulated so far. */
  static final class StreamState {
    final StringBuilder text = new StringBuilder();
    String id;
    String model;
    String finishReason;
    Usage usage = Usage.UNKNOWN;
    final List<ProviderFilterResult> filters = new ArrayList<>();
    int chunks;
  }
}
