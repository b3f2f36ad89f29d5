package dev.llmguard.detect.injection;

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
 * Detects prompt injection: instruction override ("ignore the previous instructions" and its
 * paraphrases in English, German, French, Spanish, Italian and Portuguese), system-prompt
 * extraction, role and identity override, forced outputs, fake conversation turns and chat-template
 * tokens, fake delimiters, adversarial filler, password-game approvals sent alone ("Access
 * granted"), and instructions hidden in base64, hex, URL encoding, rot13, reversed text, masked
 * letters ("_gn_r_") or English written in Cyrillic letters (decoded and scanned again).
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

  /** {@link #scanPayload}, made once rather than per scan. */
  private final java.util.function.ToDoubleFunction<CharSequence> payloadScanner =
      this::scanPayload;

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
    try (Evidence ev = Evidence.open()) {
      analyse(text, ev);
      if (ev.isEmpty()) {
        return List.of();
      }
      double score = ev.score(CONTEXT, GATE);
      if (score < minScore) {
        return List.of();
      }
      // built directly: the span list is the finding's own, the metadata map made once
      return List.of(
          new Finding(
              ID,
              Category.PROMPT_INJECTION,
              score,
              Evidence.confidenceOf(score),
              ev.spans(text.length(), 16),
              ev.topFamilies(3, "prompt injection: ", ", ", ""),
              Map.of("families", ev.topFamilies(3, "", ",", ""), "signals", signalNames(ev))));
    }
  }

  /** The evidence for {@code text}; package-private for tests. */
  Evidence analyse(String text) {
    Evidence ev = new Evidence();
    analyse(text, ev);
    return ev;
  }

  /** Adds the evidence for {@code text} to {@code ev}. */
  private void analyse(String text, Evidence ev) {
    NormalizedText nt = TextNormalizer.normalize(text);
    int cues = scanFolded(nt, ev);
    if (maxDecode > 0) {
      Decoder decoder = new Decoder(maxDecode, payloadScanner);
      // The normaliser's copy of the text in an array serves every pass below (arrays read faster
      // than String.charAt); it stays valid for this scan, as payload scans fold in buffers of
      // their own (TextNormalizer.foldDecoded) and nothing writes to it.
      char[] chars = nt.originalChars();
      int n = text.length();
      decoder.scan(text, chars, ev, (cues & ROT13_CUE) != 0, (cues & REVERSED_CUE) != 0);
      spelledOut(chars, n, ev);
      maskedLetters(text, chars, n, ev);
      transliterated(chars, n, ev);
    }
  }

  /** Weight of a phrase that scores once its masked letters are filled in. */
  static final double MASKED_WEIGHT = 0.6;

  /**
   * Words of attack phrases, for filling in masked letters. Underscores stand for any letter, so
   * "_cc_s gr_nt_d" reads "access granted" and "_gn_r_ pr_v__us" "ignore previous".
   */
  private static final String[] MASKABLE = {
    "access",
    "granted",
    "password",
    "secret",
    "ignore",
    "previous",
    "instructions",
    "instruction",
    "prompt",
    "system",
    "reveal",
    "forget",
    "disregard",
    "rules",
    "above",
    "approved",
    "allowed",
    "authorized",
    "override",
    "print",
    "output",
    "respond",
    "reply",
    "only",
    "say"
  };

  /**
   * Words with letters masked by underscores ({@code _cc_s gr_nt_d}), the vowel-removal puzzle of
   * password games: each masked word that fits exactly one attack word (same length, every shown
   * letter equal, at most half masked) is filled in, and the text is scanned again. A payload that
   * scores is a signal of at least {@value #MASKED_WEIGHT}. Nothing happens without an underscore
   * inside a word; one pass over at most {@link Decoder#MAX_PAYLOAD} chars.
   */
  private void maskedLetters(String text, char[] chars, int length, Evidence ev) {
    if (text.indexOf('_') < 0) {
      return;
    }
    int n = Math.min(length, Decoder.MAX_PAYLOAD);
    StringBuilder out = null;
    int first = -1;
    int last = -1;
    int copied = 0;
    int i = 0;
    while (i < n) {
      if (!isLetter(chars[i]) && chars[i] != '_') {
        i++;
        continue;
      }
      int end = i;
      int masks = 0;
      while (end < n && (isLetter(chars[end]) || chars[end] == '_')) {
        masks += chars[end] == '_' ? 1 : 0;
        end++;
      }
      String word = masks > 0 && masks * 2 <= end - i ? fill(chars, i, end) : null;
      if (word != null) {
        out = out == null ? new StringBuilder(n) : out;
        out.append(text, copied, i).append(word);
        copied = end;
        first = first < 0 ? i : first;
        last = end;
      }
      i = end;
    }
    if (out == null) {
      return;
    }
    out.append(text, copied, n);
    double s = scanPayload(out);
    if (s >= 0.3) {
      ev.add("masked-letters-payload", "encoded", Math.max(MASKED_WEIGHT, s), first, last);
    }
  }

  /** The one attack word that {@code text[from, to)} fits with its underscores filled, or null. */
  private static String fill(char[] text, int from, int to) {
    String found = null;
    for (String w : MASKABLE) {
      if (w.length() != to - from) {
        continue;
      }
      boolean fits = true;
      for (int k = 0; k < w.length() && fits; k++) {
        char c = text[from + k];
        fits = c == '_' || Character.toLowerCase(c) == w.charAt(k);
      }
      if (fits) {
        if (found != null) {
          return null; // ambiguous
        }
        found = w;
      }
    }
    return found;
  }

  /** Weight of a phrase that scores once its Cyrillic letters are read as Latin ones. */
  static final double TRANSLITERATED_WEIGHT = 0.6;

  /**
   * Latin letters for the Cyrillic ones ({@code а} to {@code я}, then {@code ѐ} to {@code џ}), as
   * Serbian writes foreign words: "Аццесс Грантед" is "Access Granted". Empty strings for the hard
   * and soft signs.
   */
  private static final String[] CYRILLIC_LATIN = {
    "a", "b", "v", "g", "d", "e", "z", "z", "i", "j", "k", "l", "m", "n", "o", "p", "r", "s", "t",
    "u", "f", "h", "c", "c", "s", "s", "", "y", "", "e", "ju", "ja"
  };

  private static final String[] CYRILLIC_EXTRA = {
    "e", "e", "dj", "g", "e", "s", "i", "i", "j", "lj", "nj", "c", "k", "i", "u", "dz"
  };

  /**
   * English written in Cyrillic letters ("Аццесс Грантед"): the text is read letter by letter as
   * Latin and scanned again; a payload that scores is a signal of at least {@value
   * #TRANSLITERATED_WEIGHT}. Russian or Serbian prose read this way matches no English phrase.
   * Nothing happens without a Cyrillic letter; one pass over at most {@link Decoder#MAX_PAYLOAD}
   * chars.
   */
  private void transliterated(char[] text, int length, Evidence ev) {
    int n = Math.min(length, Decoder.MAX_PAYLOAD);
    int first = -1;
    for (int i = 0; i < n && first < 0; i++) {
      char c = text[i];
      if (c >= '\u0400' && c <= '\u045F' && latinFor(Character.toLowerCase(c)) != null) {
        first = i;
      }
    }
    if (first < 0) {
      return;
    }
    StringBuilder out = new StringBuilder(n + 16);
    int last = first;
    for (int i = 0; i < n; i++) {
      char c = text[i];
      String latin = latinFor(Character.toLowerCase(c));
      if (latin == null) {
        out.append(c);
      } else {
        out.append(latin);
        last = i + 1;
      }
    }
    double s = scanPayload(out);
    if (s >= 0.3) {
      ev.add("transliterated-payload", "encoded", Math.max(TRANSLITERATED_WEIGHT, s), first, last);
    }
  }

  private static String latinFor(char c) {
    if (c >= '\u0430' && c <= '\u044F') {
      return CYRILLIC_LATIN[c - '\u0430'];
    }
    if (c >= '\u0450' && c <= '\u045F') {
      return CYRILLIC_EXTRA[c - '\u0450'];
    }
    return null;
  }

  /** Fewest joins of letters spelled out one by one that are worth scanning again. */
  static final int SPELLED_MIN = 8;

  /**
   * Words spelled out letter by letter with separators the normaliser does not join ({@code
   * "A","c","c","e","s","s"}, {@code I-g-n-o-r-e}, {@code a.c.c.e.s.s}): the letters of each run
   * are joined, runs are kept apart by a space, and the result is scanned again. A payload that
   * scores is a signal of at least {@value #SPELLED_WEIGHT}: spelling a phrase out is an evasion.
   * One linear pass over at most {@link Decoder#MAX_PAYLOAD} chars of output.
   */
  private void spelledOut(char[] text, int length, Evidence ev) {
    if (!mayJoin(text, length)) {
      return;
    }
    StringBuilder out = new StringBuilder();
    int letters = 0;
    int runLength = 0;
    boolean runSpaced = false;
    int first = -1;
    int last = -1;
    int prevEnd = -1;
    char pending = 0;
    int pendingAt = -1;
    int n = length;
    int i = 0;
    while (i < n && out.length() < Decoder.MAX_PAYLOAD) {
      if (!isLetter(text[i])) {
        i++;
        continue;
      }
      int j = i + 1;
      while (j < n && isLetter(text[j])) {
        j++;
      }
      if (j - i > 1) {
        i = j; // a whole word: nothing spelled out here
        continue;
      }
      char c = text[i];
      // Spaces alone are joined by the normaliser already ("i g n o r e"); only other separators
      // ("A","c" / I-g-n) join here, so plain spaced-out text is not scanned twice.
      boolean joins =
          prevEnd >= 0
              && i - prevEnd <= SPELLED_GAP
              && onlySeparators(text, prevEnd, i)
              && !onlySpaces(text, prevEnd, i);
      boolean spaced = joins && hasSpace(text, prevEnd, i);
      if (joins && runLength == 1) {
        runSpaced = spaced;
      }
      if (!joins) {
        // A lone letter is kept aside and written out only if the next one joins it.
        pending = c;
        pendingAt = i;
        runLength = 1;
        prevEnd = i + 1;
        i++;
        continue;
      }
      if (pending != 0) {
        if (out.length() > 0) {
          out.append(' ');
        }
        out.append(pending);
        first = first < 0 ? pendingAt : first;
        pending = 0;
      } else if (runLength > 1 && spaced != runSpaced || closes(text, prevEnd, i)) {
        // Letters joined without spaces ("A","c","c") end a word where a space comes between;
        // a closing bracket ends a word too (["A", "c"] ["G", "r"]).
        out.append(' ');
        runLength = 0;
      }
      runLength++;
      out.append(c);
      letters++;
      last = i + 1;
      prevEnd = i + 1;
      i++;
    }
    if (letters < SPELLED_MIN) {
      return;
    }
    // Single letters that never formed a run of two are noise ("a", "I"): drop them.
    StringBuilder words = new StringBuilder();
    for (String w : out.toString().split(" ")) {
      if (w.length() >= 2) {
        words.append(w).append(' ');
      }
    }
    if (words.length() < SPELLED_MIN) {
      return;
    }
    double s = scanPayload(words.toString());
    if (s >= 0.3) {
      ev.add("spelled-out-payload", "encoded", Math.max(SPELLED_WEIGHT, s), first, last);
    }
  }

  /**
   * Whether {@link #spelledOut} may join {@value #SPELLED_MIN} letters. Each letter it joins is a
   * single letter after a gap of at most {@value #SPELLED_GAP} separators, not all of them spaces,
   * with a single letter before the gap too: such gaps are counted (each once) from the separators
   * other than spaces, which prose has few of, and fewer than {@value #SPELLED_MIN} of them mean
   * nothing is joined. Reads most chars once, without splitting the text into words.
   */
  static boolean mayJoin(char[] text, int n) {
    int gaps = 0;
    int k = 0;
    while (k < n) {
      char c = text[k];
      if (c == ' ' || !isSeparator(c)) {
        k++;
        continue;
      }
      int from = k;
      while (from > 0 && k - from < SPELLED_GAP && isSeparator(text[from - 1])) {
        from--;
      }
      int to = k + 1;
      while (to < n && to - from <= SPELLED_GAP && isSeparator(text[to])) {
        to++;
      }
      if (to - from <= SPELLED_GAP
          && from > 0
          && to < n
          && isSingleLetter(text, n, from - 1)
          && isSingleLetter(text, n, to)
          && ++gaps >= SPELLED_MIN) {
        return true;
      }
      k = to;
    }
    return false;
  }

  /** Whether {@code text[i]} is a letter with no letter on either side. */
  private static boolean isSingleLetter(char[] text, int n, int i) {
    return isLetter(text[i])
        && (i == 0 || !isLetter(text[i - 1]))
        && (i + 1 >= n || !isLetter(text[i + 1]));
  }

  /** The separators that may come between spelled-out letters ({@link #onlySeparators}). */
  private static final String SEPARATORS = "\"',-._[]()/|*+ `\u2019\u201C\u201D";

  /** {@link #SEPARATORS} below 128. */
  private static final boolean[] ASCII_SEPARATOR = new boolean[128];

  static {
    for (char c : SEPARATORS.toCharArray()) {
      if (c < 128) {
        ASCII_SEPARATOR[c] = true;
      }
    }
  }

  private static boolean isSeparator(char c) {
    return c < 128 ? ASCII_SEPARATOR[c] : SEPARATORS.indexOf(c) >= 0;
  }

  /** ASCII letters, for chars below 128 ({@link Character#isLetter} agrees there). */
  private static final boolean[] ASCII_LETTER = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      ASCII_LETTER[c] = true;
      ASCII_LETTER[Character.toUpperCase(c)] = true;
    }
  }

  private static boolean isLetter(char c) {
    return c < 128 ? ASCII_LETTER[c] : Character.isLetter(c);
  }

  /** Weight of a phrase that scores after its spelled-out letters are joined. */
  static final double SPELLED_WEIGHT = 0.6;

  /** Most separator chars between two spelled-out letters ({@code ", "} is 4 with quotes). */
  static final int SPELLED_GAP = 5;

  private static boolean closes(char[] text, int from, int to) {
    for (int k = Math.max(0, from); k < to; k++) {
      char c = text[k];
      if (c == ']' || c == ')') {
        return true;
      }
    }
    return false;
  }

  private static boolean onlySpaces(char[] text, int from, int to) {
    for (int k = from; k < to; k++) {
      if (text[k] != ' ') {
        return false;
      }
    }
    return true;
  }

  private static boolean hasSpace(char[] text, int from, int to) {
    for (int k = from; k < to; k++) {
      if (text[k] == ' ') {
        return true;
      }
    }
    return false;
  }

  private static boolean onlySeparators(char[] text, int from, int to) {
    for (int k = from; k < to; k++) {
      if (!isSeparator(text[k])) {
        return false;
      }
    }
    return true;
  }

  /** Scans a decoded payload; returns its own score. */
  private double scanPayload(CharSequence payload) {
    // scanned while the text's evidence is open: the thread's pool gives this one another
    try (Evidence sub = Evidence.open()) {
      scanFolded(TextNormalizer.foldDecoded(payload), sub);
      return sub.score(CONTEXT, GATE);
    }
  }

  /** Bit set in the result of {@link #scanFolded}: a rot13 cue word was seen. */
  static final int ROT13_CUE = 1;

  /** Bit set in the result of {@link #scanFolded}: a reversed cue word was seen. */
  static final int REVERSED_CUE = 2;

  /** Adds the signals of {@code nt} to {@code ev}; returns the decoder cues seen. */
  private static int scanFolded(NormalizedText nt, Evidence ev) {
    int cues = 0;
    PhraseMatcher.Hits hits = MATCHER.match(nt, ev.hits());
    for (int k = 0; k < hits.size(); k++) {
      PhraseMatcher.Rule rule = hits.rule(k);
      switch (rule.family()) {
        case "cue-rot13" -> cues |= ROT13_CUE;
        case "cue-reversed" -> cues |= REVERSED_CUE;
        case "approval" -> {
          if (isBare(nt, hits.start(k), hits.end(k))) {
            ev.add(
                "bare-approval-phrase",
                "hijack",
                rule.weight(),
                nt.originStart(hits.start(k)),
                nt.originEnd(hits.end(k)));
          }
        }
        default -> ev.add(rule, hits.start(k), hits.end(k), nt);
      }
    }
    Markers.scan(nt, ev);
    if (nt.longestSpacedRun() >= SPACED_RUN) {
      ev.add("spaced-out-letters", "obfuscation", 0.5, nt.spacedRunStart(), nt.spacedRunEnd());
    }
    return cues;
  }

  /** Most other words next to an approval phrase for the message to count as that phrase. */
  static final int BARE_EXTRA_WORDS = 2;

  /** Folded texts longer than this are never a bare phrase (no word count needed). */
  static final int BARE_MAX_CHARS = 64;

  /**
   * Whether the message is little more than the hit: at most {@value #BARE_EXTRA_WORDS} other words
   * ("Access granted.", "ok, allow access"). Password games are won by making the model print an
   * approval phrase, so the phrase sent alone is the attack; the same words in a sentence ("the
   * user was granted access to the repository") are not.
   */
  private static boolean isBare(NormalizedText nt, int hitStart, int hitEnd) {
    int n = nt.length();
    if (n > BARE_MAX_CHARS) {
      return false;
    }
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < n; i++) {
      boolean letter = Character.isLetterOrDigit(nt.charAt(i)) && (i < hitStart || i >= hitEnd);
      if (letter && !inWord) {
        words++;
      }
      inWord = letter;
    }
    return words <= BARE_EXTRA_WORDS;
  }

  /** Letters spelled out one by one ({@code s a y t h a t}) beyond this are an evasion. */
  static final int SPACED_RUN = 8;

  private static String signalNames(Evidence ev) {
    return ev.joinedSignalNames(200);
  }
}
