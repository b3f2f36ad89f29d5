package dev.llmguard.detect.jailbreak;

import dev.llmguard.detect.text.CharSweep;
import dev.llmguard.detect.text.Evidence;
import dev.llmguard.detect.text.NormalizedText;
import dev.llmguard.detect.text.PhraseMatcher;
import dev.llmguard.detect.text.RuleFile;
import dev.llmguard.detect.text.TextNormalizer;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Detects role-play and persona jailbreaks: DAN-style "do anything now" personas, "developer mode",
 * claims of no restrictions, "stay in character", dual-answer formats, threats (tokens that run
 * out), promises never to refuse or warn, and fictional or hypothetical framing of forbidden
 * requests. Besides phrases it reads the structure of templates: answer labels of the dual format
 * ("[GPT]" next to "[DAN]"), lock-emoji labels, personas configured as pseudo-code settings and
 * slots for the smuggled request.
 *
 * <p>No single phrase decides: each match is a weak or strong signal in a family, and the score
 * combines families ({@link Evidence}), so "imagine you are a chef" alone stays low while a persona
 * that has no rules, never refuses and answers twice scores high. Text is folded first ({@link
 * TextNormalizer}). One finding per text with the spans of the matched phrases.
 *
 * <p>Weak but present evidence (a score from {@value #LEARNED_GATE} up to {@value
 * #LEARNED_PROMOTION}) is shown to a learned model ({@link JailbreakModel}, bundled by default);
 * when its probability reaches the model's threshold the score rises to {@value #LEARNED_PROMOTION}
 * or more, the family {@code learned} is added and the finding carries {@code model-probability}.
 * The model never reports a text on its own.
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

  /**
   * Rule evidence at or above this score, but below {@value #LEARNED_PROMOTION}, is shown to the
   * learned model ({@link JailbreakModel}); when the model agrees, the score is raised to at least
   * {@value #LEARNED_PROMOTION}. The model never reports a text without rule evidence.
   */
  public static final double LEARNED_GATE = 0.3;

  /** The lowest score of a finding that the learned model corroborated. */
  public static final double LEARNED_PROMOTION = 0.5;

  /** Scores the model can give on its own reach at most this (a medium-confidence finding). */
  static final double LEARNED_CEILING = 0.75;

  private final double minScore;
  private final Set<Phase> phases;
  private final JailbreakModel model;

  /**
   * A detector with the bundled learned model ({@link JailbreakModel#bundled()}).
   *
   * @throws IllegalArgumentException when {@code minScore} is not within 0..1 or phases is empty
   */
  public JailbreakDetector(double minScore, Set<Phase> phases) {
    this(minScore, phases, JailbreakModel.bundled());
  }

  /**
   * @param model the learned model that corroborates weak evidence, or {@code null} for rules only
   * @throws IllegalArgumentException when {@code minScore} is not within 0..1 or phases is empty
   */
  public JailbreakDetector(double minScore, Set<Phase> phases, JailbreakModel model) {
    if (!(minScore >= 0 && minScore <= 1)) {
      throw new IllegalArgumentException("min-score must be between 0 and 1 but was " + minScore);
    }
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("phases must not be empty");
    }
    this.minScore = minScore;
    this.phases = Set.copyOf(phases);
    this.model = model;
  }

  public JailbreakDetector() {
    this(DEFAULT_MIN_SCORE, Set.of(Phase.PROMPT));
  }

  /** The learned model, or {@code null} when the detector runs on rules only. */
  public JailbreakModel model() {
    return model;
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
    try (Evidence ev = Evidence.open()) {
      analyse(text, ev);
      return ev.isEmpty() ? List.of() : finding(text, ev);
    }
  }

  /** The finding for the evidence {@code ev} of {@code text}, if it scores enough. */
  private List<Finding> finding(String text, Evidence ev) {
    double score = corroborated(ev, ev.score(CONTEXT, GATE));
    double probability = -1;
    if (model != null && score >= LEARNED_GATE && score < LEARNED_PROMOTION) {
      probability = model.probability(text);
      if (probability >= model.threshold()) {
        score = promoted(probability, model.threshold());
      }
    }
    if (score < minScore) {
      return List.of();
    }
    boolean learned = probability >= 0 && score >= LEARNED_PROMOTION;
    String families = ev.topFamilies(3, "", ",", learned ? ",learned" : "");
    String signals = ev.joinedSignalNamesWithin(200);
    // built directly: the span list is the finding's own, the metadata map made once
    return List.of(
        new Finding(
            ID,
            Category.JAILBREAK,
            score,
            Evidence.confidenceOf(score),
            ev.spans(text.length(), 16),
            ev.topFamilies(
                3, "jailbreak: ", ", ", learned ? ", corroborated by the learned model" : ""),
            probability >= 0
                ? Map.of(
                    "families",
                    families,
                    "signals",
                    signals,
                    "model-probability",
                    threeDecimals(probability))
                : Map.of("families", families, "signals", signals)));
  }

  /** A probability (0..1) with three decimals, as {@code %.3f} writes it, without a Formatter. */
  static String threeDecimals(double probability) {
    long thousandths = Math.round(Math.max(0, Math.min(1, probability)) * 1000);
    char[] out = {'0', '.', '0', '0', '0'};
    out[0] = (char) ('0' + thousandths / 1000);
    out[2] = (char) ('0' + thousandths / 100 % 10);
    out[3] = (char) ('0' + thousandths / 10 % 10);
    out[4] = (char) ('0' + thousandths % 10);
    return new String(out);
  }

  /**
   * The score of weak evidence that the model corroborated: {@value #LEARNED_PROMOTION} at the
   * threshold, rising linearly to {@value #LEARNED_CEILING} at probability 1.
   */
  static double promoted(double probability, double threshold) {
    double above = threshold >= 1 ? 1 : (probability - threshold) / (1 - threshold);
    return LEARNED_PROMOTION + (LEARNED_CEILING - LEARNED_PROMOTION) * Math.min(1, above);
  }

  /**
   * One family alone ("developer mode" on a phone, a question about what a jailbreak is) is not a
   * jailbreak: without a second family (core, or a persona being set up) the score stays at or
   * below {@value #SINGLE_FAMILY_CAP}.
   */
  static double corroborated(Evidence ev, double score) {
    int core = 0;
    boolean persona = false;
    for (int f = 0; f < ev.familyCount(); f++) {
      String family = ev.family(f);
      if (CONTEXT.contains(family)) {
        persona |= family.equals("persona");
      } else {
        core++;
      }
    }
    // A wrapper with a slot for any request ("[INSERT PROMPT HERE]") is the template itself.
    persona |= ev.familyWeight("template", 0.0) >= TEMPLATE_ALONE;
    return core >= 2 || core == 1 && persona ? score : Math.min(score, SINGLE_FAMILY_CAP);
  }

  /** Template evidence this strong (a slot for the request to smuggle) needs no second family. */
  static final double TEMPLATE_ALONE = 0.5;

  /** Highest score of evidence from a single core family. */
  static final double SINGLE_FAMILY_CAP = 0.45;

  /** The evidence for {@code text}; package-private for tests. */
  Evidence analyse(String text) {
    Evidence ev = new Evidence();
    analyse(text, ev);
    return ev;
  }

  /** Adds the evidence for {@code text} to {@code ev}. */
  private void analyse(String text, Evidence ev) {
    NormalizedText nt = TextNormalizer.normalize(text);
    PhraseMatcher.Hits hits = MATCHER.match(nt, ev.hits());
    boolean compliance = false;
    for (int k = 0; k < hits.size() && !compliance; k++) {
      compliance = hits.rule(k).family().equals("compliance");
    }
    for (int k = 0; k < hits.size(); k++) {
      // compliance rules weigh 0, so Evidence drops them; they only cancel mentions near them
      if (!(compliance && isMention(hits.rule(k)) && withinCompliance(hits, hits.start(k)))) {
        ev.add(hits.rule(k), hits.start(k), hits.end(k), nt);
      }
    }
    for (String m : RAW_MARKERS) {
      int at = text.indexOf(m);
      if (at >= 0) {
        ev.add("lock-emoji-tags", "dual", 0.45, at, at + m.length());
        if (isTag(text, at, at + m.length())) {
          // "[🔓JAILBREAK]", "Name🔓:": the emoji labels an answer; such a label is the template
          ev.add("lock-emoji-label", "template", TEMPLATE_ALONE, at, at + m.length());
        }
        break;
      }
    }
    placeholders(text, ev);
    if (hasCore(ev)) {
      // alone the labels are one family and capped below one half: only look when they can add up
      answerLabels(text, ev);
    }
    personaSettings(text, ev);
  }

  /** Settings keys of a persona written as pseudo-code ("Personality = [SENTIENT]"). */
  private static final String[] PERSONA_KEYS = {
    "personality", "awareness", "persona", "character", "assistant", "identity", "mood"
  };

  /** Further settings keys that name who is who or what is allowed ("USER CLASS = [ADMIN]"). */
  private static final String[] RULE_KEYS = {
    "user",
    "class",
    "admin",
    "memory",
    "function",
    "output",
    "title",
    "role",
    "mode",
    "rules",
    "restrictions",
    "filter",
    "filters",
    "ethics",
    "morals",
    "morality",
    "limits",
    "censorship",
    "specialization",
    "behavior",
    "behaviour",
    "tone",
    "name"
  };

  /** Settings at which a persona block counts. */
  static final int PERSONA_SETTINGS_MIN = 3;

  /**
   * A persona configured as pseudo-code, a template style of its own: {@code +: Assistant =
   * [NAME]}, {@code ADD:(USER CLASS)=[ADMIN]}, {@code Awareness = [TRUE]}. Counts assignments whose
   * value is bracketed and whose key (the word just before the {@code =}) is a settings key; with
   * at least {@value #PERSONA_SETTINGS_MIN} of them, one a persona key, the text is a persona
   * template. Each {@code =} is looked at within a bounded window, so this is linear.
   */
  static void personaSettings(String text, Evidence ev) {
    int settings = 0;
    boolean persona = false;
    int first = -1;
    int n = text.length();
    for (int eq = text.indexOf('='); eq >= 0; eq = text.indexOf('=', eq + 1)) {
      int v = eq + 1;
      while (v < n && v - eq <= 3 && text.charAt(v) == ' ') {
        v++;
      }
      if (v >= n || text.charAt(v) != '[') {
        continue;
      }
      int k = eq - 1;
      while (k >= 0 && eq - k <= 3 && (text.charAt(k) == ' ' || text.charAt(k) == ')')) {
        k--;
      }
      int end = k + 1;
      while (k >= 0 && end - k <= 16 && Character.isLetter(text.charAt(k))) {
        k--;
      }
      boolean isPersona = isOneOf(text, k + 1, end, PERSONA_KEYS);
      if (isPersona || isOneOf(text, k + 1, end, RULE_KEYS)) {
        settings++;
        persona |= isPersona;
        first = first < 0 ? k + 1 : first;
        if (settings >= PERSONA_SETTINGS_MIN && persona) {
          ev.add("persona-settings", "template", TEMPLATE_ALONE, first, v + 1);
          return;
        }
      }
    }
  }

  /** Whether {@code ev} holds a family that is not mere context. */
  private static boolean hasCore(Evidence ev) {
    for (int f = 0; f < ev.familyCount(); f++) {
      if (!CONTEXT.contains(ev.family(f))) {
        return true;
      }
    }
    return false;
  }

  /** Chars looked at on each side of a lock emoji for the bracket or colon of a label. */
  static final int LABEL_REACH = 24;

  /**
   * Whether the emoji at {@code [from, to)} sits in an answer label: inside brackets ({@code
   * [🔓JAILBREAK]}, {@code (🔓Developer Mode Output)}) or in a name that ends in a colon ({@code
   * Persona🔓:}). Bounded look-around, so constant time.
   */
  static boolean isTag(String text, int from, int to) {
    for (int k = from - 1; k >= Math.max(0, from - LABEL_REACH); k--) {
      char c = text.charAt(k);
      if (c == '[' || c == '(') {
        return true;
      }
      if (c == '\n' || c == ']' || c == ')' || c == '.') {
        break;
      }
    }
    for (int k = to; k < Math.min(text.length(), to + LABEL_REACH); k++) {
      char c = text.charAt(k);
      if (c == ':' || c == ']' || c == ')') {
        return true;
      }
      if (c == '\n' || c == '.' || c == '[' || c == '(') {
        return false;
      }
    }
    return false;
  }

  /**
   * Labels of the answer a jailbreak persona gives: "[DAN]", "(Developer Mode Output)", "STAN:".
   */
  private static final String[] PERSONA_LABELS = {
    "dan",
    "jailbreak",
    "jailbroken",
    "developer",
    "devmode",
    "unfiltered",
    "uncensored",
    "unrestricted",
    "evil",
    "antigpt",
    "anti",
    "betterdan",
    "unlocked",
    "stan",
    "dude",
    "aim",
    "nsfw",
    "chaos",
    "opposite",
    "dark",
    "shadow",
    "ucar",
    "mongo",
    "unlimited",
    "jb"
  };

  /** Labels of the model's own, filtered answer: "[GPT]", "[🔒CLASSIC]", "(Normal Output)". */
  private static final String[] MODEL_LABELS = {
    "gpt",
    "chatgpt",
    "classic",
    "normal",
    "standard",
    "filtered",
    "censored",
    "ai",
    "assistant",
    "claude",
    "bard",
    "gemini",
    "llama",
    "safe",
    "original",
    "default",
    "aligned"
  };

  /** At most this many labels are looked at per text. */
  static final int MAX_LABELS = 64;

  /**
   * At most this many brackets and line starts are tried per text (a flood of brackets stops here).
   */
  static final int MAX_LABEL_TRIES = 512;

  /**
   * The dual-answer format by its structure: two kinds of answer labels in one text, one naming the
   * model ("[GPT]", "(🔒Normal Output)", "ChatGPT:") and one naming an unrestricted persona
   * ("[DAN]", "(🔓Developer Mode Output)", "STAN:"). A label is a short bracketed run or a short
   * run before a colon at the start of a line. Each label is at most {@value #LABEL_REACH} chars
   * and at most {@value #MAX_LABEL_TRIES} places are tried, so this is linear and bounded.
   */
  static void answerLabels(String text, Evidence ev) {
    int persona = -1;
    int model = -1;
    int seen = 0;
    int n = text.length();
    // Three cursors over the only chars a label can start at: '[', '(' and a line start.
    int square = text.indexOf('[');
    int round = text.indexOf('(');
    int line = 0;
    int tries = 0;
    while (seen < MAX_LABELS && tries++ < MAX_LABEL_TRIES && (persona < 0 || model < 0)) {
      int i =
          Math.min(square < 0 ? n : square, Math.min(round < 0 ? n : round, line < 0 ? n : line));
      if (i >= n) {
        break;
      }
      int start;
      int end;
      if (i == square) {
        start = i + 1;
        end = labelEnd(text, start, ']');
        square = text.indexOf('[', i + 1);
      } else if (i == round) {
        start = i + 1;
        end = labelEnd(text, start, ')');
        round = text.indexOf('(', i + 1);
      } else {
        start = i;
        end = labelEnd(text, start, ':');
        int nl = text.indexOf('\n', i);
        line = nl < 0 ? -1 : nl + 1;
      }
      if (end < 0) {
        continue;
      }
      seen++;
      int kind = labelKind(text, start, end);
      if (kind == 1 && persona < 0) {
        persona = start;
      } else if (kind == 2 && model < 0) {
        model = start;
      }
    }
    if (persona >= 0 && model >= 0) {
      int at = Math.min(persona, model);
      ev.add("dual-answer-labels", "dual", DUAL_LABELS_WEIGHT, at, Math.max(persona, model));
    }
  }

  /** Weight of the two answer labels of the dual-answer format. */
  static final double DUAL_LABELS_WEIGHT = 0.5;

  /** The index of {@code close} within {@value #LABEL_REACH} label chars of {@code from}, or -1. */
  private static int labelEnd(String text, int from, char close) {
    int limit = Math.min(text.length(), from + LABEL_REACH + 1);
    for (int k = from; k < limit; k++) {
      char c = text.charAt(k);
      if (c == close) {
        return k > from ? k : -1;
      }
      if (c == '\n' || c == '[' || c == ']' || c == '(' || c == ')' || c == ':' || c == '.') {
        return -1;
      }
    }
    return -1;
  }

  /** 1 when a word of the label names a persona, 2 when it names the model, else 0. */
  private static int labelKind(String text, int from, int to) {
    int kind = 0;
    int k = from;
    while (k < to) {
      while (k < to && !Character.isLetter(text.charAt(k))) {
        k++;
      }
      int w = k;
      while (k < to && Character.isLetterOrDigit(text.charAt(k))) {
        k++;
      }
      if (isOneOf(text, w, k, PERSONA_LABELS)) {
        return 1;
      }
      if (kind == 0 && isOneOf(text, w, k, MODEL_LABELS)) {
        kind = 2;
      }
    }
    return kind;
  }

  /** Whether {@code text[from, to)} equals one of {@code words}, ignoring case; no allocation. */
  private static boolean isOneOf(String text, int from, int to, String[] words) {
    int len = to - from;
    for (String word : words) {
      if (word.length() == len && text.regionMatches(true, from, word, 0, len)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Weight of a slot for the request ("[your prompt]", "[Put your prompt]"): the template that
   * wraps any request is a jailbreak by itself, so it needs no second family.
   */
  static final double PROMPT_SLOT_WEIGHT = TEMPLATE_ALONE;

  /** Folded chars after a compliance phrase in which a named policy still belongs to it. */
  static final int COMPLIANCE_REACH = 24;

  /** A rule that only names a policy ("ethical guidelines", "content policy"). */
  private static boolean isMention(PhraseMatcher.Rule rule) {
    return rule.name().equals("policy-mention");
  }

  /**
   * Whether a mention starting at folded offset {@code start} lies inside, or within {@value
   * #COMPLIANCE_REACH} folded chars after, a phrase that promises to keep the rules ("without
   * violating any norms or ethical guidelines": the phrase ends at its first rule word): naming the
   * policy there is compliance, not a jailbreak signal.
   */
  private static boolean withinCompliance(PhraseMatcher.Hits hits, int start) {
    for (int k = 0; k < hits.size(); k++) {
      if (hits.rule(k).family().equals("compliance")
          && hits.start(k) <= start
          && start <= hits.end(k) + COMPLIANCE_REACH) {
        return true;
      }
    }
    return false;
  }

  /** Longest placeholder name looked at; longer bracketed runs are ordinary text. */
  static final int PLACEHOLDER_MAX = 30;

  /**
   * Fill-in placeholders of shared prompt templates: role-play character cards ({@code {{user}}},
   * {@code {{char}}}) and upper-case slots ({@code [PROMPT]}, {@code [TARGETLANGUAGE]}). A weak
   * template signal: business templates have slots too, so it counts only next to other evidence.
   * Casing matters, so the original text is scanned; each look-ahead is bounded, so this is linear.
   */
  static void placeholders(String text, Evidence ev) {
    boolean card = false;
    boolean brace = false;
    int n = text.length();
    for (int i = CharSweep.indexOf(text, "{{", 0, 0);
        i >= 0 && !card;
        i = CharSweep.indexOf(text, "{{", 0, i + 2)) {
      int end = slotEnd(text, i + 2, '}');
      if (end > 0 && end + 1 < n && text.charAt(end + 1) == '}') {
        boolean persona = isCardName(text, i + 2, end);
        if (persona || !brace) {
          ev.add("template-placeholder", "template", persona ? 0.35 : 0.25, i, end + 2);
        }
        card = persona;
        brace = true;
      }
    }
    for (int i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) {
      int end = slotEnd(text, i + 1, ']');
      if (end - i > 4 && upperCase(text, i + 1, end)) {
        ev.add("template-placeholder", "template", 0.25, i, end + 1);
        return;
      }
      if (end > 0 && mentionsPrompt(text, i + 1, end)) {
        // "[your prompt]", "[put your prompt here]": the slot where the smuggled request goes
        ev.add("prompt-slot", "template", PROMPT_SLOT_WEIGHT, i, end + 1);
        return;
      }
    }
  }

  /**
   * The index of {@code close} within {@value #PLACEHOLDER_MAX} name chars of {@code from}, or -1.
   */
  private static int slotEnd(String text, int from, char close) {
    int limit = Math.min(text.length(), from + PLACEHOLDER_MAX + 1);
    for (int k = from; k < limit; k++) {
      char c = text.charAt(k);
      if (c == close) {
        return k > from ? k : -1;
      }
      if (!(Character.isLetter(c) || c == ' ' || c == '_' || c == '-')) {
        return -1;
      }
    }
    return -1;
  }

  /** Whether {@code text[from, to)} is {@code user} or {@code char}, spaces around allowed. */
  private static boolean isCardName(String text, int from, int to) {
    int a = from;
    int b = to;
    while (a < b && text.charAt(a) == ' ') {
      a++;
    }
    while (b > a && text.charAt(b - 1) == ' ') {
      b--;
    }
    return b - a == 4
        && (text.regionMatches(true, a, "user", 0, 4) || text.regionMatches(true, a, "char", 0, 4));
  }

  private static boolean mentionsPrompt(String text, int from, int to) {
    for (int k = from; k + 6 <= to; k++) {
      if (text.regionMatches(true, k, "prompt", 0, 6)) {
        return true;
      }
    }
    return false;
  }

  private static boolean upperCase(String text, int from, int to) {
    for (int k = from; k < to; k++) {
      if (Character.isLowerCase(text.charAt(k))) {
        return false;
      }
    }
    return true;
  }
}
