package dev.llmguard.detect.jailbreak;

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
 * Detects role-play and persona jailbreaks: DAN-style "do anything now" personas, "developer mode",
 * claims of no restrictions, "stay in character", dual-answer formats, threats (tokens that run
 * out), promises never to refuse or warn, and fictional or hypothetical framing of forbidden
 * requests.
 *
 * <p>No single phrase decides: each match is a weak or strong signal in a family, and the score
 * combines families ({@link Evidence}), so "imagine you are a chef" alone stays low while a persona
 * that has no rules, never refuses and answers twice scores high. Text is folded first ({@link
 * TextNormalizer}). One finding per text with the spans of the matched phrases.
 *
 * <p>Thread-safe and stateless; linear in the text length.
 */
public final class JailbreakDetector implements Detector {
  public static final String ID = "jailbreak";

  /** Findings scoring below this are not reported. */
  public static final double DEFAULT_MIN_SCORE = 0.3;

  static final String RULES = "/dev/llmguard/detect/jailbreak/rules.txt";

  private static final PhraseMatcher MATCHER =
      new PhraseMatcher(RuleFile.load(JailbreakDetector.class, RULES));

  /** Lock emojis that dual-answer templates use to tag the "classic" and "jailbroken" answers. */
  private static final String[] RAW_MARKERS = {"\uD83D\uDD13", "\uD83D\uDD12"};

  /** Families common in harmless prompts too: they only strengthen core evidence. */
  static final Set<String> CONTEXT = Set.of("persona", "framing", "topic");

  /** Core evidence at which context counts in full. */
  static final double GATE = 0.7;

  private final double minScore;
  private final Set<Phase> phases;

  /**
   * @throws IllegalArgumentException when {@code minScore} is not within 0..1 or phases is empty
   */
  public JailbreakDetector(double minScore, Set<Phase> phases) {
    if (!(minScore >= 0 && minScore <= 1)) {
      throw new IllegalArgumentException("min-score must be between 0 and 1 but was " + minScore);
    }
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("phases must not be empty");
    }
    this.minScore = minScore;
    this.phases = Set.copyOf(phases);
  }

  public JailbreakDetector() {
    this(DEFAULT_MIN_SCORE, Set.of(Phase.PROMPT));
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
    double score = corroborated(ev, ev.score(CONTEXT, GATE));
    if (score < minScore) {
      return List.of();
    }
    List<String> families = ev.topFamilies(3);
    String signals = String.join(",", ev.signalNames());
    return List.of(
        Finding.builder(ID, Category.JAILBREAK)
            .score(score)
            .confidence(
                score >= 0.8 ? Confidence.HIGH : score >= 0.5 ? Confidence.MEDIUM : Confidence.LOW)
            .spans(ev.spans(text.length(), 16))
            .message("jailbreak: " + String.join(", ", families))
            .metadata("families", String.join(",", families))
            .metadata(
                "signals",
                signals.length() > 200
                    ? signals.substring(0, Math.max(0, signals.lastIndexOf(',', 200)))
                    : signals)
            .build());
  }

  /**
   * One family alone ("developer mode" on a phone, a question about what a jailbreak is) is not a
   * jailbreak: without a second family (core, or a persona being set up) the score stays at or
   * below {@value #SINGLE_FAMILY_CAP}.
   */
  static double corroborated(Evidence ev, double score) {
    int core = 0;
    boolean persona = false;
    for (String family : ev.familyNames()) {
      if (CONTEXT.contains(family)) {
        persona |= family.equals("persona");
      } else {
        core++;
      }
    }
    return core >= 2 || core == 1 && persona ? score : Math.min(score, SINGLE_FAMILY_CAP);
  }

  /** Highest score of evidence from a single core family. */
  static final double SINGLE_FAMILY_CAP = 0.45;

  /** The evidence for {@code text}; package-private for tests. */
  Evidence analyse(String text) {
    Evidence ev = new Evidence();
    NormalizedText nt = TextNormalizer.normalize(text);
    for (PhraseMatcher.Hit h : MATCHER.match(nt)) {
      ev.add(h, nt);
    }
    for (String m : RAW_MARKERS) {
      int at = text.indexOf(m);
      if (at >= 0) {
        ev.add("lock-emoji-tags", "dual", 0.45, at, at + m.length());
        break;
      }
    }
    return ev;
  }
}
