package dev.llmguard.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One thing a detector found. Immutable and thread-safe.
 *
 * <pre>{@code
 * Finding f = Finding.builder("secrets", Category.SENSITIVE_INFORMATION)
 *     .score(0.99).confidence(Confidence.HIGH)
 *     .span(12, 32).message("AWS access key id")
 *     .metadata("entity", "AWS_ACCESS_KEY")
 *     .build();
 * }</pre>
 *
 * @param detectorId id of the detector that produced it
 * @param category the OWASP-mapped category
 * @param score severity-weighted likelihood, 0..1; policies compare it to thresholds
 * @param confidence how sure the detector is
 * @param spans char ranges in the scanned text (may be empty for whole-text findings)
 * @param message short human explanation; never contains the detected secret itself
 * @param metadata extra keys; {@value #ENTITY} names the entity type used for redaction labels
 */
public record Finding(
    String detectorId,
    Category category,
    double score,
    Confidence confidence,
    List<Span> spans,
    String message,
    Map<String, String> metadata) {

  /** Metadata key naming the entity type of a redactable finding, e.g. {@code EMAIL}. */
  public static final String ENTITY = "entity";

  public Finding {
    Objects.requireNonNull(detectorId, "detectorId");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(confidence, "confidence");
    if (!(score >= 0.0 && score <= 1.0)) {
      throw new IllegalArgumentException("score must be between 0 and 1 but was " + score);
    }
    spans = spans == null ? List.of() : List.copyOf(spans);
    message = message == null ? "" : message;
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  public static Builder builder(String detectorId, Category category) {
    return new Builder(detectorId, category);
  }

  /** A copy of this finding for variants ({@code withSpans}, shifted spans …). */
  public Builder toBuilder() {
    Builder b = new Builder(detectorId, category);
    b.score = score;
    b.confidence = confidence;
    b.spans.addAll(spans);
    b.message = message;
    b.metadata.putAll(metadata);
    return b;
  }

  /** This finding with every span moved by {@code offset} chars. */
  public Finding shifted(int offset) {
    if (offset == 0 || spans.isEmpty()) {
      return this;
    }
    List<Span> moved = new ArrayList<>(spans.size());
    for (Span s : spans) {
      moved.add(s.shift(offset));
    }
    return new Finding(detectorId, category, score, confidence, moved, message, metadata);
  }

  /** The entity type for redaction placeholders, falling back to the category. */
  public String entity() {
    return metadata.getOrDefault(ENTITY, category.name());
  }

  /** Builder for {@link Finding}; not thread-safe. */
  public static final class Builder {
    private final String detectorId;
    private final Category category;
    private double score = 1.0;
    private Confidence confidence = Confidence.MEDIUM;
    private final List<Span> spans = new ArrayList<>();
    private String message = "";
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private Builder(String detectorId, Category category) {
      this.detectorId = Objects.requireNonNull(detectorId, "detectorId");
      this.category = Objects.requireNonNull(category, "category");
    }

    public Builder score(double score) {
      this.score = score;
      return this;
    }

    public Builder confidence(Confidence confidence) {
      this.confidence = confidence;
      return this;
    }

    public Builder span(int start, int end) {
      spans.add(new Span(start, end));
      return this;
    }

    public Builder span(Span span) {
      spans.add(span);
      return this;
    }

    public Builder spans(List<Span> spans) {
      this.spans.clear();
      this.spans.addAll(spans);
      return this;
    }

    public Builder message(String message) {
      this.message = message;
      return this;
    }

    public Builder metadata(String key, String value) {
      metadata.put(key, value);
      return this;
    }

    public Builder entity(String entity) {
      return metadata(ENTITY, entity);
    }

    public Finding build() {
      return new Finding(detectorId, category, score, confidence, spans, message, metadata);
    }
  }
}
