package dev.llmguard;

import dev.llmguard.event.EventDispatcher;
import dev.llmguard.internal.ConfigSource;
import dev.llmguard.internal.DetectorRunner;
import dev.llmguard.internal.EventAssembler;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.EventSink;
import dev.llmguard.spi.EventSinkProvider;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.SinkConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChatClient} that scans every prompt and answer of the client it wraps, applies the
 * {@link Policy} and records one {@link dev.llmguard.event.GuardEvent} per call.
 *
 * <pre>{@code
 * ChatClient guarded = GuardedChatClient.builder(myClient)
 *     .policy(Policy.block())
 *     .serviceName("support-bot")
 *     .build();
 * ChatResponse answer = guarded.chat(ChatRequest.ofUser("Where is my order?"));
 * }</pre>
 *
 * <p>Per call: (1) scan the prompt, (2) decide — a blocked prompt throws {@link
 * GuardrailViolationException} and never reaches the delegate, a redacted prompt is sent with
 * placeholders, (3) call the delegate, (4) scan the answer, (5) decide again, (6) hand the event to
 * the {@link EventDispatcher}, which never blocks. Exceptions of the delegate reach the caller
 * untouched (and are recorded in the event). Thread-safe; build one and share it.
 *
 * <p>Settings not given to the builder are read from {@code llm-guard.properties} on the classpath,
 * {@code LLMGUARD_*} environment variables and {@code -Dllmguard.*} system properties (see the
 * README for every key).
 */
public final class GuardedChatClient implements ChatClient, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedChatClient.class);

  /** Default size of the sliding window scanned before each streamed chunk: {@value} chars. */
  public static final int DEFAULT_STREAM_WINDOW_CHARS = 1024;

  /** Default cap on prompt and completion text stored in an event: {@value} chars. */
  public static final int DEFAULT_MAX_CONTENT_CHARS = 32_768;

  final ChatClient delegate;
  final Policy policy;
  final List<Detector> promptDetectors;
  final List<Detector> responseDetectors;
  final DetectorRunner runner;
  final String serviceName;
  final boolean redactEventContent;
  final int streamWindowChars;
  final boolean canaryEnabled;
  private final List<Detector> detectors;
  private final EventAssembler assembler;
  private final EventDispatcher dispatcher;
  private final boolean ownsDispatcher;

  private GuardedChatClient(Builder b, Resolved r) {
    this.delegate = b.delegate;
    this.policy = r.policy;
    this.detectors = List.copyOf(r.detectors);
    this.promptDetectors = byPhase(r.detectors, Phase.PROMPT);
    this.responseDetectors = byPhase(r.detectors, Phase.RESPONSE);
    this.runner = new DetectorRunner(r.policy.detectorTimeout());
    this.serviceName = r.serviceName;
    this.redactEventContent = r.redactEventContent;
    this.streamWindowChars = r.streamWindowChars;
    this.canaryEnabled = r.canary;
    this.assembler =
        new EventAssembler(
            r.serviceName,
            r.serviceVersion,
            r.namespace,
            r.labels,
            r.captureContent,
            r.maxContentChars);
    this.dispatcher = r.dispatcher;
    this.ownsDispatcher = r.ownsDispatcher;
  }

  /** Starts a builder around {@code delegate}. */
  public static Builder builder(ChatClient delegate) {
    return new Builder(Objects.requireNonNull(delegate, "delegate"));
  }

  private static List<Detector> byPhase(List<Detector> all, Phase phase) {
    List<Detector> out = new ArrayList<>();
    for (Detector d : all) {
      if (d.phases().contains(phase)) {
        out.add(d);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    Exchange ex = new Exchange(this, request);
    ex.scanPrompt();
    ChatResponse response;
    ex.delegateStartNanos = System.nanoTime();
    try {
      response = delegate.chat(ex.forwarded);
    } catch (RuntimeException | Error e) {
      ex.failed(e);
      throw e;
    }
    return ex.completeWith(response);
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    Exchange ex = new Exchange(this, request);
    ex.scanPrompt();
    ChatStream upstream;
    ex.delegateStartNanos = System.nanoTime();
    try {
      upstream = delegate.stream(ex.forwarded);
    } catch (RuntimeException | Error e) {
      ex.failed(e);
      throw e;
    }
    if (upstream == null) {
      NullPointerException npe =
          new NullPointerException("The delegate ChatClient returned a null stream");
      ex.failed(npe);
      throw npe;
    }
    return new GuardedStream(ex, upstream);
  }

  /**
   * Guards an asynchronous call. The prompt scan runs in the calling thread; the answer is scanned
   * in the thread that completes the delegate's future; no thread waits for the provider. A blocked
   * prompt or answer completes the future exceptionally with {@link GuardrailViolationException};
   * the delegate's own failures complete it with their original exception.
   */
  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    Exchange ex = new Exchange(this, request);
    try {
      ex.scanPrompt();
    } catch (LlmGuardException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<ChatResponse> upstream;
    ex.delegateStartNanos = System.nanoTime();
    try {
      upstream = delegate.chatAsync(ex.forwarded);
    } catch (RuntimeException e) {
      ex.failed(e);
      return CompletableFuture.failedFuture(e);
    }
    return upstream.handle(
        (response, error) -> {
          if (error != null) {
            ex.failed(error);
            throw error instanceof CompletionException ce ? ce : new CompletionException(error);
          }
          return ex.completeWith(response);
        });
  }

  @Override
  public String providerName() {
    return delegate.providerName();
  }

  @Override
  public java.util.Optional<ProviderError> describeError(Throwable error) {
    return delegate.describeError(error);
  }

  void publish(EventAssembler.Facts facts) {
    try {
      dispatcher.publish(assembler.assemble(facts));
    } catch (RuntimeException e) {
      // Never break the user's call over an event; this is a bug worth a loud log line.
      LOG.error(
          "Could not build or queue the event of exchange {}: {}",
          facts.eventId(),
          e.toString(),
          e);
    }
  }

  /** The detectors in use, in run order. */
  public List<Detector> detectors() {
    return detectors;
  }

  public Policy policy() {
    return policy;
  }

  /** The dispatcher that takes this client's events (shared or owned). */
  public EventDispatcher eventDispatcher() {
    return dispatcher;
  }

  /**
   * Waits until every event so far reached the sinks (up to 30 s); see {@link
   * EventDispatcher#flush}.
   */
  public boolean flush() {
    return dispatcher.flush();
  }

  /** Delivers pending events and closes the dispatcher if this client created it. */
  @Override
  public void close() {
    if (ownsDispatcher) {
      dispatcher.close();
    } else {
      dispatcher.flush();
    }
  }

  private record Resolved(
      Policy policy,
      List<Detector> detectors,
      String serviceName,
      String serviceVersion,
      String namespace,
      Map<String, String> labels,
      boolean captureContent,
      boolean redactEventContent,
      int maxContentChars,
      int streamWindowChars,
      boolean canary,
      EventDispatcher dispatcher,
      boolean ownsDispatcher) {}

  /**
   * Builder for {@link GuardedChatClient}. Every setting falls back to the external configuration,
   * then to its documented default. Not thread-safe.
   */
  public static final class Builder {
    private final ChatClient delegate;
    private ClassLoader classLoader;
    private ConfigSource config;
    private Policy policy;
    private List<Detector> explicitDetectors;
    private final List<Detector> extraDetectors = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    private List<String> selected;
    private final Map<String, Map<String, String>> detectorSettings = new HashMap<>();
    private EventDispatcher dispatcher;
    private List<EventSink> sinks;
    private String serviceName;
    private String serviceVersion;
    private String namespace;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private Boolean captureContent;
    private Boolean redactEventContent;
    private Integer maxContentChars;
    private Integer streamWindowChars;
    private Boolean canary;

    private Builder(ChatClient delegate) {
      this.delegate = delegate;
    }

    /** The policy; default from {@code llmguard.policy.*}, else {@link Policy#monitor()}. */
    public Builder policy(Policy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Uses exactly these detectors, in this order; discovery is skipped. */
    public Builder detectors(List<Detector> detectors) {
      for (Detector d : detectors) {
        Objects.requireNonNull(d, "detectors must not contain null");
      }
      this.explicitDetectors = List.copyOf(detectors);
      return this;
    }

    public Builder detectors(Detector... detectors) {
      return detectors(List.of(detectors));
    }

    /** Adds a detector to the discovered (or explicit) ones; replaces one with the same id. */
    public Builder addDetector(Detector detector) {
      extraDetectors.add(Objects.requireNonNull(detector, "detector"));
      return this;
    }

    /** Leaves out the detector with this id. */
    public Builder removeDetector(String id) {
      removed.add(Objects.requireNonNull(id, "id"));
      return this;
    }

    /** Uses only the discovered detectors with these ids ({@code llmguard.detectors}). */
    public Builder enableDetectors(String... ids) {
      this.selected = List.of(ids);
      return this;
    }

    /** One setting of one detector ({@code llmguard.detector.<id>.<key>}). */
    public Builder detectorSetting(String detectorId, String key, String value) {
      detectorSettings.computeIfAbsent(detectorId, k -> new HashMap<>()).put(key, value);
      return this;
    }

    /** The class loader used for discovery and {@code llm-guard.properties}. */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "classLoader");
      return this;
    }

    /**
     * Reads external settings from these properties (keys {@code llmguard.*}) instead of the
     * classpath file, environment and system properties.
     */
    public Builder properties(Map<String, String> properties) {
      this.config = new ConfigSource(properties, Map.of());
      return this;
    }

    /** Ignores every external setting: only builder calls and defaults count. */
    public Builder ignoreExternalConfiguration() {
      this.config = ConfigSource.empty();
      return this;
    }

    /** Publishes to this (shared) dispatcher, which the client will not close. */
    public Builder eventDispatcher(EventDispatcher dispatcher) {
      this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
      return this;
    }

    /** Publishes to these sinks through a dispatcher owned by the client. */
    public Builder sinks(EventSink... sinks) {
      this.sinks = List.of(sinks);
      return this;
    }

    public Builder serviceName(String name) {
      this.serviceName = name;
      return this;
    }

    public Builder serviceVersion(String version) {
      this.serviceVersion = version;
      return this;
    }

    /** Data-stream namespace ({@code data_stream.namespace}); default {@code default}. */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /** Whether events carry prompt and completion text (hashes are always there); default true. */
    public Builder captureContent(boolean capture) {
      this.captureContent = capture;
      return this;
    }

    /** Whether secrets and personal data are redacted from event text; default true. */
    public Builder redactEventContent(boolean redact) {
      this.redactEventContent = redact;
      return this;
    }

    public Builder maxContentChars(int chars) {
      if (chars < 1) {
        throw new IllegalArgumentException("maxContentChars must be at least 1 but was " + chars);
      }
      this.maxContentChars = chars;
      return this;
    }

    /**
     * Chars of earlier answer text re-scanned with each streamed chunk; default {@value
     * DEFAULT_STREAM_WINDOW_CHARS}.
     */
    public Builder streamWindowChars(int chars) {
      if (chars < 16) {
        throw new IllegalArgumentException(
            "streamWindowChars must be at least 16 but was " + chars);
      }
      this.streamWindowChars = chars;
      return this;
    }

    /** Puts a per-call canary token into the system prompt for the system-prompt-leak detector. */
    public Builder canaryTokens(boolean enabled) {
      this.canary = enabled;
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws GuardConfigurationException for an unknown detector id, a bad setting or a sink that
     *     cannot start
     */
    public GuardedChatClient build() {
      ClassLoader loader = classLoader != null ? classLoader : defaultLoader();
      ConfigSource cfg = config != null ? config : ConfigSource.load(loader);
      Policy p = policy != null ? policy : policyFrom(cfg);
      List<Detector> ds = resolveDetectors(loader, cfg);
      String name =
          first(
              serviceName,
              cfg.get("llmguard.service.name"),
              cfg.env().get("OTEL_SERVICE_NAME"),
              "unknown_service:java");
      String version = first(serviceVersion, cfg.get("llmguard.service.version"), null, null);
      String ns = first(namespace, cfg.get("llmguard.namespace"), null, "default");
      if (!ns.matches("[a-z0-9_.]{1,100}")) {
        throw new GuardConfigurationException(
            "Invalid namespace '"
                + ns
                + "' (llmguard.namespace): use lower-case letters, digits, '_' and '.'");
      }
      Map<String, String> allLabels = new LinkedHashMap<>(cfg.subset("llmguard.labels."));
      allLabels.putAll(labels);
      boolean capture = bool(captureContent, cfg, "llmguard.event.capture-content", true);
      boolean redact = bool(redactEventContent, cfg, "llmguard.event.redact-content", true);
      int maxChars =
          integer(
              maxContentChars, cfg, "llmguard.event.max-content-chars", DEFAULT_MAX_CONTENT_CHARS);
      int window =
          integer(
              streamWindowChars, cfg, "llmguard.stream.window-chars", DEFAULT_STREAM_WINDOW_CHARS);
      boolean can = bool(canary, cfg, "llmguard.canary", false);
      EventDispatcher d = dispatcher;
      boolean owns = false;
      if (d == null) {
        d = dispatcherFrom(loader, cfg, sinks);
        owns = true;
      }
      return new GuardedChatClient(
          this,
          new Resolved(
              p, ds, name, version, ns, allLabels, capture, redact, maxChars, window, can, d,
              owns));
    }

    private static ClassLoader defaultLoader() {
      ClassLoader tccl = Thread.currentThread().getContextClassLoader();
      return tccl != null ? tccl : GuardedChatClient.class.getClassLoader();
    }

    private List<Detector> resolveDetectors(ClassLoader loader, ConfigSource cfg) {
      List<Detector> base;
      if (explicitDetectors != null) {
        base = new ArrayList<>(explicitDetectors);
      } else {
        List<String> sel = selected != null ? selected : list(cfg.get("llmguard.detectors"));
        List<String> off = list(cfg.get("llmguard.detectors.disabled"));
        Detectors.Discovery found = Detectors.discover(loader);
        base =
            new ArrayList<>(
                Detectors.create(
                    found,
                    sel,
                    off,
                    id -> {
                      Map<String, String> m =
                          new HashMap<>(cfg.subset(DetectorConfig.PREFIX + id + "."));
                      m.putAll(detectorSettings.getOrDefault(id, Map.of()));
                      return DetectorConfig.of(id, m);
                    }));
      }
      for (Detector extra : extraDetectors) {
        base.removeIf(d -> d.id().equals(extra.id()));
        base.add(extra);
      }
      base.removeIf(d -> removed.contains(d.id()));
      return base;
    }

    private static EventDispatcher dispatcherFrom(
        ClassLoader loader, ConfigSource cfg, List<EventSink> given) {
      EventDispatcher.Builder b = EventDispatcher.builder();
      String cap = cfg.get("llmguard.dispatcher.queue-capacity");
      String batch = cfg.get("llmguard.dispatcher.batch-size");
      String linger = cfg.get("llmguard.dispatcher.linger");
      String overflow = cfg.get("llmguard.dispatcher.overflow-file");
      try {
        if (cap != null) {
          b.queueCapacity(Integer.parseInt(cap));
        }
        if (batch != null) {
          b.batchSize(Integer.parseInt(batch));
        }
      } catch (IllegalArgumentException e) {
        throw new GuardConfigurationException(
            "Invalid llmguard.dispatcher.* setting: " + e.getMessage(), e);
      }
      if (linger != null) {
        b.linger(
            dev.llmguard.spi.ComponentConfig.parseDuration("llmguard.dispatcher.linger", linger));
      }
      if (overflow != null) {
        b.overflowFile(Path.of(overflow));
      }
      if (given != null) {
        return b.sinks(given).build();
      }
      List<String> chosen = list(cfg.get("llmguard.sinks"));
      Map<String, EventSinkProvider> providers = new LinkedHashMap<>();
      var it = ServiceLoader.load(EventSinkProvider.class, loader).iterator();
      while (true) {
        try {
          if (!it.hasNext()) {
            break;
          }
          EventSinkProvider p = it.next();
          providers.putIfAbsent(p.id(), p);
        } catch (ServiceConfigurationError e) {
          LOG.error("Skipping a broken event sink provider: {}", e.getMessage(), e);
        }
      }
      List<EventSink> out = new ArrayList<>();
      if (chosen.isEmpty()) {
        for (EventSinkProvider p : providers.values()) {
          SinkConfig sc =
              new SinkConfig(p.id(), cfg.subset(SinkConfig.PREFIX + p.id() + "."), cfg.env());
          if (p.enabledByDefault(sc)) {
            out.add(createSink(p, sc, false));
          }
        }
      } else {
        for (String id : chosen) {
          EventSinkProvider p = providers.get(id);
          if (p == null) {
            throw new GuardConfigurationException(
                "Unknown event sink '"
                    + id
                    + "' (llmguard.sinks): add the artifact that provides it"
                    + (id.equals("elasticsearch") ? " (dev.llmguard:llm-guard-elastic)" : "")
                    + " to the classpath. Sinks found: "
                    + providers.keySet());
          }
          out.add(
              createSink(
                  p,
                  new SinkConfig(id, cfg.subset(SinkConfig.PREFIX + id + "."), cfg.env()),
                  true));
        }
      }
      out.removeIf(Objects::isNull);
      return b.sinks(out).build();
    }

    private static EventSink createSink(EventSinkProvider p, SinkConfig sc, boolean explicit) {
      try {
        return p.create(sc);
      } catch (RuntimeException e) {
        if (explicit || e instanceof GuardConfigurationException) {
          throw e instanceof GuardConfigurationException g
              ? g
              : new GuardConfigurationException(
                  "Event sink '" + p.id() + "' failed to start: " + e, e);
        }
        LOG.error(
            "Event sink '{}' failed to start; continuing without it: {}", p.id(), e.toString(), e);
        return null;
      }
    }

    static Policy policyFrom(ConfigSource cfg) {
      Policy.Builder b = Policy.custom();
      try {
        String mode = cfg.get("llmguard.policy.mode");
        if (mode != null) {
          b.mode(Policy.Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT)));
        }
      } catch (IllegalArgumentException e) {
        throw new GuardConfigurationException(
            "Invalid value '"
                + cfg.get("llmguard.policy.mode")
                + "' for llmguard.policy.mode: expected monitor, redact or block");
      }
      String t = cfg.get("llmguard.policy.threshold");
      if (t != null) {
        b.defaultThreshold(number("llmguard.policy.threshold", t));
      }
      for (Map.Entry<String, String> e : cfg.subset("llmguard.policy.threshold.").entrySet()) {
        b.threshold(
            category(e.getKey(), "llmguard.policy.threshold."),
            number("llmguard.policy.threshold." + e.getKey(), e.getValue()));
      }
      for (Map.Entry<String, String> e : cfg.subset("llmguard.policy.action.").entrySet()) {
        Category c = category(e.getKey(), "llmguard.policy.action.");
        try {
          b.categoryAction(c, Action.valueOf(e.getValue().trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException ex) {
          throw new GuardConfigurationException(
              "Invalid value '"
                  + e.getValue()
                  + "' for llmguard.policy.action."
                  + e.getKey()
                  + ": expected allow, flag, redact or block");
        }
      }
      String timeout = cfg.get("llmguard.policy.detector-timeout");
      if (timeout != null) {
        b.detectorTimeout(
            dev.llmguard.spi.ComponentConfig.parseDuration(
                "llmguard.policy.detector-timeout", timeout));
      }
      b.failClosed(bool(null, cfg, "llmguard.policy.fail-closed", false));
      b.restoreRedacted(bool(null, cfg, "llmguard.policy.restore-redacted", true));
      return b.build();
    }

    private static Category category(String id, String prefix) {
      try {
        return Category.fromId(id);
      } catch (IllegalArgumentException e) {
        throw new GuardConfigurationException("Invalid key " + prefix + id + ": " + e.getMessage());
      }
    }

    private static double number(String key, String v) {
      try {
        double d = Double.parseDouble(v.trim());
        if (!(d >= 0 && d <= 1)) {
          throw new NumberFormatException();
        }
        return d;
      } catch (NumberFormatException e) {
        throw new GuardConfigurationException(
            "Invalid value '" + v + "' for " + key + ": expected a number between 0 and 1");
      }
    }

    private static boolean bool(Boolean given, ConfigSource cfg, String key, boolean dflt) {
      if (given != null) {
        return given;
      }
      String v = cfg.get(key);
      if (v == null) {
        return dflt;
      }
      switch (v.trim().toLowerCase(Locale.ROOT)) {
        case "true":
        case "yes":
        case "on":
          return true;
        case "false":
        case "no":
        case "off":
          return false;
        default:
          throw new GuardConfigurationException(
              "Invalid value '" + v + "' for " + key + ": expected true or false");
      }
    }

    private static int integer(Integer given, ConfigSource cfg, String key, int dflt) {
      if (given != null) {
        return given;
      }
      String v = cfg.get(key);
      if (v == null) {
        return dflt;
      }
      try {
        int i = Integer.parseInt(v.trim());
        if (i < 1) {
          throw new NumberFormatException();
        }
        return i;
      } catch (NumberFormatException e) {
        throw new GuardConfigurationException(
            "Invalid value '" + v + "' for " + key + ": expected a positive integer");
      }
    }

    private static List<String> list(String v) {
      List<String> out = new ArrayList<>();
      if (v != null) {
        for (String s : v.split(",")) {
          if (!s.isBlank()) {
            out.add(s.trim());
          }
        }
      }
      return out;
    }

    private static String first(String a, String b, String c, String d) {
      return a != null ? a : b != null ? b : c != null ? c : d;
    }
  }
}
