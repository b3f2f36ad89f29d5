package dev.llmguard.detect.unicode;

import dev.llmguard.GuardConfigurationException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/** The kinds of invisible or deceptive characters the {@code invisible-text} detector reports. */
public enum InvisibleKind {
  /** Unicode tag characters U+E0000–E007F; they spell ASCII text that renders as nothing. */
  TAG_CHARACTERS("tag-characters", "Unicode tag characters carrying hidden text"),
  /**
   * Variation selectors used as a byte code (U+FE00–FE0F, U+E0100–E01EF) beyond normal emoji use.
   */
  VARIATION_SELECTORS("variation-selectors", "variation selectors carrying hidden data"),
  /** Zero-width spaces, joiners and other invisible formatting characters. */
  ZERO_WIDTH("zero-width", "zero-width characters"),
  /** Bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069). */
  BIDI_CONTROL("bidi-control", "bidirectional override or isolate characters"),
  /** Private-use code points, which have no public meaning. */
  PRIVATE_USE("private-use", "private-use characters");

  private final String id;
  private final String label;

  InvisibleKind(String id, String label) {
    this.id = id;
    this.label = label;
  }

  /** The configuration and metadata name, e.g. {@code tag-characters}. */
  public String id() {
    return id;
  }

  String label() {
    return label;
  }

  /**
   * Parses a comma-separated selection of ids; empty means all.
   *
   * @throws GuardConfigurationException naming {@code key} for an unknown id
   */
  static EnumSet<InvisibleKind> parse(List<String> ids, String key) {
    if (ids.isEmpty()) {
      return EnumSet.allOf(InvisibleKind.class);
    }
    EnumSet<InvisibleKind> out = EnumSet.noneOf(InvisibleKind.class);
    outer:
    for (String raw : ids) {
      String want = raw.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (InvisibleKind k : values()) {
        if (k.id.equals(want)) {
          out.add(k);
          continue outer;
        }
      }
      List<String> known = new java.util.ArrayList<>();
      for (InvisibleKind k : values()) {
        known.add(k.id);
      }
      throw new GuardConfigurationException(
          "Unknown kind '" + raw + "' for " + key + ": expected some of " + known);
    }
    return out;
  }
}
