package dev.llmguard.detect.tokens;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingResult;
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

  private Finding limit(String t) {
    if ((long) t.length() * 3 <= maxTokens) {
      return null; // even at one token per UTF-8 byte the text fits
    }
    // tokenize at most the prefix that must hold more than maxTokens tokens if the text does
    int cap = (int) Math.min(t.length(), (maxTokens + 1L) * MAX_CHARS_PER_TOKEN);
    String prefix = wellFormed(cap < t.length() ? t.substring(0, cap) : t);
    EncodingResult r = encoding.encodeOrdinary(prefix, maxTokens + 1);
    int count = r.getTokens().size();
    long estimate;
    if (r.isTruncated()) {
      int covered = Math.max(1, r.getLastProcessedCharacterIndex() + 1);
      estimate = Math.max(maxTokens + 1L, Math.round(count * (t.length() / (double) covered)));
    } else {
      estimate = Math.round(count * (t.length() / (double) prefix.length()));
      if (estimate <= maxTokens) {
        return null;
      }
    }
    boolean exact = !r.isTruncated() && prefix.length() == t.length();
    double over = estimate / (double) maxTokens;
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
