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
    b.spans(spans);
    b.message = message;
    metadata.forEach(b::metadata);
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

  /**
   * Builder for {@link Finding}; not thread-safe. Built for detectors that emit thousands of
   * findings per scan: one span and a few metadata keys cost no collection until {@link #build()},
   * which makes the immutable list and map directly. Later calls on the builder do not change a
   * finding already built.
   */
  public static final class Builder {
    private final String detectorId;
    private final Category category;
    private double score = 1.0;
    private Confidence confidence = Confidence.MEDIUM;
    private Span firstSpan; // the only span, until a second one moves both to moreSpans
    private List<Span> moreSpans;
    private List<Span> givenSpans; // an immutable list from spans(…), used as is unless added to
    private String message = "";
    private String[] meta; // key, value, key, value …; keys unique, insertion order
    private int metaSize;

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
      return span(new Span(start, end));
    }

    /**
     * Adds a span.
     *
     * @throws NullPointerException if {@code span} is null
     */
    public Builder span(Span span) {
      Objects.requireNonNull(span, "span");
      if (givenSpans != null) {
        moreSpans = new ArrayList<>(givenSpans.size() + 4);
        moreSpans.addAll(givenSpans);
        givenSpans = null;
      }
      if (moreSpans != null) {
        moreSpans.add(span);
      } else if (firstSpan == null) {
        firstSpan = span;
      } else {
        moreSpans = new ArrayList<>(4);
        moreSpans.add(firstSpan);
        moreSpans.add(span);
        firstSpan = null;
      }
      return this;
    }

    /**
     * Replaces the spans with {@code spans}. An immutable list (such as {@code List.of} or {@code
     * List.copyOf} make) becomes the finding's own without a copy.
     *
     * @throws NullPointerException if {@code spans} or one of its elements is null
     */
    public Builder spans(List<Span> spans) {
      firstSpan = null;
      moreSpans = null;
      givenSpans = null;
      int size = spans.size();
      if (size > 1) {
        for (Span s : spans) {
          Objects.requireNonNull(s, "span");
        }
        givenSpans = List.copyOf(spans); // the same list when it is already immutable
      } else if (size == 1) {
        span(spans.get(0));
      }
      return this;
    }

    public Builder message(String message) {
      this.message = message;
      return this;
    }

    /**
     * Sets a metadata key; a key set twice keeps its first position and its last value.
     *
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    public Builder metadata(String key, String value) {
      Objects.requireNonNull(key, "metadata key");
      Objects.requireNonNull(value, "metadata value");
      for (int i = 0; i < metaSize; i += 2) {
        if (meta[i].equals(key)) {
          meta[i + 1] = value;
          return this;
        }
      }
      if (meta == null) {
        meta = new String[6]; // three keys, the most most detectors set
      } else if (metaSize == meta.length) {
        meta = java.util.Arrays.copyOf(meta, metaSize * 2);
      }
      meta[metaSize++] = key;
      meta[metaSize++] = value;
      return this;
    }

    public Builder entity(String entity) {
      return metadata(ENTITY, entity);
    }

    public Finding build() {
      List<Span> spans =
          moreSpans != null
              ? List.copyOf(moreSpans)
              : givenSpans != null
                  ? givenSpans
                  : firstSpan != null ? List.of(firstSpan) : List.of();
      return new Finding(detectorId, category, score, confidence, spans, message, metadataMap());
    }

    private Map<String, String> metadataMap() {
      String[] m = meta;
      return switch (metaSize) {
        case 0 -> Map.of();
        case 2 -> Map.of(m[0], m[1]);
        case 4 -> Map.of(m[0], m[1], m[2], m[3]);
        case 6 -> Map.of(m[0], m[1], m[2], m[3], m[4], m[5]);
        case 8 -> Map.of(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
        default -> {
          Map<String, String> all = new LinkedHashMap<>();
          for (int i = 0; i < metaSize; i += 2) {
            all.put(m[i], m[i + 1]);
          }
          yield all;
        }
      };
    }
  }
}
