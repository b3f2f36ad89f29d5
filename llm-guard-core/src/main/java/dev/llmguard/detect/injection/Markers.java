package dev.llmguard.detect.injection;

import dev.llmguard.detect.text.Evidence;
import dev.llmguard.detect.text.NormalizedText;

/**
 * Character-level signals in folded text, found in one pass: chat-template tokens and fake turns,
 * fake delimiters ({@code %%% end of instructions %%%}), and adversarial filler (a short token
 * repeated dozens of times).
 */
final class Markers {
  private Markers() {}

  private record Marker(String text, String name, double weight) {}

  private static final Marker[] LT = {
    new Marker("<|im_start|>", "chat-template-token", 0.8),
    new Marker("<|im_end|>", "chat-template-token", 0.8),
    new Marker("<|system|>", "chat-template-token", 0.8),
    new Marker("<|user|>", "chat-template-token", 0.7),
    new Marker("<|assistant|>", "chat-template-token", 0.7),
    new Marker("<|endoftext|>", "chat-template-token", 0.8),
    new Marker("<|eot_id|>", "chat-template-token", 0.8),
    new Marker("<|start_header_id|>", "chat-template-token", 0.8),
    new Marker("<|end_header_id|>", "chat-template-token", 0.8),
    new Marker("<|begin_of_text|>", "chat-template-token", 0.8),
    new Marker("<<sys>>", "chat-template-token", 0.8),
    new Marker("<</sys>>", "chat-template-token", 0.8),
    new Marker("</s>", "chat-template-token", 0.4),
    new Marker("<system>", "fake-turn", 0.55),
    new Marker("</system>", "fake-turn", 0.6),
    new Marker("</user>", "fake-turn", 0.5),
    new Marker("<instructions>", "fake-turn", 0.4),
    new Marker("</instructions>", "fake-turn", 0.55),
    new Marker("</prompt>", "fake-turn", 0.5),
    new Marker("</context>", "fake-turn", 0.4),
    new Marker("<admin>", "fake-turn", 0.45),
  };
  private static final Marker[] BRACKET = {
    new Marker("[inst]", "chat-template-token", 0.7),
    new Marker("[/inst]", "chat-template-token", 0.7),
    new Marker("[system]", "fake-turn", 0.5),
    new Marker("[system message]", "fake-turn", 0.55),
    new Marker("[/system]", "fake-turn", 0.55),
    new Marker("[admin]", "fake-turn", 0.45),
  };
  private static final Marker[] HASH = {
    new Marker("### system", "chat-template-token", 0.6),
    new Marker("### instruction", "chat-template-token", 0.55),
    new Marker("### response", "chat-template-token", 0.45),
    new Marker("### human", "chat-template-token", 0.5),
    new Marker("### assistant", "chat-template-token", 0.5),
    new Marker("### user", "chat-template-token", 0.45),
    new Marker("### input", "chat-template-token", 0.4),
  };

  /** Role labels at a line start: a fake turn of the conversation. */
  private static final Marker[] LINE = {
    new Marker("system:", "fake-turn", 0.5),
    new Marker("system message:", "fake-turn", 0.55),
    new Marker("assistant:", "fake-turn", 0.35),
    new Marker("ai:", "fake-turn", 0.25),
    new Marker("human:", "fake-turn", 0.35),
    new Marker("user:", "fake-turn", 0.25),
    new Marker("admin:", "fake-turn", 0.4),
    new Marker("developer:", "fake-turn", 0.4),
  };

  private static final String[] DELIMITER_WORDS = {
    "end",
    "begin",
    "start",
    "new",
    "system",
    "instruction",
    "ignore",
    "user",
    "admin",
    "prompt",
    "input",
    "ende",
    "fin",
    "stop",
    "override"
  };

  /** A short token repeated (with period 1 to 3) at least this many times in a row is filler. */
  private static final int FLOOD_RUN = 24;

  /** Chars below 128 that can start a marker or a fake delimiter. */
  private static final boolean[] CANDIDATE = new boolean[128];

  /**
   * For chars below 128: {@link #END_OF_TOKEN} for a space or a newline (which may start a marker
   * on the next line, checked where the token ends), {@link #MAY_START} for the other candidates, 0
   * for the rest.
   */
  private static final byte[] KIND = new byte[128];

  private static final byte MAY_START = 1;
  private static final byte END_OF_TOKEN = 2;

  static {
    for (char c : "<[#\n%=*->".toCharArray()) {
      CANDIDATE[c] = true;
      KIND[c] = MAY_START;
    }
    KIND[' '] = END_OF_TOKEN;
    KIND['\n'] = END_OF_TOKEN;
  }

  /**
   * Adds the signals of {@code t} to {@code ev}: markers in text order, then filler. Text that
   * cannot hold filler ({@link #mayRepeat}, prose) is only searched for the chars that may start a
   * marker; other text is split into tokens for the filler check, and those chars are checked on
   * the way. Either way the same markers are found, in the same order.
   */
  static void scan(NormalizedText t, Evidence ev) {
    int n = t.length();
    if (n == 0) {
      return;
    }
    if (!mayRepeat(t)) {
      // No filler can be there (see mayRepeat): only the chars that may start a marker are read,
      // in the order and with the checks of the token loop below.
      markersFrom(t, 1, checkAt(t, 0, false, ev), ev);
      return;
    }
    boolean delimiterSeen = checkAt(t, 0, false, ev);
    int[] ts = new int[4];
    int[] te = new int[4];
    int[] run = new int[4];
    // A signature of each kept token (length, first and last char): tokens whose signatures
    // differ are different, without comparing their chars.
    int[] th = new int[4];
    int count = 0;
    boolean flooded = false;
    int floodStart = -1;
    int floodEnd = -1;
    int i = 0;
    tokens:
    while (i < n) {
      while (i < n && t.charAt(i) == ' ') {
        i++;
      }
      int s = i;
      while (i < n) {
        char c = t.charAt(i);
        byte kind = c < 128 ? KIND[c] : 0;
        if (kind != 0) {
          if (kind == END_OF_TOKEN) {
            break;
          }
          if (i != 0) {
            delimiterSeen = checkAt(t, i, delimiterSeen, ev);
          }
        }
        i++;
      }
      if (i < n && t.charAt(i) == '\n') {
        if (i != 0) {
          delimiterSeen = checkAt(t, i, delimiterSeen, ev);
        }
        i++;
      }
      int e = i;
      if (e <= s) {
        continue;
      }
      if (e - s >= PERIODIC_MIN && periodic(t, s, e)) {
        flooded = true;
        floodStart = t.originStart(s);
        floodEnd = t.originEnd(e);
        break;
      }
      int h = (e - s) ^ t.charAt(s) << 4 ^ t.charAt(e - 1) << 18;
      // Most tokens of prose are long or unlike the three before: every run is broken at once.
      if (e - s > 6
          || th[(count - 1) & 3] != h && th[(count - 2) & 3] != h && th[(count - 3) & 3] != h) {
        run[1] = 0;
        run[2] = 0;
        run[3] = 0;
      } else {
        for (int p = 1; p <= 3; p++) {
          int q = (count - p) & 3;
          if (count >= p && th[q] == h && same(t, s, e, ts[q], te[q])) {
            if (++run[p] >= FLOOD_RUN) {
              flooded = true;
              floodStart = t.originStart(s);
              floodEnd = t.originEnd(e);
              break tokens;
            }
          } else {
            run[p] = 0;
          }
        }
      }
      ts[count & 3] = s;
      te[count & 3] = e;
      th[count & 3] = h;
      count++;
    }
    // Filler found: the rest of the text is read for markers only.
    markersFrom(t, Math.max(i, 1), delimiterSeen, ev);
    if (flooded) {
      ev.add("adversarial-filler", "flood", 0.5, floodStart, floodEnd);
    }
  }

  /**
   * The marker checks at every char from {@code from} (at least 1) on that may start a marker;
   * {@code delimiterSeen} and the result as in {@link #checkAt}.
   */
  private static boolean markersFrom(
      NormalizedText t, int from, boolean delimiterSeen, Evidence ev) {
    boolean seen = delimiterSeen;
    for (int i = t.indexOfAny(CANDIDATE, from); i >= 0; i = t.indexOfAny(CANDIDATE, i + 1)) {
      seen = checkAt(t, i, seen, ev);
    }
    return seen;
  }

  /** Largest period, in chars, of the repeats that {@link #mayRepeat} looks for. */
  static final int REPEAT_PERIOD = 24;

  /** Fewest consecutive equal chars at one period that {@link #mayRepeat} looks for. */
  static final int REPEAT_SPAN = 32;

  /**
   * Whether somewhere {@code t[x + j] == t[x + j + d]} for {@value #REPEAT_SPAN} consecutive {@code
   * j} and some period {@code d} of at most {@value #REPEAT_PERIOD} chars: false means the text
   * holds no filler, so the token loop of {@link #scan} can be skipped. Filler is either a token of
   * {@value #PERIODIC_MIN}+ chars repeating a chunk of at most 24 chars and at most a third of it
   * (so at least 32 equal pairs at that period), or {@value #FLOOD_RUN} tokens in a row of at most
   * 6 chars each equal to the one 1 to 3 tokens before. Folded text has single separators and never
   * a line break alone, so each such token with the space after it (2 to 7 chars) repeats whole:
   * the chars repeat at a period of at most 21 over at least 46 chars. Such a stretch holds two
   * chars {@code c, c + 1} with {@code c} a multiple of {@code REPEAT_SPAN - 1}, so only those are
   * probed: prose fails each probe after a comparison or two per period, which costs far less than
   * splitting it into tokens.
   */
  static boolean mayRepeat(NormalizedText t) {
    int n = t.length();
    for (int c = 0; c + 2 < n; c += REPEAT_SPAN - 1) {
      char first = t.charAt(c);
      char second = t.charAt(c + 1);
      int maxPeriod = Math.min(REPEAT_PERIOD, n - 2 - c);
      for (int d = 1; d <= maxPeriod; d++) {
        // both chars in one test: a first char alone matches too often to predict
        if (((t.charAt(c + d) ^ first) | (t.charAt(c + 1 + d) ^ second)) == 0
            && equalRun(t, c, d) >= REPEAT_SPAN) {
          return true;
        }
      }
    }
    return false;
  }

  /** How many consecutive {@code j} around {@code c} (included) have {@code t[j] == t[j + d]}. */
  private static int equalRun(NormalizedText t, int c, int d) {
    int n = t.length();
    int from = c;
    while (from > 0 && c - from < REPEAT_SPAN && t.charAt(from - 1) == t.charAt(from - 1 + d)) {
      from--;
    }
    int to = c + 1;
    while (to + d < n && to - from < REPEAT_SPAN && t.charAt(to) == t.charAt(to + d)) {
      to++;
    }
    return to - from;
  }

  /**
   * The marker checks at {@code i}, the start of the text or a char that may start a marker;
   * returns whether a fake delimiter has been seen (only the first one counts).
   */
  private static boolean checkAt(NormalizedText t, int i, boolean delimiterSeen, Evidence ev) {
    int n = t.length();
    char c = t.charAt(i);
    switch (c) {
      case '<' -> check(t, i, LT, LT_OPENINGS, ev);
      case '[' -> check(t, i, BRACKET, BRACKET_OPENINGS, ev);
      case '#' -> check(t, i, HASH, HASH_OPENINGS, ev);
      case '\n' -> check(t, i + 1, LINE, LINE_OPENINGS, ev);
      default -> {}
    }
    if (i == 0) {
      check(t, 0, LINE, LINE_OPENINGS, ev);
    }
    if (!delimiterSeen
        && (c == '%' || c == '=' || c == '*' || c == '-' || c == '>' || c == '#')
        && i + 2 < n
        && t.charAt(i + 1) == c
        && t.charAt(i + 2) == c) {
      if (delimiterWordFollows(t, i + 3)) {
        ev.add(
            "fake-delimiter", "delimiter", 0.5, t.originStart(i), t.originEnd(Math.min(n, i + 24)));
        return true;
      }
    }
    return delimiterSeen;
  }

  /**
   * Per marker group, the (first, second) char pairs that start one of its markers, as a bit set
   * over {@code first * 128 + second}; null (no filter) if a marker is shorter or not ASCII.
   */
  private static long[] openings(Marker[] group) {
    long[] bits = new long[128 * 128 / 64];
    for (Marker m : group) {
      if (m.text().length() < 2 || m.text().charAt(0) >= 128 || m.text().charAt(1) >= 128) {
        return null;
      }
      int pair = m.text().charAt(0) * 128 + m.text().charAt(1);
      bits[pair >>> 6] |= 1L << pair;
    }
    return bits;
  }

  private static final long[] LT_OPENINGS = openings(LT);
  private static final long[] BRACKET_OPENINGS = openings(BRACKET);
  private static final long[] HASH_OPENINGS = openings(HASH);
  private static final long[] LINE_OPENINGS = openings(LINE);

  /** Whether some marker of the group with opening pairs {@code bits} can start at {@code at}. */
  private static boolean mayStart(NormalizedText t, int at, long[] bits) {
    if (bits == null) {
      return true;
    }
    if (at < 0 || at + 1 >= t.length()) {
      return false;
    }
    char c0 = t.charAt(at);
    char c1 = t.charAt(at + 1);
    if (c0 >= 128 || c1 >= 128) {
      return false;
    }
    int pair = c0 * 128 + c1;
    return (bits[pair >>> 6] & 1L << pair) != 0;
  }

  private static void check(
      NormalizedText t, int at, Marker[] markers, long[] openings, Evidence ev) {
    // Most '<', '[' and line starts open no marker: two chars tell.
    if (!mayStart(t, at, openings)) {
      return;
    }
    for (Marker m : markers) {
      if (startsWith(t, at, m.text())) {
        ev.add(
            m.name(),
            "template",
            m.weight(),
            t.originStart(at),
            t.originEnd(at + m.text().length()));
        return;
      }
    }
  }

  private static boolean startsWith(NormalizedText t, int at, String s) {
    if (at < 0 || at + s.length() > t.length()) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      if (t.charAt(at + k) != s.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean delimiterWordFollows(NormalizedText t, int from) {
    int i = from;
    int n = t.length();
    char c0 = t.charAt(from - 1);
    while (i < n && (t.charAt(i) == c0 || t.charAt(i) == ' ')) {
      i++;
    }
    for (String w : DELIMITER_WORDS) {
      if (startsWith(t, i, w)) {
        return true;
      }
    }
    return false;
  }

  /** A single word at least this long that repeats a short chunk is filler too. */
  private static final int PERIODIC_MIN = 48;

  /** Whether {@code [s, e)} repeats a chunk of 3 to 24 chars containing a letter, 3+ times. */
  private static boolean periodic(NormalizedText t, int s, int e) {
    for (int p = 3; p <= 24 && p * 3 <= e - s; p++) {
      boolean letter = false;
      for (int k = s; k < s + p; k++) {
        letter |= Character.isLetter(t.charAt(k));
      }
      if (!letter) {
        continue;
      }
      int k = s + p;
      while (k < e && t.charAt(k) == t.charAt(k - p)) {
        k++;
      }
      if (k == e) {
        return true;
      }
    }
    return false;
  }

  private static boolean same(NormalizedText t, int s1, int e1, int s2, int e2) {
    if (e1 - s1 != e2 - s2) {
      return false;
    }
    for (int k = 0; k < e1 - s1; k++) {
      if (t.charAt(s1 + k) != t.charAt(s2 + k)) {
        return false;
      }
    }
    return true;
  }
}
