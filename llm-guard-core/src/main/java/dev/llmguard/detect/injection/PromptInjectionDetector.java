package dev.llmguard.detect.injection;

import dev.llmguard.detect.text.Evidence;
import dev.llmguard.detect.text.NormalizedText;
import dev.llmguard.detect.text.PhraseMatcher;
import dev.llmguard.detect.text.RuleFile;
import dev.llmguard.detect.text.TextNormalizer;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.util.List;
import java.util.Set;

/**
 * Detects prompt injection: instruction override ("ignore the previous instructions" and its
 * paraphrases in English, German, French, Spanish, Italian and Portuguese), system-prompt
 * extraction, role and identity override, forced outputs, fake conversation turns and chat-template
 * tokens, fake delimiters, adversarial filler, and instructions hidden in base64, hex, URL
 * encoding, rot13 or reversed text (decoded and scanned again).
 *
 * <p>Text is folded first ({@link TextNormalizer}), so homoglyphs, leetspeak, zero-width characters
 * and spaced-out letters do not hide a phrase. Each match is a weighted signal in a family; the
 * score combines families ({@link Evidence}). One finding per text, with the spans of the matched
 * phrases in the original text (the whole text, or the encoded run, for decoded payloads).
 *
 * <p>Thread-safe and stateless; cost is linear in the text length (no regular expressions, a
 * bounded number of decode attempts, each of bounded length).
 */
public final class PromptInjectionDetector implements Detector {
  public static final String ID = "prompt-injection";

  /** Findings scoring below this are not reported. */
  public static final double DEFAULT_MIN_SCORE = 0.3;

  /** At most this many encoded payloads are decoded per text. */
  public static final int DEFAULT_MAX_DECODE = 4;

  static final String RULES = "/dev/llmguard/detect/injection/rules.txt";

  private static final PhraseMatcher MATCHER =
      new PhraseMatcher(RuleFile.load(PromptInjectionDetector.class, RULES));

  /** Families common in harmless prompts too: they only strengthen core evidence. */
  static final Set<String> CONTEXT = Set.of("role");

  /** Core evidence at which context counts in full. */
  static final double GATE = 0.3;

  private final double minScore;
  private final int maxDecode;
  private final Set<Phase> phases;

  /**
   * @param minScore report threshold, 0..1
   * @param maxDecode decode attempts per text, 0 disables decoding
   * @throws IllegalArgumentException when a value is out of range
   */
  public PromptInjectionDetector(double minScore, int maxDecode, Set<Phase> phases) {
    if (!(minScore >= 0 && minScore <= 1)) {
      throw new IllegalArgumentException("min-score must be between 0 and 1 but was " + minScore);
    }
    if (maxDecode < 0 || maxDecode > 64) {
      throw new IllegalArgumentException(
          "max-decode must be between 0 and 64 but was " + maxDecode);
    }
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("phases must not be empty");
    }
    this.minScore = minScore;
    this.maxDecode = maxDecode;
    this.phases = Set.copyOf(phases);
  }

  public PromptInjectionDetector() {
    this(DEFAULT_MIN_SCORE, DEFAULT_MAX_DECODE, Set.of(Phase.PROMPT));
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Phase> phases() {
    return phases;
  }

  @Override
  public List<Finding> detect(ScanInput input) {
    String text = input.text();
    if (text.isBlank()) {
      return List.of();
    }
    Evidence ev = analyse(text);
    if (ev.isEmpty()) {
      return List.of();
    }
    double score = ev.score(CONTEXT, GATE);
    if (score < minScore) {
      return List.of();
    }
    List<String> families = ev.topFamilies(3);
    return List.of(
        Finding.builder(ID, Category.PROMPT_INJECTION)
            .score(score)
            .confidence(
                score >= 0.8 ? Confidence.HIGH : score >= 0.5 ? Confidence.MEDIUM : Confidence.LOW)
            .spans(ev.spans(text.length(), 16))
            .message("prompt injection: " + String.join(", ", families))
            .metadata("families", String.join(",", families))
            .metadata("signals", signalNames(ev))
            .build());
  }

  /** The evidence for {@code text}; package-private for tests. */
  Evidence analyse(String text) {
    Evidence ev = new Evidence();
    NormalizedText nt = TextNormalizer.normalize(text);
    int cues = scanFolded(nt, ev);
    if (maxDecode > 0) {
      new Decoder(maxDecode, this::scanPayload)
          .scan(text, ev, (cues & ROT13_CUE) != 0, (cues & REVERSED_CUE) != 0);
    }
    return ev;
  }

  /** Scans a decoded payload; returns its own score. */
  private double scanPayload(CharSequence payload) {
    Evidence sub = new Evidence();
    scanFolded(TextNormalizer.foldDecoded(payload), sub);
    return sub.score(CONTEXT, GATE);
  }

  /** Bit set in the result of {@link #scanFolded}: a rot13 cue word was seen. */
  static final int ROT13_CUE = 1;

  /** Bit set in the result of {@link #scanFolded}: a reversed cue word was seen. */
  static final int REVERSED_CUE = 2;

  /** Adds the signals of {@code nt} to {@code ev}; returns the decoder cues seen. */
  private static int scanFolded(NormalizedText nt, Evidence ev) {
    int cues = 0;
    for (PhraseMatcher.Hit h : MATCHER.match(nt)) {
      switch (h.rule().family()) {
        case "cue-rot13" -> cues |= ROT13_CUE;
        case "cue-reversed" -> cues |= REVERSED_CUE;
        default -> ev.add(h, nt);
      }
    }
    Markers.scan(nt, ev);
    if (nt.longestSpacedRun() >= SPACED_RUN) {
      ev.add("spaced-out-letters", "obfuscation", 0.5, nt.spacedRunStart(), nt.spacedRunEnd());
    }
    return cues;
  }

  /** Letters spelled out one by one ({@code s a y t h a t}) beyond this are an evasion. */
  static final int SPACED_RUN = 8;

  private static String signalNames(Evidence ev) {
    StringBuilder sb = new StringBuilder();
    for (String s : ev.signalNames()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(s);
      if (sb.length() > 200) {
        break;
      }
    }
    return sb.toString();
  }
}
