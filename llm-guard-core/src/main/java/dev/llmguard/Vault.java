package dev.llmguard;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The placeholders of one call and the originals they replace, so that an answer can be restored
 * ({@code [EMAIL_1]} back to the address). One vault per call; it never leaves the process and is
 * not thread-safe (a call is handled by one thread at a time).
 */
public final class Vault {
  private final Map<String, String> byOriginal = new HashMap<>();
  private final Map<String, String> byPlaceholder = new LinkedHashMap<>();
  private final Map<String, Integer> counters = new HashMap<>();

  /** The stable placeholder for {@code original} of type {@code entity}: same value, same name. */
  public String placeholderFor(String entity, String original) {
    String key = entity + '\u0000' + original;
    String existing = byOriginal.get(key);
    if (existing != null) {
      return existing;
    }
    int n = counters.merge(entity, 1, Integer::sum);
    String placeholder = "[" + entity + "_" + n + "]";
    byOriginal.put(key, placeholder);
    byPlaceholder.put(placeholder, original);
    return placeholder;
  }

  /** An independent copy: placeholders added to either later do not show in the other. */
  public Vault copy() {
    Vault v = new Vault();
    v.byOriginal.putAll(byOriginal);
    v.byPlaceholder.putAll(byPlaceholder);
    v.counters.putAll(counters);
    return v;
  }

  public boolean isEmpty() {
    return byPlaceholder.isEmpty();
  }

  public int size() {
    return byPlaceholder.size();
  }

  /** Replaces every placeholder of this vault in {@code text} by its original. */
  public String restore(String text) {
    if (text == null || byPlaceholder.isEmpty() || text.indexOf('[') < 0) {
      return text;
    }
    String out = text;
    for (Map.Entry<String, String> e : byPlaceholder.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }
}
