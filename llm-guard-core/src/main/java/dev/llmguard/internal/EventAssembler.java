package dev.llmguard.internal;

import dev.llmguard.Action;
import dev.llmguard.ProviderFilterResult;
import dev.llmguard.Usage;
import dev.llmguard.Verdict;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Span;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link GuardEvent} of one exchange from what the guard saw. Stateless, thread-safe.
 */
public final class EventAssembler {
  public static final String DATASET = "llm_guard.events";
  public static final String RULESET = "llm-guard";
  public static final String FRAMEWORK = "OWASP LLM Top 10";

  private final String serviceName;
  private final String serviceVersion;
  private final String namespace;
  private final Map<String, String> labels;
  private final boolean captureContent;
  private final int maxContentChars;

  public EventAssembler(
      String serviceName,
      String serviceVersion,
      String namespace,
      Map<String, String> labels,
      boolean captureContent,
      int maxContentChars) {
    this.serviceName = serviceName;
    this.serviceVersion = serviceVersion;
    this.namespace = namespace;
    this.labels = Map.copyOf(labels);
    this.captureContent = captureContent;
    this.maxContentChars = maxContentChars;
  }

  /** Everything known about one exchange when its event is built. */
  public record Facts(
      String eventId,
      Instant start,
      long durationNanos,
      long responseTimeMillis,
      long guardNanos,
      String provider,
      String requestModel,
      String userId,
      String conversationId,
      Map<String, String> requestLabels,
      String promptForEvent,
      long promptSize,
      Verdict promptVerdict,
      String responseModel,
      String responseId,
      List<String> finishReasons,
      Usage usage,
      String completionForEvent,
      long completionSize,
      Verdict responseVerdict,
      List<ProviderFilterResult> providerFilters,
      boolean providerBlocked,
      String errorType,
      String errorMessage,
      String errorCode,
      String outcome,
      String note) {}

  public GuardEvent assemble(Facts f) {
    List<Finding> all = new ArrayList<>();
    List<Finding> triggered = new ArrayList<>();
    List<GuardEvent.FindingFields> findingFields = new ArrayList<>();
    Action action = Action.ALLOW;
    for (Verdict v : new Verdict[] {f.promptVerdict(), f.responseVerdict()}) {
      if (v == null) {
        continue;
      }
      action = action.max(v.action());
      Set<Finding> trig = new java.util.HashSet<>(v.triggered());
      for (Finding x : v.findings()) {
        all.add(x);
        boolean t = trig.contains(x);
        if (t) {
          triggered.add(x);
        }
        findingFields.add(
            fields(x, v.phase().id(), t, t ? v.action().name() : Action.ALLOW.name()));
      }
    }
    boolean blocked = action == Action.BLOCK || f.providerBlocked();
    List<Finding> threats = new ArrayList<>();
    for (Finding x : triggered) {
      if (x.category().isThreat()) {
        threats.add(x);
      }
    }
    boolean alert = !threats.isEmpty() || f.providerBlocked();
    Finding top = top(threats.isEmpty() ? triggered : threats);
    double risk = 0;
    for (Finding x : threats) {
      risk = Math.max(risk, x.score());
    }
    if (f.providerBlocked()) {
      risk = Math.max(risk, 0.9);
    }

    Set<String> policyNames = new LinkedHashSet<>();
    Set<String> confidences = new LinkedHashSet<>();
    Set<String> codes = new LinkedHashSet<>();
    Set<String> threatCategories = new LinkedHashSet<>();
    Set<String> owasp = new LinkedHashSet<>();
    for (Finding x : triggered) {
      policyNames.add(x.detectorId());
      confidences.add(x.confidence().name());
    }
    for (Finding x : threats) {
      codes.add(x.detectorId().toUpperCase(Locale.ROOT).replace('-', '_'));
      threatCategories.add(x.category().id());
      if (x.category().owaspId() != null) {
        owasp.add(x.category().owaspId());
      }
    }
    if (f.providerBlocked()) {
      codes.add("PROVIDER_CONTENT_FILTER");
    }
    List<String> actions = new ArrayList<>();
    if (f.promptVerdict() != null && f.promptVerdict().action() != Action.ALLOW) {
      actions.add(f.promptVerdict().action().name());
    }
    if (f.responseVerdict() != null
        && f.responseVerdict().action() != Action.ALLOW
        && !actions.contains(f.responseVerdict().action().name())) {
      actions.add(f.responseVerdict().action().name());
    }

    String type = blocked ? "denied" : triggered.isEmpty() ? "allowed" : "info";
    List<String> category = alert ? List.of("api", "intrusion_detection") : List.of("api");
    String reason =
        top == null ? (f.providerBlocked() ? "provider content filter" : f.note()) : reason(top);
    GuardEvent.Event event =
        new GuardEvent.Event(
            f.eventId(),
            alert ? "alert" : "event",
            category,
            List.of(type),
            f.outcome(),
            "chat",
            DATASET,
            "llm_guard",
            Instant.now().toString(),
            f.durationNanos(),
            round(risk * 100),
            severity(risk),
            reason);

    GuardEvent.GenAi genAi =
        new GuardEvent.GenAi(
            new GuardEvent.Provider(f.provider()),
            new GuardEvent.Name("chat"),
            f.requestModel() == null ? null : new GuardEvent.Request(f.requestModel()),
            response(f),
            usage(f.usage()),
            f.conversationId() == null ? null : new GuardEvent.Id(f.conversationId()),
            captureContent ? clip(f.promptForEvent()) : null,
            hash(f.promptForEvent()),
            captureContent ? clip(f.completionForEvent()) : null,
            hash(f.completionForEvent()),
            new GuardEvent.Security(
                round(maxScore(all, Category.PROMPT_INJECTION)),
                round(maxScore(all, Category.JAILBREAK)),
                round(maxScore(all, Category.REFUSAL))),
            new GuardEvent.PolicyFields(
                List.copyOf(policyNames), actions, List.copyOf(confidences), !triggered.isEmpty()),
            new GuardEvent.Compliance(!codes.isEmpty(), List.copyOf(codes)),
            new GuardEvent.ThreatFields(alert, List.copyOf(threatCategories), round(risk)),
            new GuardEvent.Owasp(List.copyOf(owasp)),
            new GuardEvent.Analysis(findingFields),
            new GuardEvent.Performance(
                f.promptSize(), f.completionSize(), f.responseTimeMillis(), f.guardNanos() / 1000),
            providerFilter(f.providerFilters()));

    Map<String, String> allLabels = new LinkedHashMap<>(labels);
    allLabels.putAll(f.requestLabels());
    return new GuardEvent(
        Instant.ofEpochMilli(f.start().toEpochMilli()).toString(),
        event,
        new GuardEvent.DataStream("logs", DATASET, namespace),
        new GuardEvent.Service(serviceName, serviceVersion),
        allLabels.isEmpty() ? null : allLabels,
        f.userId() == null ? null : new GuardEvent.Id(f.userId()),
        f.conversationId() == null ? null : new GuardEvent.Id(f.conversationId()),
        genAi,
        top == null
            ? null
            : new GuardEvent.Rule(top.detectorId(), ruleName(top.detectorId()), RULESET),
        alert ? new GuardEvent.Threat(FRAMEWORK) : null,
        f.errorType() == null
            ? null
            : new GuardEvent.Error(f.errorType(), f.errorMessage(), f.errorCode()));
  }

  private static GuardEvent.Response response(Facts f) {
    if (f.responseModel() == null
        && f.responseId() == null
        && f.finishReasons().isEmpty()
        && f.errorCode() == null) {
      return null;
    }
    return new GuardEvent.Response(
        f.responseModel(),
        f.responseId(),
        f.finishReasons().isEmpty() ? null : f.finishReasons(),
        f.errorCode());
  }

  private static GuardEvent.TokenUsage usage(Usage u) {
    if (u == null || !u.isKnown()) {
      return null;
    }
    return new GuardEvent.TokenUsage(
        u.inputTokens() >= 0 ? u.inputTokens() : null,
        u.outputTokens() >= 0 ? u.outputTokens() : null);
  }

  private static Map<String, GuardEvent.FilterFields> providerFilter(
      List<ProviderFilterResult> results) {
    if (results == null || results.isEmpty()) {
      return null;
    }
    Map<String, GuardEvent.FilterFields> out = new LinkedHashMap<>();
    for (ProviderFilterResult r : results) {
      GuardEvent.FilterFields cur =
          new GuardEvent.FilterFields(r.filtered(), r.severity(), r.detected(), r.source());
      out.merge(r.category(), cur, EventAssembler::merge);
    }
    return out;
  }

  private static GuardEvent.FilterFields merge(
      GuardEvent.FilterFields a, GuardEvent.FilterFields b) {
    return new GuardEvent.FilterFields(
        or(a.filtered(), b.filtered()),
        severityRank(b.severity()) > severityRank(a.severity()) ? b.severity() : a.severity(),
        or(a.detected(), b.detected()),
        a.source().equals(b.source()) ? a.source() : "prompt,completion");
  }

  private static Boolean or(Boolean a, Boolean b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a || b;
  }

  private static int severityRank(String s) {
    if (s == null) {
      return -1;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "safe" -> 0;
      case "low" -> 1;
      case "medium" -> 2;
      case "high" -> 3;
      default -> 0;
    };
  }

  private static GuardEvent.FindingFields fields(
      Finding x, String phase, boolean triggered, String action) {
    List<int[]> spans = new ArrayList<>(x.spans().size());
    for (Span s : x.spans()) {
      spans.add(new int[] {s.start(), s.end()});
    }
    return new GuardEvent.FindingFields(
        x.detectorId(),
        x.category().id(),
        phase,
        round(x.score()),
        x.confidence().name(),
        triggered,
        action,
        spans,
        x.message(),
        x.metadata());
  }

  private static Finding top(List<Finding> findings) {
    Finding best = null;
    for (Finding x : findings) {
      if (best == null || x.score() > best.score()) {
        best = x;
      }
    }
    return best;
  }

  private static double maxScore(List<Finding> findings, Category c) {
    double m = 0;
    for (Finding x : findings) {
      if (x.category() == c) {
        m = Math.max(m, x.score());
      }
    }
    return m;
  }

  private static String reason(Finding top) {
    return String.format(
        Locale.ROOT,
        "%s: %s (score %.2f)",
        top.detectorId(),
        top.message().isEmpty() ? top.category().id() : top.message(),
        top.score());
  }

  /** Elastic's severity scale: 21 low, 47 medium, 73 high, 99 critical. */
  static int severity(double risk) {
    if (risk >= 0.97) {
      return 99;
    }
    if (risk >= 0.7) {
      return 73;
    }
    if (risk >= 0.4) {
      return 47;
    }
    return risk > 0 ? 21 : 0;
  }

  private static final Map<String, String> RULE_NAMES =
      Map.ofEntries(
          Map.entry("prompt-injection", "Prompt injection"),
          Map.entry("jailbreak", "Jailbreak attempt"),
          Map.entry("pii", "Personal data"),
          Map.entry("secrets", "Secret or credential"),
          Map.entry("invisible-text", "Hidden Unicode text"),
          Map.entry("token-limit", "Token limit or flooding"),
          Map.entry("banned-substrings", "Banned text"),
          Map.entry("regex", "Custom pattern"),
          Map.entry("refusal", "Model refusal"),
          Map.entry("system-prompt-leak", "System prompt leak"),
          Map.entry("exfiltration", "Data exfiltration link"),
          Map.entry("provider-filter", "Provider content filter"));

  static String ruleName(String detectorId) {
    String known = RULE_NAMES.get(detectorId);
    if (known != null) {
      return known;
    }
    String s = detectorId.replace('-', ' ').replace('_', ' ');
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static double round(double v) {
    return Math.round(v * 10000.0) / 10000.0;
  }

  private String clip(String text) {
    if (text == null) {
      return null;
    }
    String clean = Texts.replaceUnpairedSurrogates(text);
    if (clean.length() <= maxContentChars) {
      return clean;
    }
    int cut = maxContentChars;
    if (Character.isHighSurrogate(clean.charAt(cut - 1))) {
      cut--;
    }
    return clean.substring(0, cut) + "…[truncated " + (clean.length() - cut) + " chars]";
  }

  /** {@code sha256:<hex>} of the text as UTF-8 (unpaired surrogates as U+FFFD), or {@code null}. */
  public static String hash(String text) {
    return text == null ? null : "sha256:" + Sha256.hex(text);
  }
}
