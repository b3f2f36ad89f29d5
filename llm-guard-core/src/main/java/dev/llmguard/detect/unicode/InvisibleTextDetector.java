package dev.llmguard.detect.unicode;

import dev.llmguard.detect.text.PackedSpans;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Finds text a reader cannot see but a model reads: Unicode tag characters (decoded, the hidden
 * ASCII goes to metadata {@code hidden_text}), variation selectors used as a byte code (decoded the
 * same way), zero-width characters, bidirectional overrides and isolates, and private-use
 * characters. One finding per kind present, category {@link Category#PROMPT_INJECTION}, its spans
 * the runs of such characters, its score graded by kind and amount. Legitimate uses are spared: a
 * zero-width joiner inside an emoji sequence, a zero-width non-joiner between letters of a script
 * that needs it, one variation selector after a symbol, a byte-order mark at the very start.
 *
 * <p>One pass over the text; ASCII is skipped with a single comparison. Immutable and thread-safe.
 */
public final class InvisibleTextDetector implements Detector {
  /** The detector id, {@value}. */
  public static final String ID = "invisible-text";

  /** Most spans reported per finding; the count in metadata stays exact. */
  public static final int MAX_SPANS = 256;

  private static final Set<Phase> PHASES = Set.of(Phase.PROMPT, Phase.RESPONSE);

  private final EnumSet<InvisibleKind> kinds;
  private final int maxHiddenText;

  InvisibleTextDetector(Set<InvisibleKind> kinds, int maxHiddenText) {
    this.kinds = EnumSet.copyOf(kinds);
    this.maxHiddenText = maxHiddenText;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Phase> phases() {
    return PHASES;
  }

  /**
   * Per-kind tally while scanning: runs packed as {@code start << 32 | end} and the decoded hidden
   * text, in arrays each thread reuses from scan to scan (kept up to {@value #RETAINED_RUNS} runs
   * and {@value #RETAINED_HIDDEN} chars).
   */
  private static final class Tally {
    long[] runs = new long[4];
    int runCount;
    char[] hidden;
    int hiddenLength;
    int count;
    int runStart = -1;
    int runEnd = -1;

    void add(int start, int end) {
      count++;
      if (runEnd == start) {
        runEnd = end;
        return;
      }
      flush();
      runStart = start;
      runEnd = end;
    }

    void flush() {
      if (runStart >= 0 && runCount < MAX_SPANS) {
        if (runCount == runs.length) {
          runs = java.util.Arrays.copyOf(runs, Math.min(MAX_SPANS, runCount * 2));
        }
        runs[runCount++] = PackedSpans.pack(runStart, runEnd);
      }
      runStart = -1;
      runEnd = -1;
    }

    void addHidden(char c) {
      if (hidden == null) {
        hidden = new char[16];
      } else if (hiddenLength == hidden.length) {
        hidden = java.util.Arrays.copyOf(hidden, hiddenLength * 2);
      }
      hidden[hiddenLength++] = c;
    }

    /** The runs as an immutable list. */
    List<Span> spans() {
      return PackedSpans.toList(runs, runCount);
    }

    void reset() {
      count = 0;
      runCount = 0;
      hiddenLength = 0;
      runStart = -1;
      runEnd = -1;
      if (runs.length > RETAINED_RUNS) {
        runs = new long[4];
      }
      if (hidden != null && hidden.length > RETAINED_HIDDEN) {
        hidden = null;
      }
    }
  }

  /** Runs per kind whose array a thread keeps between scans. */
  static final int RETAINED_RUNS = 64;

  /** Chars of hidden text per kind whose array a thread keeps between scans. */
  static final int RETAINED_HIDDEN = 256;

  /** The tallies a thread reuses, by kind; {@code busy} while a scan on the thread uses them. */
  private static final class Scratch {
    final Tally[] tallies = new Tally[KINDS.length];
    boolean busy;

    Tally tally(InvisibleKind kind) {
      Tally t = tallies[kind.ordinal()];
      if (t == null) {
        t = new Tally();
        tallies[kind.ordinal()] = t;
      }
      return t;
    }

    void release() {
      for (Tally t : tallies) {
        if (t != null) {
          t.reset();
        }
      }
      busy = false;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final InvisibleKind[] KINDS = InvisibleKind.values();

  @Override
  public List<Finding> detect(ScanInput input) {
    String t = input.text();
    int n = t.length();
    int i = skipPlain(t, 0, n);
    if (i >= n) {
      return List.of();
    }
    Scratch scratch = SCRATCH.get();
    if (scratch.busy) {
      scratch = new Scratch(); // a scan within a scan on this thread: nothing shared
    }
    scratch.busy = true;
    try {
      int found = 0;
      while (i < n) {
        int cp = Character.codePointAt(t, i);
        int len = Character.charCount(cp);
        InvisibleKind kind = classify(t, i, cp, len);
        if (kind != null && kinds.contains(kind)) {
          Tally tally = scratch.tally(kind);
          if (tally.count == 0) {
            found++;
          }
          tally.add(i, i + len);
          decode(kind, cp, tally);
        }
        i = skipPlain(t, i + len, n);
      }
      return found == 0 ? List.of() : findings(scratch.tallies, found);
    } finally {
      scratch.release();
    }
  }

  /**
   * The first index from {@code i} of a char that may be invisible (nothing below U+00AD is): a
   * loop of its own, which the compiler keeps tight, over the bulk of every text.
   */
  private static int skipPlain(String t, int i, int n) {
    while (i < n && t.charAt(i) < 0x00AD) {
      i++;
    }
    return i;
  }

  private List<Finding> findings(Tally[] tallies, int found) {
    Finding first = null;
    Finding second = null;
    Finding[] all = found > 2 ? new Finding[found] : null;
    int k = 0;
    for (InvisibleKind kind : KINDS) {
      Tally tally = tallies[kind.ordinal()];
      if (tally != null && tally.count > 0) {
        tally.flush();
        Finding f = finding(kind, tally);
        if (all != null) {
          all[k] = f;
        } else if (k == 0) {
          first = f;
        } else {
          second = f;
        }
        k++;
      }
    }
    return all != null ? List.of(all) : second == null ? List.of(first) : List.of(first, second);
  }

  /** The kind of the code point at {@code i}, or null if it is visible or used legitimately. */
  private static InvisibleKind classify(String t, int i, int cp, int len) {
    if (cp >= 0xE0000 && cp <= 0xE007F) {
      return InvisibleKind.TAG_CHARACTERS;
    }
    if (cp >= 0xE0100 && cp <= 0xE01EF) {
      return InvisibleKind.VARIATION_SELECTORS;
    }
    if (cp >= 0xFE00 && cp <= 0xFE0F) {
      // one selector right after a visible char picks a glyph (text or emoji style); more is code
      return isVariationSelector(prevCodePoint(t, i)) ? InvisibleKind.VARIATION_SELECTORS : null;
    }
    switch (cp) {
      case 0x200B: // zero width space
      case 0x2060: // word joiner
      case 0x2061: // function application
      case 0x2062: // invisible times
      case 0x2063: // invisible separator
      case 0x2064: // invisible plus
      case 0x180E: // mongolian vowel separator
      case 0x034F: // combining grapheme joiner
      case 0x115F: // hangul choseong filler
      case 0x1160: // hangul jungseong filler
      case 0x3164: // hangul filler
      case 0xFFA0: // halfwidth hangul filler
      case 0x00AD: // soft hyphen
        return InvisibleKind.ZERO_WIDTH;
      case 0xFEFF: // byte-order mark: legitimate only as the first char
        return i == 0 ? null : InvisibleKind.ZERO_WIDTH;
      case 0x200D: // zero width joiner: legitimate between emoji and in Indic conjuncts
        {
          int prev = prevCodePoint(t, i);
          int next = nextCodePoint(t, i + len);
          boolean emoji = isPictograph(prev) && isPictograph(next);
          boolean conjunct = needsJoinerControl(prev) && needsJoinerControl(next);
          return emoji || conjunct ? null : InvisibleKind.ZERO_WIDTH;
        }
      case 0x200C: // zero width non-joiner: legitimate between letters of joining scripts
        return needsJoinerControl(prevCodePoint(t, i))
                && needsJoinerControl(nextCodePoint(t, i + len))
            ? null
            : InvisibleKind.ZERO_WIDTH;
      case 0x202A:
      case 0x202B:
      case 0x202C:
      case 0x202D:
      case 0x202E:
      case 0x2066:
      case 0x2067:
      case 0x2068:
      case 0x2069:
        return InvisibleKind.BIDI_CONTROL;
      default:
        break;
    }
    if ((cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0x10FFFD)) {
      return InvisibleKind.PRIVATE_USE;
    }
    return null;
  }

  /** Tag characters spell ASCII; variation selectors spell bytes (U+FE00+b, U+E0100+b-16). */
  private static void decode(InvisibleKind kind, int cp, Tally tally) {
    if (tally.hiddenLength >= 4096) {
      return;
    }
    int ch = -1;
    if (kind == InvisibleKind.TAG_CHARACTERS) {
      int ascii = cp - 0xE0000;
      if (ascii >= 0x20 && ascii < 0x7F) {
        ch = ascii;
      }
    } else if (kind == InvisibleKind.VARIATION_SELECTORS) {
      int b = cp >= 0xE0100 ? cp - 0xE0100 + 16 : cp - 0xFE00;
      if (b >= 0x20 && b < 0x7F || b == '\n') {
        ch = b;
      }
    }
    if (ch >= 0) {
      tally.addHidden((char) ch);
    }
  }

  private Finding finding(InvisibleKind kind, Tally tally) {
    int hiddenLength = tally.hiddenLength;
    double score;
    switch (kind) {
      case TAG_CHARACTERS:
        score = hiddenLength >= 8 ? 0.99 : hiddenLength > 0 ? 0.9 : 0.7;
        break;
      case VARIATION_SELECTORS:
        score = hiddenLength >= 8 ? 0.95 : graded(tally.count, 0.4, 0.8);
        break;
      case BIDI_CONTROL:
        score = graded(tally.count, 0.5, 0.85);
        break;
      case ZERO_WIDTH:
        score = graded(tally.count, 0.3, 0.8);
        break;
      default:
        score = graded(tally.count, 0.3, 0.6);
        break;
    }
    Wording w = wording(kind, tally.count);
    Map<String, String> metadata = w.metadata();
    if (hiddenLength > 0) {
      metadata =
          Map.of(
              "kind",
              kind.id(),
              "count",
              w.count(),
              "hidden_text",
              new String(tally.hidden, 0, Math.min(hiddenLength, maxHiddenText)));
    }
    // built directly: the span list is the finding's own, no builder
    return new Finding(
        ID,
        Category.PROMPT_INJECTION,
        score,
        score >= 0.85 ? Confidence.HIGH : score >= 0.5 ? Confidence.MEDIUM : Confidence.LOW,
        tally.spans(),
        w.message(),
        metadata);
  }

  /** The count as text, the message and the metadata without hidden text of one finding. */
  private record Wording(String count, String message, Map<String, String> metadata) {}

  /** Counts up to this have their wording kept once made; higher ones are worded per finding. */
  static final int WORDED_COUNTS = 256;

  /**
   * Wordings by kind and count, made on first use; a bounded table of immutable strings and maps,
   * so that a text full of invisible characters pays for its spans, not for the same words again.
   * Racing threads may both make a wording; either one is kept, and they are equal.
   */
  private static final AtomicReferenceArray<Wording> WORDINGS =
      new AtomicReferenceArray<>(KINDS.length * (WORDED_COUNTS + 1));

  private static Wording wording(InvisibleKind kind, int count) {
    int slot = kind.ordinal() * (WORDED_COUNTS + 1) + count;
    Wording w = count <= WORDED_COUNTS ? WORDINGS.get(slot) : null;
    if (w == null) {
      String c = Integer.toString(count);
      w = new Wording(c, c + " " + kind.label(), Map.of("kind", kind.id(), "count", c));
      if (count <= WORDED_COUNTS) {
        WORDINGS.set(slot, w);
      }
    }
    return w;
  }

  /** From {@code low} for one char towards {@code high} as the count grows (half-way at 8). */
  private static double graded(int count, double low, double high) {
    double f = (count - 1) / (count + 7.0);
    return Math.min(high, low + (high - low) * f);
  }

  private static int prevCodePoint(String t, int i) {
    return i > 0 ? Character.codePointBefore(t, i) : -1;
  }

  private static int nextCodePoint(String t, int i) {
    return i < t.length() ? Character.codePointAt(t, i) : -1;
  }

  private static boolean isVariationSelector(int cp) {
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
  }

  /** Emoji and symbols that take part in ZWJ sequences (and their modifiers and selectors). */
  private static boolean isPictograph(int cp) {
    return (cp >= 0x1F000 && cp <= 0x1FAFF)
        || (cp >= 0x2600 && cp <= 0x27BF)
        || (cp >= 0x2190 && cp <= 0x21FF)
        || cp == 0xFE0F
        || cp == 0x2640
        || cp == 0x2642
        || cp == 0x2695
        || cp == 0x2708;
  }

  /** Scripts whose spelling uses the zero-width non-joiner: Arabic, Persian, Indic, Sinhala. */
  private static boolean needsJoinerControl(int cp) {
    if (cp < 0) {
      return false;
    }
    Character.UnicodeScript s;
    try {
      s = Character.UnicodeScript.of(cp);
    } catch (IllegalArgumentException e) {
      return false;
    }
    switch (s) {
      case ARABIC:
      case SYRIAC:
      case DEVANAGARI:
      case BENGALI:
      case GURMUKHI:
      case GUJARATI:
      case ORIYA:
      case TAMIL:
      case TELUGU:
      case KANNADA:
      case MALAYALAM:
      case SINHALA:
      case MONGOLIAN:
        return true;
      default:
        return false;
    }
  }
}
