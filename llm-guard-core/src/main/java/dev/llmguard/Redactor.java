package dev.llmguard;

import dev.llmguard.spi.Category;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replaces the spans of redactable findings with stable placeholders ({@code [EMAIL_1]}). Stateless
 * and thread-safe; the per-call state lives in the {@link Vault}.
 */
public final class Redactor {
  private Redactor() {}

  /** Findings with spans of personal data, secrets or banned text can be redacted. */
  public static boolean isRedactable(Finding f) {
    return !f.spans().isEmpty()
        && (f.category() == Category.SENSITIVE_INFORMATION || f.category() == Category.POLICY);
  }

  /**
   * Returns {@code text} with the spans of {@code findings} replaced. Overlapping spans are merged
   * (the first finding names the placeholder); spans outside {@code [from, to)} are ignored and the
   * rest are taken relative to {@code from}.
   */
  public static String redact(String text, List<Finding> findings, Vault vault, int from, int to) {
    List<Labelled> spans = new ArrayList<>();
    for (Finding f : findings) {
      if (!isRedactable(f)) {
        continue;
      }
      for (Span s : f.spans()) {
        int start = Math.max(s.start(), from) - from;
        int end = Math.min(s.end(), to) - from;
        if (start < end && end <= text.length()) {
          spans.add(new Labelled(start, end, label(f)));
        }
      }
    }
    if (spans.isEmpty()) {
      return text;
    }
    spans.sort(
        (a, b) ->
            a.start != b.start ? Integer.compare(a.start, b.start) : Integer.compare(b.end, a.end));
    StringBuilder out = new StringBuilder(text.length());
    int pos = 0;
    int i = 0;
    while (i < spans.size()) {
      Labelled cur = spans.get(i);
      int end = cur.end;
      int j = i + 1;
      while (j < spans.size() && spans.get(j).start < end) {
        end = Math.max(end, spans.get(j).end);
        j++;
      }
      out.append(text, pos, cur.start);
      out.append(vault.placeholderFor(cur.label, text.substring(cur.start, end)));
      pos = end;
      i = j;
    }
    out.append(text, pos, text.length());
    return out.toString();
  }

  /** Redacts the whole of {@code text}. */
  public static String redact(String text, List<Finding> findings, Vault vault) {
    return redact(text, findings, vault, 0, text.length());
  }

  private static String label(Finding f) {
    String e = f.entity().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
    return e.isEmpty() ? "REDACTED" : e;
  }

  private record Labelled(int start, int end, String label) {}
}
