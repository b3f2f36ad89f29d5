package dev.llmguard.detect.secrets;

import dev.llmguard.detect.text.CharSweep;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Finds credentials: more than 50 vendor formats (cloud keys, source-control and registry tokens,
 * chat and payment keys, AI provider keys, JWTs, PEM private keys, passwords in URLs) plus generic
 * {@code name = value} assignments whose name says credential and whose value looks random. Each
 * finding spans only the secret value, has category {@link Category#SENSITIVE_INFORMATION},
 * metadata {@code format} (e.g. {@code github-token}) and an entity (e.g. {@code AWS_ACCESS_KEY},
 * {@code SECRET}); its message names the format, never the value.
 *
 * <p>How it stays linear: windows that cannot hold a run of 20 credential chars are skipped whole;
 * inside a run, one pass of an Aho-Corasick automaton finds every literal anchor of every format
 * (vendor prefixes such as {@code ghp_}, markers such as {@code ://}); a format's bounded regex
 * runs only where one of its anchors occurs, starting at the anchor (or a bounded distance before
 * it), a prefix that sits inside a longer word is skipped without running it, and a failed match
 * rules out the later anchors it already read past. Assignments, PEM blocks, authorization headers
 * and {@code curl -u} are found from a cheap anchor ({@code =}, {@code :}, {@code -----BEGIN}, …)
 * and read a bounded distance around it.
 *
 * <p>Thread-safe: the configuration is immutable, and the matchers a scan reuses are per thread
 * (they hold no reference to a text once its scan returns). A scan of ordinary text allocates only
 * its (empty) result list.
 */
public final class SecretsDetector implements Detector {
  /** The detector id, {@value}. */
  public static final String ID = "secrets";

  private static final Set<Phase> PHASES = Set.of(Phase.PROMPT, Phase.RESPONSE);
  private static final int MAX_PEM = 64 * 1024;

  private final List<SecretRule> rules;
  private final Anchors anchors;
  private final Assignments assignments;

  private final Set<String> disabled;

  SecretsDetector(
      List<SecretRule> rules, boolean generic, double minEntropy, Set<String> disabled) {
    this.rules = List.copyOf(rules);
    this.anchors = new Anchors(this.rules, TOKEN_CHARS);
    int size = this.rules.size();
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(size));
    this.assignments = generic ? new Assignments(minEntropy) : null;
    this.disabled = Set.copyOf(disabled);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Phase> phases() {
    return PHASES;
  }

  @Override
  public List<Finding> detect(ScanInput input) {
    String t = input.text();
    if (t.length() < 6) {
      return List.of();
    }
    List<Candidate> found = new ArrayList<>();
    scanTokens(t, found);
    pem(t, found);
    serviceAccount(t, found);
    headers(t, found);
    curlUser(t, found);
    if (assignments != null) {
      assignments.scan(t, found);
      assignments.scanLiterals(t, found);
    }
    if (!disabled.isEmpty()) {
      found.removeIf(c -> disabled.contains(c.format()));
    }
    if (found.isEmpty()) {
      return List.of();
    }
    return toFindings(resolve(found));
  }

  // ------------------------------------------------------------------ formats, by anchor

  /**
   * Per-thread working state: one reusable matcher per rule, and per rule the end of its last match
   * (a later anchor inside it starts nothing new). Reused so a scan of ordinary text allocates
   * nothing.
   */
  private static final class Scratch implements Anchors.Hit {
    // static, so that a thread's scratch does not keep a discarded detector reachable
    final Matcher[] matchers;
    final int[] matchedTo;
    final int[] failedTo;
    final boolean[] bound;
    final int[] used;
    int usedCount;
    List<SecretRule> rules;
    String text;
    List<Candidate> out;

    Scratch(int size) {
      matchers = new Matcher[size];
      matchedTo = new int[size];
      failedTo = new int[size];
      bound = new boolean[size];
      used = new int[size];
    }

    @Override
    public void at(int r, int start, int anchorLength) {
      if (start < matchedTo[r] || start < failedTo[r]) {
        return;
      }
      SecretRule rule = rules.get(r);
      int before = rule.maxBefore();
      if (before == 0 && start > 0 && isWordChar(text.charAt(start - 1))) {
        return; // a prefix inside a longer word: every prefix format starts at a word boundary
      }
      Matcher m = matchers[r];
      if (m == null) {
        m = rule.pattern().matcher(text);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        matchers[r] = m;
      } else if (!bound[r]) {
        m.reset(text);
      }
      if (!bound[r]) {
        bound[r] = true;
        used[usedCount++] = r;
      }
      int n = text.length();
      int end = (int) Math.min(n, (long) start + MAX_MATCH);
      int first = start;
      if (before > 0) {
        // the match starts somewhere in the run of allowed chars just before the anchor
        boolean[] allowed = rule.before();
        while (first > 0 && start - first < before) {
          char c = text.charAt(first - 1);
          if (c >= 128 || !allowed[c]) {
            break;
          }
          first--;
        }
        if (start - first < rule.minBefore()) {
          return;
        }
      }
      if (!longEnough(text, first)) {
        return;
      }
      // a prefix format starts at its anchor; any other has at least one char before it
      int last = before == 0 ? start : start - rule.minBefore();
      for (int from = first; from <= last; from++) {
        m.region(from, end);
        if (m.lookingAt()) {
          matchedTo[r] = m.end();
          int g = rule.group(m);
          String value = m.group(g);
          double factor = rule.check().factor(value);
          if (factor > 0) {
            out.add(
                new Candidate(
                    m.start(g),
                    m.end(g),
                    rule.format(),
                    rule.entity(),
                    rule.description(),
                    rule.score() * factor));
          }
          return;
        }
      }
      ruleOutRun(rule, r, start + anchorLength, anchorLength);
    }

    /**
     * After a failed match, later anchors inside the same run of the rule's body class would fail
     * the same way (the pattern's tail sits at the same place), unless the run is longer than the
     * pattern accepts.
     */
    private void ruleOutRun(SecretRule rule, int r, int from, int anchorLength) {
      boolean[] body = rule.body();
      if (body == null) {
        return;
      }
      int n = text.length();
      boolean closed = CLOSED_BODIES.contains(rule.format());
      int limit = closed ? n : (int) Math.min(n, (long) from + rule.maxBody() + 1);
      int e = from;
      while (e < limit && text.charAt(e) < 128 && body[text.charAt(e)]) {
        e++;
      }
      if (e - from <= rule.maxBody()) {
        failedTo[r] = e;
      } else if (closed) {
        // too long from here on: so is the body of every later anchor that starts more than
        // maxBody chars (plus the anchor) before the run's end
        failedTo[r] = e - rule.maxBody() - anchorLength;
      }
    }
  }

  /**
   * Formats whose body is followed by a char outside the body class ({@code .} after a JWT's
   * header), so no match can end inside a run of that class: one longer than the pattern accepts
   * rules out all its anchors but those near its end.
   */
  private static final Set<String> CLOSED_BODIES = Set.of("jwt");

  /** Shortest credential any format matches. */
  static final int MIN_LENGTH = 20;

  private static boolean isTokenChar(char c) {
    return c < 128 && TOKEN_CHARS[c];
  }

  /** Whether at least {@value #MIN_LENGTH} credential chars follow {@code from}. */
  private static boolean longEnough(String t, int from) {
    int n = t.length();
    if (n - from < MIN_LENGTH) {
      return false;
    }
    for (int i = from; i < from + MIN_LENGTH; i++) {
      char c = t.charAt(i);
      if (c >= 128 || !TOKEN_CHARS[c]) {
        return false;
      }
    }
    return true;
  }

  private static final boolean[] TOKEN_CHARS = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      TOKEN_CHARS[c] = true;
      TOKEN_CHARS[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      TOKEN_CHARS[c] = true;
    }
    // chars inside credentials, URLs with credentials and key=value pairs
    for (char c : "_-+/=.~:@%?&!$#*|".toCharArray()) {
      TOKEN_CHARS[c] = true;
    }
  }

  /** Longest match of any format (bounds the window a pattern may read). */
  private static final int MAX_MATCH = 12_000;

  private final ThreadLocal<Scratch> scratch;

  private void scanTokens(String t, List<Candidate> out) {
    Scratch sc = scratch.get();
    java.util.Arrays.fill(sc.matchedTo, 0);
    java.util.Arrays.fill(sc.failedTo, 0);
    sc.rules = rules;
    sc.text = t;
    sc.out = out;
    try {
      int n = t.length();
      int i = 0;
      while (i + MIN_LENGTH <= n) {
        // every format needs a run of MIN_LENGTH credential chars; if the last char of this
        // window is not one, no such run starts in the window: skip it whole
        int p = i + MIN_LENGTH - 1;
        if (!isTokenChar(t.charAt(p))) {
          i = p + 1;
          continue;
        }
        int s = p;
        while (s > i && isTokenChar(t.charAt(s - 1))) {
          s--;
        }
        if (s > i) {
          // t[s - 1] is no credential char, so no run of MIN_LENGTH starts before s: the next
          // window starts at s. Hits in a shorter run fail longEnough() at once, so such a run (a
          // word of prose) is stepped over without running the automaton, and without walking
          // to its end: that walk's exit was one more unpredictable branch per window, which
          // costs most on long texts, whose branches the predictor cannot learn by heart.
          i = s;
          continue;
        }
        // t[i, p] are credential chars, and i starts their run: i is 0, or it was set just after
        // a char that is not one (p + 1, s), or where a run ended (then t[i] is not one, and s > i)
        i = anchors.scan(t, i, sc);
      }
    } finally {
      // let go of the text: the thread keeps the matchers, not the last input
      for (int i = 0; i < sc.usedCount; i++) {
        sc.matchers[sc.used[i]].reset("");
        sc.bound[sc.used[i]] = false;
      }
      sc.usedCount = 0;
      sc.rules = null;
      sc.text = null;
      sc.out = null;
    }
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  // ------------------------------------------------------------------ PEM private keys

  private static final String BEGIN = "-----BEGIN ";

  /**
   * The {@code G} of {@link #BEGIN}: rarer in prose than a dash (see {@link CharSweep#indexOf}).
   */
  private static final int BEGIN_PIVOT = 7;

  private static void pem(String t, List<Candidate> out) {
    int from = 0;
    int begin;
    while ((begin = CharSweep.indexOf(t, BEGIN, BEGIN_PIVOT, from)) >= 0) {
      int labelStart = begin + 11;
      int labelEnd = t.indexOf("-----", labelStart);
      if (labelEnd < 0 || labelEnd - labelStart > 40) {
        from = labelStart;
        continue;
      }
      String label = t.substring(labelStart, labelEnd);
      from = labelEnd + 5;
      if (!label.contains("PRIVATE KEY")) {
        continue;
      }
      String endMarker = "-----END " + label + "-----";
      int limit = Math.min(t.length(), from + MAX_PEM);
      int end = t.indexOf(endMarker, from);
      if (end >= 0 && end <= limit) {
        if (base64Chars(t, from, end) < 16) {
          continue; // an empty template
        }
        out.add(
            new Candidate(
                begin,
                end + endMarker.length(),
                "private-key",
                "PRIVATE_KEY",
                label.toLowerCase(java.util.Locale.ROOT).replace(" block", ""),
                0.99));
        from = end + endMarker.length();
      } else {
        // a truncated key: report the header and the rest of the block's lines
        int stop = from;
        while (stop < limit
            && t.charAt(stop) != '-'
            && !(t.charAt(stop) == '\n' && stop + 1 < limit && t.charAt(stop + 1) == '\n')) {
          stop++;
        }
        out.add(
            new Candidate(
                begin,
                stop,
                "private-key",
                "PRIVATE_KEY",
                "truncated " + label.toLowerCase(java.util.Locale.ROOT),
                0.8));
        from = stop;
      }
    }
  }

  private static int base64Chars(String t, int s, int e) {
    int count = 0;
    for (int i = s; i < e; i++) {
      char c = t.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '+' || c == '/') {
        count++;
      }
    }
    return count;
  }

  // ------------------------------------------------------------------ cloud key files

  /**
   * {@code "type": "service_account"} marks a Google Cloud service-account key file; its private
   * key may be cut off or elsewhere, so the marker itself is reported, with a moderate score.
   */
  private static final String SERVICE_ACCOUNT = "\"service_account\"";

  private static void serviceAccount(String t, List<Candidate> out) {
    int at = CharSweep.indexOf(t, SERVICE_ACCOUNT, 8, 0); // swept for its '_
    if (at < 0) {
      return;
    }
    int k = at - 1;
    while (k >= 0 && at - k < 8 && (t.charAt(k) == ' ' || t.charAt(k) == ':')) {
      k--;
    }
    if (k >= 5 && t.startsWith("\"type\"", k - 5)) {
      out.add(
          new Candidate(
              at + 1,
              at + 16,
              "gcp-service-account",
              "GCP_SERVICE_ACCOUNT",
              "Google Cloud service-account key file",
              0.6));
    }
  }

  // ------------------------------------------------------------------ Authorization headers

  private static final String[] SCHEMES = {
    "Bearer ", "Basic ", "Token ", "token ", "bearer ", "basic ", "Api-Token ", "ApiKey ", "Digest "
  };

  private static void headers(String t, List<Candidate> out) {
    headers(t, "uthorization", out);
    headers(t, "UTHORIZATION", out);
  }

  /** The {@code z} of {@code uthorization}. */
  private static final int MARKER_PIVOT = 6;

  /** After each {@code [Aa]uthorization}: the scheme and the credential. */
  private static void headers(String t, String marker, List<Candidate> out) {
    int from = 0;
    int found;
    // swept for the marker's z (or Z), rare in prose (see CharSweep.indexOf)
    while ((found = CharSweep.indexOf(t, marker, MARKER_PIVOT, from)) >= 0) {
      int at = found - 1;
      from = found + marker.length();
      if (at < 0 || (t.charAt(at) != 'A' && t.charAt(at) != 'a')) {
        continue;
      }
      int k = at + 13;
      int n = t.length();
      int stop = Math.min(n, k + 6);
      while (k < stop
          && (t.charAt(k) == '"'
              || t.charAt(k) == '\''
              || t.charAt(k) == ':'
              || t.charAt(k) == '='
              || t.charAt(k) == ' ')) {
        k++;
      }
      for (String scheme : SCHEMES) {
        if (t.startsWith(scheme, k)) {
          k += scheme.length();
          break;
        }
      }
      int s = k;
      while (k < n && k - s < 4096 && isCredentialChar(t.charAt(k))) {
        k++;
      }
      if (k - s < 12) {
        continue;
      }
      String v = t.substring(s, k);
      if (SecretText.isPlaceholder(v) || SecretText.entropy(v) < 3.0) {
        continue;
      }
      out.add(
          new Candidate(
              s,
              k,
              "authorization-header",
              "ACCESS_TOKEN",
              "credential in an Authorization header",
              0.9));
    }
  }

  private static boolean isCredentialChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == '~'
        || c == '+'
        || c == '/'
        || c == '=';
  }

  // ------------------------------------------------------------------ curl -u user:password

  private static void curlUser(String t, List<Candidate> out) {
    if (!hasUserFlag(t)) {
      return;
    }
    int from = 0;
    int at;
    while ((at = t.indexOf("curl", from)) >= 0) {
      from = at + 4;
      int lineEnd = t.indexOf('\n', from);
      int limit =
          Math.min(lineEnd < 0 ? t.length() : lineEnd + 400, Math.min(t.length(), from + 2000));
      int k = from;
      while (k < limit) {
        int flag = nextUserFlag(t, k, limit);
        if (flag < 0) {
          break;
        }
        k = flag;
        while (k < limit && t.charAt(k) == ' ') {
          k++;
        }
        char q = k < limit ? t.charAt(k) : 0;
        boolean quoted = q == '"' || q == '\'';
        if (quoted) {
          k++;
        }
        int userStart = k;
        while (k < limit
            && t.charAt(k) != ':'
            && !Character.isWhitespace(t.charAt(k))
            && k - userStart < 128) {
          k++;
        }
        if (k >= limit || t.charAt(k) != ':' || k == userStart) {
          continue;
        }
        String user = t.substring(userStart, k);
        if (user.startsWith("<") || user.startsWith("[") || user.startsWith("{")) {
          continue;
        }
        k++;
        char pq = k < limit ? t.charAt(k) : 0;
        boolean pquoted = !quoted && (pq == '"' || pq == '\'');
        if (pquoted) {
          k++;
        }
        int ps = k;
        char close = quoted ? q : pquoted ? pq : 0;
        while (k < limit
            && k - ps < 256
            && (close != 0 ? t.charAt(k) != close : !Character.isWhitespace(t.charAt(k)))) {
          k++;
        }
        String pw = t.substring(ps, k);
        if (pw.length() < 4
            || SecretText.isPlaceholder(pw)
            || SecretText.isPlaceholder(user)
            || pw.contains("$(")
            || pw.contains("${")
            || pw.indexOf('[') >= 0
            || SecretText.looksLikeCode(pw)
            || SecretText.entropy(pw) < 2.5) {
          continue;
        }
        out.add(
            new Candidate(
                ps, k, "curl-basic-auth", "PASSWORD", "password on a curl command line", 0.85));
      }
    }
  }

  /**
   * Whether the text holds a flag that {@link #nextUserFlag} accepts ({@code -u }, {@code --user }
   * or {@code --user=} at the start of the text or after a space) anywhere: every finding of {@link
   * #curlUser} starts at one, so a text without any has none, and the sweep for {@code curl} (a
   * string search, six times slower than this sweep for a dash) is skipped.
   */
  static boolean hasUserFlag(String t) {
    for (int k = t.indexOf('-'); k >= 0; k = t.indexOf('-', k + 1)) {
      if ((k == 0 || t.charAt(k - 1) == ' ')
          && (t.startsWith("-u ", k) || t.startsWith("--user ", k) || t.startsWith("--user=", k))) {
        return true;
      }
    }
    return false;
  }

  private static int nextUserFlag(String t, int from, int limit) {
    for (int k = from; k + 3 < limit; k++) {
      if (t.charAt(k) == '-' && (k == 0 || t.charAt(k - 1) == ' ')) {
        if (t.startsWith("-u ", k)) {
          return k + 3;
        }
        if (t.startsWith("--user ", k)) {
          return k + 7;
        }
        if (t.startsWith("--user=", k)) {
          return k + 7;
        }
      }
    }
    return -1;
  }

  // ------------------------------------------------------------------ results

  /**
   * Overlapping candidates: the higher score wins, then the longer span. The kept spans are
   * disjoint, so a sorted map answers "does this one overlap a kept one" in log time.
   */
  private static List<Candidate> resolve(List<Candidate> found) {
    if (found.size() == 1) {
      return found;
    }
    List<Candidate> sorted = new ArrayList<>(found);
    sorted.sort(
        Comparator.comparingDouble((Candidate c) -> -c.score())
            .thenComparingInt(c -> -(c.end() - c.start()))
            .thenComparingInt(Candidate::start));
    java.util.TreeMap<Integer, Candidate> kept = new java.util.TreeMap<>();
    for (Candidate c : sorted) {
      java.util.Map.Entry<Integer, Candidate> before = kept.floorEntry(c.start());
      if (before != null && before.getValue().end() > c.start()) {
        continue;
      }
      java.util.Map.Entry<Integer, Candidate> after = kept.ceilingEntry(c.start());
      if (after != null && after.getKey() < c.end()) {
        continue;
      }
      kept.put(c.start(), c);
    }
    return new ArrayList<>(kept.values());
  }

  private static List<Finding> toFindings(List<Candidate> kept) {
    List<Finding> out = new ArrayList<>(kept.size());
    for (Candidate c : kept) {
      double score = Math.min(1.0, Math.max(0.0, c.score()));
      out.add(
          Finding.builder(ID, Category.SENSITIVE_INFORMATION)
              .score(score)
              .confidence(
                  score >= 0.9
                      ? Confidence.HIGH
                      : score >= 0.7 ? Confidence.MEDIUM : Confidence.LOW)
              .span(c.start(), c.end())
              .message(c.description())
              .entity(c.entity())
              .metadata("format", c.format())
              .build());
    }
    return List.copyOf(out);
  }
}
