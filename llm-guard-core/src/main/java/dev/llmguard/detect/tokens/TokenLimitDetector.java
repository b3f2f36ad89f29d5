package dev.llmguard.detect.tokens;

import com.knuddels.jtokkit.api.Encoding;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Guards the context window: counts the prompt's tokens with a real BPE tokenizer ({@code
 * cl100k_base} or {@code o200k_base}, via jtokkit) against a limit, and detects flooding — one
 * char, token or short phrase repeated to exhaust the context — from how repetitive the text is.
 * Both findings have category {@link Category#UNBOUNDED_CONSUMPTION}.
 *
 * <p>Cost stays bounded: a text whose UTF-8 length cannot exceed the limit is never tokenized (a
 * token covers at least one byte); otherwise tokenization stops one token past the limit. Flooding
 * analysis looks at no more than {@value FloodAnalysis#MAX_SAMPLE} chars. Immutable and thread-safe
 * (jtokkit encodings are).
 */
public final class TokenLimitDetector implements Detector {
  /** The detector id, {@value}. */
  public static final String ID = "token-limit";

  private static final Set<Phase> PHASES = Set.of(Phase.PROMPT);

  private final Encoding encoding;
  private final int maxTokens;
  private final boolean floodDetection;
  private final int floodMinChars;

  TokenLimitDetector(Encoding encoding, int maxTokens, boolean floodDetection, int floodMinChars) {
    this.encoding = encoding;
    this.maxTokens = maxTokens;
    this.floodDetection = floodDetection;
    this.floodMinChars = floodMinChars;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Phase> phases() {
    return PHASES;
  }

  /** The configured limit. */
  public int maxTokens() {
    return maxTokens;
  }

  @Override
  public List<Finding> detect(ScanInput input) {
    String t = input.text();
    if (t.isEmpty()) {
      return List.of();
    }
    List<Finding> out = new ArrayList<>(2);
    Finding limit = limit(t);
    if (limit != null) {
      out.add(limit);
    }
    if (floodDetection && t.length() >= floodMinChars) {
      FloodAnalysis.Result flood = FloodAnalysis.analyse(t);
      if (flood != null) {
        out.add(
            Finding.builder(ID, Category.UNBOUNDED_CONSUMPTION)
                .score(flood.score())
                .confidence(flood.score() >= 0.8 ? Confidence.HIGH : Confidence.MEDIUM)
                .span(flood.start(), flood.end())
                .message("repetitive flooding: " + flood.reason())
                .metadata("kind", "flooding")
                .metadata(
                    "repeated_share", String.format(java.util.Locale.ROOT, "%.3f", flood.share()))
                .build());
      }
    }
    return out.isEmpty() ? List.of() : List.copyOf(out);
  }

  /** No token of the supported encodings covers more chars than this, in practice. */
  static final int MAX_CHARS_PER_TOKEN = 64;

  /** First prefix tried, in chars per allowed token: ordinary text needs about four. */
  static final int FIRST_PREFIX_CHARS_PER_TOKEN = 6;

  private Finding limit(String t) {
    if (utf8Length(t, maxTokens) <= maxTokens) {
      return null; // a token covers at least one UTF-8 byte, so the text fits
    }
    // Count a prefix first: if it alone exceeds the limit, the whole text does. Only a text that
    // packs many chars into each token (a flood) needs the longer prefix.
    long n = t.length();
    int first = (int) Math.min(n, (long) maxTokens * FIRST_PREFIX_CHARS_PER_TOKEN);
    int count = count(t, first);
    int counted = first;
    if (count <= maxTokens && first < n) {
      counted = (int) Math.min(n, (maxTokens + 1L) * MAX_CHARS_PER_TOKEN);
      count = count(t, counted);
    }
    boolean exact = counted == n;
    long estimate = exact ? count : Math.round(count * (n / (double) counted));
    if (count <= maxTokens && (exact || estimate <= maxTokens)) {
      return null;
    }
    double over = Math.max(count, estimate) / (double) maxTokens;
    double score = Math.min(1.0, 0.7 + 0.3 * Math.min(1.0, over - 1.0));
    return Finding.builder(ID, Category.UNBOUNDED_CONSUMPTION)
        .score(score)
        .confidence(Confidence.HIGH)
        .message("prompt exceeds " + maxTokens + " tokens (" + encoding.getName() + ")")
        .metadata("kind", "token-limit")
        .metadata("encoding", encoding.getName())
        .metadata("max_tokens", Integer.toString(maxTokens))
        .metadata("tokens", exact ? Integer.toString(count) : "~" + estimate)
        .build();
  }

  /** Tokens in the first {@code chars} chars of {@code t}, cut at a space where possible. */
  private int count(String t, int chars) {
    int end = chars;
    if (end < t.length()) {
      int space = t.lastIndexOf(' ', end);
      if (space > end - 64 && space > 0) {
        end = space;
      }
    }
    return encoding.countTokensOrdinary(wellFormed(end == t.length() ? t : t.substring(0, end)));
  }

  /** UTF-8 length of {@code s}, or any value above {@code stopAbove} once it is exceeded. */
  static long utf8Length(String s, int stopAbove) {
    long bytes = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
      if (bytes > stopAbove) {
        return bytes;
      }
    }
    return bytes;
  }

  /** The tokenizer needs valid UTF-16: a lone surrogate becomes U+FFFD (one char for one). */
  static String wellFormed(String s) {
    char[] fixed = null;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        if (fixed == null) {
          fixed = s.toCharArray();
        }
        fixed[i] = '\uFFFD';
      }
    }
    return fixed == null ? s : new String(fixed);
  }
}
