package dev.llmguard;

import dev.llmguard.spi.Category;
import dev.llmguard.spi.Finding;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns findings into an {@link Action}. Immutable and thread-safe.
 *
 * <p>A finding <em>triggers</em> when its score is at or above its category's threshold ({@link
 * #DEFAULT_THRESHOLD} unless set). Each triggered finding gets an action from {@link
 * #categoryAction} if one is set, else from the mode: {@link Mode#MONITOR} flags, {@link
 * Mode#REDACT} redacts sensitive spans and flags the rest, {@link Mode#BLOCK} blocks every threat
 * category and flags the rest. The phase's action is the strictest one.
 *
 * <pre>{@code
 * Policy policy = Policy.custom()
 *     .mode(Policy.Mode.REDACT)
 *     .categoryAction(Category.PROMPT_INJECTION, Action.BLOCK)
 *     .threshold(Category.JAILBREAK, 0.7)
 *     .detectorTimeout(Duration.ofMillis(100))
 *     .failClosed(false)
 *     .build();
 * }</pre>
 */
public final class Policy {

  /** How triggered findings are handled by default. */
  public enum Mode {
    /** Detect and report; change nothing (the default). */
    MONITOR,
    /** Replace personal data and secrets with placeholders; flag everything else. */
    REDACT,
    /** Stop the exchange on any threat category. */
    BLOCK
  }

  /** Score at or above which a finding triggers, unless its category has its own: {@value}. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  /** Time budget per detector and phase: {@value} ms. */
  public static final long DEFAULT_DETECTOR_TIMEOUT_MS = 250;

  private static final Policy MONITOR = custom().build();

  private final Mode mode;
  private final double defaultThreshold;
  private final Map<Category, Double> thresholds;
  private final Map<Category, Action> categoryActions;
  private final Duration detectorTimeout;
  private final boolean failClosed;
  private final boolean restoreRedacted;

  private Policy(Builder b) {
    this.mode = b.mode;
    this.defaultThreshold = b.defaultThreshold;
    this.thresholds = Collections.unmodifiableMap(new EnumMap<>(b.thresholds));
    this.categoryActions = Collections.unmodifiableMap(new EnumMap<>(b.categoryActions));
    this.detectorTimeout = b.detectorTimeout;
    this.failClosed = b.failClosed;
    this.restoreRedacted = b.restoreRedacted;
  }

  /** Detect and report, change nothing. */
  public static Policy monitor() {
    return MONITOR;
  }

  public static Policy redact() {
    return custom().mode(Mode.REDACT).build();
  }

  public static Policy block() {
    return custom().mode(Mode.BLOCK).build();
  }

  public static Builder custom() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.mode = mode;
    b.defaultThreshold = defaultThreshold;
    b.thresholds.putAll(thresholds);
    b.categoryActions.putAll(categoryActions);
    b.detectorTimeout = detectorTimeout;
    b.failClosed = failClosed;
    b.restoreRedacted = restoreRedacted;
    return b;
  }

  public Mode mode() {
    return mode;
  }

  public double threshold(Category category) {
    return thresholds.getOrDefault(category, defaultThreshold);
  }

  public Map<Category, Double> thresholds() {
    return thresholds;
  }

  public Map<Category, Action> categoryActions() {
    return categoryActions;
  }

  /** Per-detector time budget; {@link Duration#ZERO} runs detectors inline without a budget. */
  public Duration detectorTimeout() {
    return detectorTimeout;
  }

  /** Whether a detector that throws or overruns blocks the exchange. */
  public boolean failClosed() {
    return failClosed;
  }

  /** Whether placeholders put in by redaction are replaced by the originals in the answer. */
  public boolean restoreRedacted() {
    return restoreRedacted;
  }

  /** Whether {@code f} reaches its category's threshold. */
  public boolean triggers(Finding f) {
    return f.score() >= threshold(f.category());
  }

  /** The action for one triggered finding. */
  public Action actionFor(Finding f) {
    if (f.category() == Category.DETECTOR_ERROR) {
      return failClosed ? Action.BLOCK : Action.FLAG;
    }
    Action a = categoryActions.get(f.category());
    if (a == null) {
      a =
          switch (mode) {
            case MONITOR -> Action.FLAG;
            case REDACT -> Redactor.isRedactable(f) ? Action.REDACT : Action.FLAG;
            case BLOCK -> f.category().isThreat() ? Action.BLOCK : Action.FLAG;
          };
    }
    if (a == Action.REDACT && !Redactor.isRedactable(f)) {
      return Action.FLAG;
    }
    return a;
  }

  @Override
  public String toString() {
    return "Policy{mode="
        + mode
        + ", defaultThreshold="
        + defaultThreshold
        + ", thresholds="
        + thresholds
        + ", categoryActions="
        + categoryActions
        + ", detectorTimeout="
        + detectorTimeout
        + ", failClosed="
        + failClosed
        + ", restoreRedacted="
        + restoreRedacted
        + "}";
  }

  /** Builder for {@link Policy}; validates every value at once. Not thread-safe. */
  public static final class Builder {
    private Mode mode = Mode.MONITOR;
    private double defaultThreshold = DEFAULT_THRESHOLD;
    private final Map<Category, Double> thresholds = new EnumMap<>(Category.class);
    private final Map<Category, Action> categoryActions = new EnumMap<>(Category.class);
    private Duration detectorTimeout = Duration.ofMillis(DEFAULT_DETECTOR_TIMEOUT_MS);
    private boolean failClosed;
    private boolean restoreRedacted = true;

    private Builder() {}

    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    public Builder defaultThreshold(double threshold) {
      this.defaultThreshold = checkThreshold("defaultThreshold", threshold);
      return this;
    }

    public Builder threshold(Category category, double threshold) {
      thresholds.put(
          Objects.requireNonNull(category, "category"),
          checkThreshold("threshold of " + category.id(), threshold));
      return this;
    }

    public Builder categoryAction(Category category, Action action) {
      categoryActions.put(
          Objects.requireNonNull(category, "category"), Objects.requireNonNull(action, "action"));
      return this;
    }

    public Builder detectorTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "detectorTimeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException(
            "detectorTimeout must not be negative but was " + timeout);
      }
      this.detectorTimeout = timeout;
      return this;
    }

    public Builder failClosed(boolean failClosed) {
      this.failClosed = failClosed;
      return this;
    }

    public Builder restoreRedacted(boolean restore) {
      this.restoreRedacted = restore;
      return this;
    }

    public Policy build() {
      return new Policy(this);
    }

    private static double checkThreshold(String what, double t) {
      if (!(t >= 0.0 && t <= 1.0)) {
        throw new IllegalArgumentException(what + " must be between 0 and 1 but was " + t);
      }
      return t;
    }
  }
}
