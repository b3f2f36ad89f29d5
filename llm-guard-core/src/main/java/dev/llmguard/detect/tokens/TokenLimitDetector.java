package dev.llmguard.detect.tokens;

import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.util.List;
import java.util.Set;

/**
 * Guards the context window: counts the prompt's tokens as a real BPE tokenizer does ({@code
 * cl100k_base} or {@code o200k_base}, exactly as jtokkit's {@code countTokensOrdinary}, through
 * {@link TokenCounter}) against a limit, and detects flooding — one char, token or short phrase
 * repeated to exhaust the context — from how repetitive the text is. Both findings have category
 * {@link Category#UNBOUNDED_CONSUMPTION}.
 *
 * <p>Cost stays bounded: a text whose UTF-8 length cannot exceed the limit is never tokenized (a
 * token covers at least one byte); a very long text ({@value #BOUND_CHARS_PER_TOKEN} chars per
 * allowed token) with more words than the limit is over it without tokenizing ({@link
 * #pieceLowerBound}), and its reported count ({@code ~N}) is extrapolated from {@value #SAMPLES}
 * short samples; otherwise counting stops at the first piece that takes the count past the limit,
 * and the count reported is exact if at most {@value #SAMPLE_CHARS} chars were left (they are
 * counted too), else the exact count so far plus an estimate of the rest from samples ({@code ~N}).
 * Counting also stops, with nothing to report, as soon as the count so far plus the UTF-8 length of
 * the rest is within the limit. Flooding analysis looks at no more than {@value
 * FloodAnalysis#MAX_SAMPLE} chars. Allocates nothing while scanning once warm, except the findings
 * it returns. Immutable and thread-safe.
 */
public final class TokenLimitDetector implements Detector {
  /** The detector id, {@value}. */
  public static final String ID = "token-limit";

  private static final Set<Phase> PHASES = Set.of(Phase.PROMPT);

  private final TokenCounter counter;
  private final int maxTokens;
  private final boolean floodDetection;
  private final int floodMinChars;
  private final String overMessage; // built once: a scan allocates little more than its findings
  private final String maxTokensText;

  TokenLimitDetector(
      TokenCounter counter, int maxTokens, boolean floodDetection, int floodMinChars) {
    this.counter = counter;
    this.maxTokens = maxTokens;
    this.floodDetection = floodDetection;
    this.floodMinChars = floodMinChars;
    this.overMessage = "prompt exceeds " + maxTokens + " tokens (" + counter.name() + ")";
    this.maxTokensText = Integer.toString(maxTokens);
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
    Finding limit = limit(t);
    Finding flood = floodDetection && t.length() >= floodMinChars ? flood(t) : null;
    if (limit == null) {
      return flood == null ? List.of() : List.of(flood);
    }
    return flood == null ? List.of(limit) : List.of(limit, flood);
  }

  private static Finding flood(String t) {
    FloodAnalysis.Result flood = FloodAnalysis.analyse(t);
    if (flood == null) {
      return null;
    }
    return Finding.builder(ID, Category.UNBOUNDED_CONSUMPTION)
        .score(flood.score())
        .confidence(flood.score() >= 0.8 ? Confidence.HIGH : Confidence.MEDIUM)
        .span(flood.start(), flood.end())
        .message(flood.message())
        .metadata("kind", "flooding")
        .metadata("repeated_share", decimals(flood.share(), 3))
        .build();
  }

  /**
   * {@code x} with {@code places} decimals, rounded half up as {@code String.format("%.3f")} does,
   * without the formatter's cost (a flood finding on a short text would otherwise allocate more
   * than the text).
   */
  static String decimals(double x, int places) {
    if (places == 0 && x >= 0 && x < Long.MAX_VALUE) {
      // a tie (k + 0.5) is exact in binary, so rounding the double is rounding its decimal form
      return Long.toString(Math.round(x));
    }
    return java.math.BigDecimal.valueOf(x)
        .setScale(places, java.math.RoundingMode.HALF_UP)
        .toPlainString();
  }

  /** Chars counted for an estimate; a rest this short is counted instead. */
  static final int SAMPLE_CHARS = 1024;

  /**
   * The word lower bound is tried only on texts longer than this many chars per allowed token.
   * Counting stops at the first piece past the limit, so on shorter texts it costs about as much as
   * the bound would, and it also settles the texts the bound cannot (floods of one giant word).
   */
  static final int BOUND_CHARS_PER_TOKEN = 32;

  private Finding limit(String t) {
    if (utf8Length(t, maxTokens) <= maxTokens) {
      return null; // a token covers at least one UTF-8 byte, so the text fits
    }
    int n = t.length();
    if (n > SAMPLE_CHARS
        && n > BOUND_CHARS_PER_TOKEN * (long) maxTokens
        && pieceLowerBound(t, maxTokens) > maxTokens) {
      // Proven over the limit without BPE; the figure reported is extrapolated from samples.
      long estimate = Math.max(maxTokens + 1L, estimate(t, 0));
      return over(estimate, "~" + estimate);
    }
    long counted = counter.countUnlessFits(t, 0, n, maxTokens);
    long count = TokenCounter.count(counted);
    int reached = TokenCounter.index(counted);
    if (count <= maxTokens) {
      return null;
    }
    if (n - reached <= SAMPLE_CHARS) {
      // Counting resumes exactly where it stopped, at a piece boundary: the total is exact.
      count += TokenCounter.count(counter.countUntil(t, reached, n, Integer.MAX_VALUE));
      return over(count, Long.toString(count));
    }
    long estimate = count + estimate(t, reached);
    return over(estimate, "~" + estimate);
  }

  /** Samples counted to estimate a long text's tokens, spread evenly over it. */
  static final int SAMPLES = 8;

  /**
   * The token count of {@code t[from, n)}: exact up to {@value #SAMPLE_CHARS} chars, else
   * extrapolated from {@value #SAMPLES} pieces of about {@code SAMPLE_CHARS / SAMPLES} chars spread
   * over it, each starting and ending where a word starts.
   */
  private long estimate(String t, int from) {
    int n = t.length();
    if (n - from <= SAMPLE_CHARS) {
      return TokenCounter.count(counter.countUntil(t, from, n, Integer.MAX_VALUE));
    }
    int piece = SAMPLE_CHARS / SAMPLES;
    int span = n - from - piece;
    long tokens = 0;
    long chars = 0;
    for (int k = 0; k < SAMPLES; k++) {
      int start = wordStart(t, from + (int) ((long) span * k / (SAMPLES - 1)), n - piece);
      int to = Math.min(n, start + piece);
      int end = wordStart(t, to, n);
      if (end - start > 2 * piece) {
        end = to; // no word start nearby: cut inside the word
      }
      tokens += TokenCounter.count(counter.countUntil(t, start, end, Integer.MAX_VALUE));
      chars += end - start;
    }
    return chars == 0 ? 0 : Math.round(tokens * ((n - from) / (double) chars));
  }

  /** The first index at or after {@code i} (and at most {@code max}) of a space before a letter. */
  private static int wordStart(String t, int i, int max) {
    int limit = Math.min(max, i + 64);
    for (int k = i; k < limit; k++) {
      if (k > 0
          && t.charAt(k) == ' '
          && !Character.isWhitespace(t.charAt(k - 1))
          && k + 1 < t.length()
          && Character.isLetter(t.charAt(k + 1))) {
        return k;
      }
    }
    return i;
  }

  private Finding over(long tokens, String reported) {
    double over = tokens / (double) maxTokens;
    double score = Math.min(1.0, 0.7 + 0.3 * Math.min(1.0, over - 1.0));
    return Finding.builder(ID, Category.UNBOUNDED_CONSUMPTION)
        .score(score)
        .confidence(Confidence.HIGH)
        .message(overMessage)
        .metadata("kind", "token-limit")
        .metadata("encoding", counter.name())
        .metadata("max_tokens", maxTokensText)
        .metadata("tokens", reported)
        .build();
  }

  /**
   * A lower bound on the token count of both encodings, or any value above {@code stopAbove} once
   * that is exceeded. Both pre-tokenizers cut the text into pieces, and BPE gives each piece at
   * least one token. Every piece holds the letters of at most one <em>word</em> — a maximal run of
   * letters, combining marks and apostrophes ({@code o200k_base} keeps marks and contractions such
   * as {@code it's} in the letters' piece) — and at most three digits, never letters and digits
   * together. So the number of words that contain a letter, plus a third (rounded up) of each run
   * of digits, never exceeds the number of tokens. Costs one pass without allocating; prose has
   * about four words for every five tokens.
   */
  static long pieceLowerBound(String t, int stopAbove) {
    long pieces = 0;
    int n = t.length();
    int i = 0;
    while (i < n) {
      char ch = t.charAt(i);
      int kind = ch < 128 ? ASCII_KIND[ch] : kindOf(t.codePointAt(i));
      if (kind == WORD) {
        boolean letter = false;
        while (i < n) {
          ch = t.charAt(i);
          if (ch < 128) {
            if (ASCII_KIND[ch] != WORD) {
              break;
            }
            letter |= ch != '\'';
            i++;
          } else {
            int cp = t.codePointAt(i);
            if (!isLetterOrMark(cp)) {
              break;
            }
            letter |= Character.isLetter(cp);
            i += Character.charCount(cp);
          }
        }
        if (letter) {
          pieces++;
        }
      } else if (kind == NUMBER) {
        int digits = 0;
        while (i < n) {
          ch = t.charAt(i);
          if (ch < 128) {
            if (ASCII_KIND[ch] != NUMBER) {
              break;
            }
            i++;
          } else {
            int cp = t.codePointAt(i);
            if (!isNumber(cp)) {
              break;
            }
            i += Character.charCount(cp);
          }
          digits++;
        }
        pieces += (digits + 2) / 3;
      } else {
        i += ch < 128 ? 1 : Character.charCount(t.codePointAt(i));
      }
      if (pieces > stopAbove) {
        return pieces;
      }
    }
    return pieces;
  }

  private static final byte OTHER = 0;
  private static final byte WORD = 1;
  private static final byte NUMBER = 2;

  /** {@link #WORD} for ASCII letters and the apostrophe, {@link #NUMBER} for digits. */
  private static final byte[] ASCII_KIND = new byte[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      ASCII_KIND[c] = WORD;
      ASCII_KIND[Character.toUpperCase(c)] = WORD;
    }
    ASCII_KIND['\''] = WORD;
    for (char c = '0'; c <= '9'; c++) {
      ASCII_KIND[c] = NUMBER;
    }
  }

  /** The kind of a non-ASCII code point (a lone surrogate is {@link #OTHER}). */
  private static int kindOf(int cp) {
    return isLetterOrMark(cp) ? WORD : isNumber(cp) ? NUMBER : OTHER;
  }

  private static boolean isLetterOrMark(int cp) {
    if (Character.isLetter(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.COMBINING_SPACING_MARK;
  }

  private static boolean isNumber(int cp) {
    if (cp < 128) {
      return cp >= '0' && cp <= '9';
    }
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }

  /**
   * UTF-8 length of {@code s}, or any value above {@code stopAbove} once it is exceeded, or an
   * upper bound of it that is at most {@code stopAbove}.
   */
  static long utf8Length(String s, int stopAbove) {
    long bytes = 0;
    int n = s.length();
    if (3L * n <= stopAbove) {
      return 3L * n; // no char takes more than 3 bytes (a surrogate pair takes 4 for 2 chars)
    }
    if (n > stopAbove) {
      return n; // and none takes less than one
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
      if (bytes > stopAbove) {
        return bytes;
      }
    }
    return bytes;
  }

  /**
   * {@code s} with each lone surrogate replaced by U+FFFD (one char for one), which is how the
   * counter reads it (jtokkit needs valid UTF-16).
   */
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
