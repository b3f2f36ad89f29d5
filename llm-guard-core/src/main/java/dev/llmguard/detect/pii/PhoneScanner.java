package dev.llmguard.detect.pii;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.RegionMetadataSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds phone numbers with libphonenumber. libphonenumber's own matcher is regex-based and costly,
 * so it only ever sees short windows: runs of digits and phone punctuation holding 7 to 20 digits.
 * Every window is tried with the default region first, then with the fallback regions; a number
 * counts only if libphonenumber says it is <em>valid</em> (a real, assigned number range).
 *
 * <p>libphonenumber's parser and validity checks cost microseconds each (regular expressions and
 * strings), so cheap exact pre-checks come first: a length the region's numbers never have is
 * rejected without a call, the North American layout is only matched on a plausible digit count,
 * and a number written with {@code +} is built directly from its country code when the parser could
 * not do anything else with it (no trunk prefix, extension or leading zero to interpret). The
 * verdicts themselves come from {@link PhoneValidity}, libphonenumber's validity rules without its
 * per-call strings and matchers; a window is read in place, never copied, so a scan allocates
 * little beyond its findings.
 *
 * <p>Thread-safe: {@link PhoneNumberUtil} and {@link PhoneValidity} are, and the metadata caches
 * are concurrent maps.
 */
final class PhoneScanner {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final int MIN_DIGITS = 7;
  private static final int MAX_DIGITS = 20;
  private static final int MAX_WINDOW = 48;

  /** Windows per scan tried against the fallback regions; bounds the cost on number-heavy text. */
  static final int MAX_FALLBACK_WINDOWS = 64;

  private final List<String> regions;

  /**
   * @param regions the default region first, then fallbacks; ISO 3166 codes, upper case
   */
  PhoneScanner(List<String> regions) {
    this.regions = List.copyOf(regions);
  }

  void scan(String t, int from, int to, List<PiiMatch> out, ScanState state) {
    int n = t.length();
    int i = from;
    while (i < to) {
      char c = t.charAt(i);
      if (!(Scanners.isDigit(c) || c == '+' || c == '(')) {
        i++;
        continue;
      }
      if (i > 0 && Scanners.isWordChar(t.charAt(i - 1))) {
        i++; // glued to a word: not the start of a number
        while (i < to && Scanners.isWordChar(t.charAt(i))) {
          i++;
        }
        continue;
      }
      int j = i;
      int digits = 0;
      int lastDigitEnd = i;
      while (j < n && j - i < MAX_WINDOW * 4) {
        char d = t.charAt(j);
        if (Scanners.isDigit(d)) {
          digits++;
          lastDigitEnd = j + 1;
        } else if (d == 'x' && j + 1 < n && Scanners.isDigit(t.charAt(j + 1)) && digits >= 7) {
          // an extension such as 555-0100x123
        } else if (!isPhonePunct(d)) {
          break;
        } else if (d == ' ' && j + 1 < n && t.charAt(j + 1) == ' ') {
          break;
        }
        j++;
      }
      int end = lastDigitEnd;
      if (digits >= MIN_DIGITS
          && digits <= MAX_DIGITS
          && end - i <= MAX_WINDOW
          && (end >= n || !Scanners.isWordChar(t.charAt(end)))) {
        find(t, i, end, out, state);
      }
      i = Math.max(j, i + 1);
    }
  }

  private void find(String t, int s, int e, List<PiiMatch> out, ScanState state) {
    if (t.charAt(s) != '+' && followedByName(t, e)) {
      return;
    }
    // A window seen before in this scan passed the date test then; look it up without a copy.
    double score = state.known(t, s, e);
    if (Double.isNaN(score)) {
      if (startsWithDate(t, s, e)) {
        return;
      }
      score = classify(t, s, e, state);
    }
    if (score > 0) {
      out.add(new PiiMatch(PiiEntity.PHONE_NUMBER, s, e, score));
    }
  }

  /**
   * The score of a phone number written as {@code t[s, e)}, or 0; remembered for the rest of the
   * scan unless the fallback budget cut the answer short. Copies no text: the digits go to the
   * scan's two reusable buffers.
   */
  private double classify(String t, int s, int e, ScanState state) {
    if (t.charAt(s) == '+') {
      // written internationally: the country code says which region's rules apply
      int kind = international(t, s, e, state.nsn());
      return state.remember(t, s, e, kind == VALID ? 0.85 : kind == POSSIBLE ? 0.6 : 0);
    }
    StringBuilder digits = nationalDigits(t, s, e, state.digits());
    // 1. a valid number of the default region
    if (validIn(regions.get(0), digits, state.nsn())) {
      return state.remember(t, s, e, 0.85);
    }
    // 2. well formed in the layout of the North American numbering plan (3-3-4 digits)
    if (nanpDigitCount(digits.length()) && nanpLayout(t, s, e)) {
      return state.remember(t, s, e, 0.6);
    }
    // 3. a valid number of a fallback region, written with separators the way that region does
    boolean grouped = digits.length() < e - s;
    boolean national = t.charAt(s) == '0' || t.charAt(s) == '(' || !hasLongGroup(t, s, e);
    if (!grouped || !national || !anyFallbackLength(digits)) {
      return state.remember(t, s, e, 0);
    }
    if (state.fallbackBudget-- <= 0) {
      return 0; // not remembered: the answer is "not looked at", not "no"
    }
    for (int r = 1; r < regions.size(); r++) {
      if (validIn(regions.get(r), digits, state.nsn())) {
        return state.remember(t, s, e, 0.7);
      }
    }
    return state.remember(t, s, e, 0);
  }

  /** Whether some fallback region could accept the digits by their length alone. */
  private boolean anyFallbackLength(CharSequence digits) {
    for (int r = 1; r < regions.size(); r++) {
      int start = nationalStart(regions.get(r), digits);
      if (start != NO_NUMBER
          && (start == KEEPS_ZERO || possibleLength(regions.get(r), digits.length() - start))) {
        return true;
      }
    }
    return false;
  }

  /**
   * What one scan has spent and learnt: the fallback budget, the score of every window looked at (a
   * text that repeats a number pays for validation once), kept as offsets into the scan's text, and
   * two digit buffers. Not thread-safe; for one text at a time, {@link #reset()} between texts.
   */
  static final class ScanState {
    /** Slots of the window table that {@link #reset()} keeps (more are dropped). */
    static final int RETAINED_SLOTS = 64;

    /** Windows remembered per scan at most, so memory stays bounded on number-heavy text. */
    static final int MAX_REMEMBERED = 256;

    int fallbackBudget = MAX_FALLBACK_WINDOWS;

    /**
     * Open addressing, at most half full, grown by doubling: each window's start and end in the
     * text (0 when the slot is free: a window is never empty) and its score.
     */
    private int[] starts;

    private int[] ends;
    private double[] scores;
    private int size;
    private StringBuilder digits;
    private StringBuilder nsn;

    /** Forgets the budget spent and the windows seen, for the next text. */
    void reset() {
      fallbackBudget = MAX_FALLBACK_WINDOWS;
      if (starts != null) {
        if (starts.length > RETAINED_SLOTS) {
          starts = null;
          ends = null;
          scores = null;
        } else if (size > 0) {
          java.util.Arrays.fill(ends, 0);
        }
      }
      size = 0;
    }

    StringBuilder digits() {
      if (digits == null) {
        digits = new StringBuilder(MAX_DIGITS);
      }
      return digits;
    }

    StringBuilder nsn() {
      if (nsn == null) {
        nsn = new StringBuilder(MAX_DIGITS);
      }
      return nsn;
    }

    /** The score remembered for a window equal to {@code t[s, e)}, or NaN; allocates nothing. */
    double known(String t, int s, int e) {
      if (starts == null) {
        return Double.NaN;
      }
      int len = e - s;
      int mask = starts.length - 1;
      for (int i = hash(t, s, e) & mask; ; i = (i + 1) & mask) {
        if (ends[i] == 0) {
          return Double.NaN;
        }
        if (ends[i] - starts[i] == len && t.regionMatches(s, t, starts[i], len)) {
          return scores[i];
        }
      }
    }

    /** Remembers {@code score} for the window {@code t[s, e)}; returns {@code score}. */
    double remember(String t, int s, int e, double score) {
      if (starts == null) {
        starts = new int[8];
        ends = new int[8];
        scores = new double[8];
      }
      if (size < MAX_REMEMBERED) {
        if (2 * (size + 1) > starts.length) {
          grow(t);
        }
        int len = e - s;
        int mask = starts.length - 1;
        int i = hash(t, s, e) & mask;
        while (ends[i] != 0
            && !(ends[i] - starts[i] == len && t.regionMatches(s, t, starts[i], len))) {
          i = (i + 1) & mask;
        }
        if (ends[i] == 0) {
          size++;
        }
        starts[i] = s;
        ends[i] = e;
        scores[i] = score;
      }
      return score;
    }

    private void grow(String t) {
      int[] oldStarts = starts;
      int[] oldEnds = ends;
      double[] oldScores = scores;
      starts = new int[oldStarts.length * 2];
      ends = new int[oldStarts.length * 2];
      scores = new double[oldStarts.length * 2];
      int mask = starts.length - 1;
      for (int k = 0; k < oldStarts.length; k++) {
        if (oldEnds[k] != 0) {
          int i = hash(t, oldStarts[k], oldEnds[k]) & mask;
          while (ends[i] != 0) {
            i = (i + 1) & mask;
          }
          starts[i] = oldStarts[k];
          ends[i] = oldEnds[k];
          scores[i] = oldScores[k];
        }
      }
    }

    private static int hash(String t, int s, int e) {
      int h = 0;
      for (int i = s; i < e; i++) {
        h = 31 * h + t.charAt(i);
      }
      return h ^ (h >>> 16);
    }
  }

  /** The digits of {@code t[s, e)} up to an extension such as {@code x123}, into {@code out}. */
  private static StringBuilder nationalDigits(String t, int s, int e, StringBuilder out) {
    out.setLength(0);
    for (int i = s; i < e; i++) {
      char c = t.charAt(i);
      if (c == 'x') {
        break;
      }
      if (Scanners.isDigit(c)) {
        out.append(c);
      }
    }
    return out;
  }

  /**
   * Whether {@code digits}, written nationally, form a valid number of {@code region}: the number
   * libphonenumber's parser would build from the region's country code and trunk prefix, checked
   * with {@link PhoneValidity}, which gives libphonenumber's verdict without its allocations.
   */
  private static boolean validIn(String region, CharSequence digits, StringBuilder nsn) {
    int start = nationalStart(region, digits);
    if (start == NO_NUMBER) {
      return false;
    }
    boolean keepsZero = start == KEEPS_ZERO;
    if (keepsZero) {
      start = nationalPrefix(region).length();
    } else if (!possibleLength(region, digits.length() - start)) {
      return false; // libphonenumber would reject the length before any pattern; skip the call
    }
    // libphonenumber's national significant number: the digits after the trunk prefix, their
    // leading zeros kept; Italy's kept trunk zero in front when they have none of their own.
    nsn.setLength(0);
    if (keepsZero && digits.charAt(start) != '0') {
      nsn.append('0');
    }
    nsn.append(digits, start, digits.length());
    return PhoneValidity.validForRegion(region, nsn);
  }

  /** {@link #validIn} with a buffer of its own; for tests. */
  static boolean validIn(String region, CharSequence digits) {
    return validIn(region, digits, new StringBuilder());
  }

  /** {@link #nationalStart}: no number can be built. */
  private static final int NO_NUMBER = -1;

  /** {@link #nationalStart}: after Italy's trunk zero, which Italy keeps in the number. */
  private static final int KEEPS_ZERO = -2;

  /**
   * Where the national significant number of {@code digits} written nationally in {@code region}
   * starts (after the trunk prefix), {@link #KEEPS_ZERO} for Italy's kept zero, or {@link
   * #NO_NUMBER}.
   */
  private static int nationalStart(String region, CharSequence digits) {
    int len = digits.length();
    if (len < 4 || len > 17) {
      return NO_NUMBER;
    }
    int start = 0;
    String prefix = nationalPrefix(region);
    if (!prefix.isEmpty() && startsWith(digits, prefix)) {
      start = prefix.length();
    } else if (region.equals("US") && len == 11 && digits.charAt(0) == '1') {
      start = 1;
    }
    if (start == len) {
      return NO_NUMBER;
    }
    if (start > 0 && prefix.equals("0") && region.equals("IT")) {
      return KEEPS_ZERO;
    }
    return start;
  }

  private static boolean startsWith(CharSequence s, String prefix) {
    if (s.length() < prefix.length()) {
      return false;
    }
    for (int k = 0; k < prefix.length(); k++) {
      if (s.charAt(k) != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static final java.util.Map<String, String> NATIONAL_PREFIXES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The region's trunk prefix ({@code 0} in most of Europe), or empty. */
  private static String nationalPrefix(String region) {
    return NATIONAL_PREFIXES.computeIfAbsent(
        region,
        r -> {
          String p = UTIL.getNddPrefixForRegion(r, true);
          return p == null ? "" : p;
        });
  }

  static final int NONE = 0;
  static final int POSSIBLE = 1;
  static final int VALID = 2;

  /** {@link #VALID}, {@link #POSSIBLE} or {@link #NONE} for a window that starts with {@code +}. */
  static int international(String window) {
    return international(window, 0, window.length(), new StringBuilder());
  }

  /**
   * {@link #VALID}, {@link #POSSIBLE} or {@link #NONE} for the window {@code t[s, e)}, which starts
   * with {@code +}; {@code nsn} is a scratch buffer.
   */
  private static int international(String t, int s, int e, StringBuilder nsn) {
    int cc = buildInternational(t, s, e, nsn);
    if (cc > 0) {
      return PhoneValidity.valid(cc, nsn)
          ? VALID
          : PhoneValidity.possible(cc, nsn) ? POSSIBLE : NONE;
    }
    PhoneNumber n = parse(t.substring(s, e));
    if (n == null) {
      return NONE;
    }
    return UTIL.isValidNumber(n) ? VALID : UTIL.isPossibleNumber(n) ? POSSIBLE : NONE;
  }

  private static final RegionMetadataSource METADATA =
      DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();

  private static final boolean[] CALLING_CODES = callingCodes();

  private static boolean[] callingCodes() {
    boolean[] known = new boolean[1000];
    for (int cc : UTIL.getSupportedCallingCodes()) {
      if (cc > 0 && cc < known.length) {
        known[cc] = true;
      }
    }
    return known;
  }

  /** {@link #buildInternational(String, int, int, StringBuilder)} as a {@link PhoneNumber}. */
  static PhoneNumber buildInternational(String window) {
    StringBuilder nsn = new StringBuilder();
    int cc = buildInternational(window, 0, window.length(), nsn);
    return cc > 0 ? PhoneValidity.number(cc, nsn) : null;
  }

  /**
   * The country calling code of the number {@code UTIL.parse(t.substring(s, e), "ZZ")} would
   * return, with its national significant number put in {@code nsn}, worked out without the parser;
   * or 0 when the parser has something to interpret: an extension, a second {@code +}, a national
   * number with a leading zero or one that starts with the country's trunk prefix (which the parser
   * may strip), a non-geographic or unknown country code, or a trunk prefix that is a pattern
   * rather than plain digit strings. The parser finds the country code the same way: the first 1–3
   * digits that form a known one.
   */
  private static int buildInternational(String t, int s, int e, StringBuilder nsn) {
    nsn.setLength(0);
    int digits = 0;
    for (int i = s + 1; i < e; i++) {
      char c = t.charAt(i);
      if (Scanners.isDigit(c)) {
        if (digits == MAX_DIGITS) {
          return 0;
        }
        nsn.append(c);
        digits++;
      } else if (!(c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\u00A0')) {
        return 0;
      }
    }
    if (digits < 3 || nsn.charAt(0) == '0') {
      return 0;
    }
    int cc = 0;
    int ccLen = 0;
    int v = 0;
    for (int k = 1; k <= 3; k++) {
      v = v * 10 + (nsn.charAt(k - 1) - '0');
      if (CALLING_CODES[v]) {
        cc = v;
        ccLen = k;
        break;
      }
    }
    int nsnLen = digits - ccLen;
    if (cc == 0 || nsnLen < 2 || nsnLen > 17 || nsn.charAt(ccLen) == '0') {
      return 0;
    }
    String[] prefixes = literalParsingPrefixes(PhoneValidity.mainRegion(cc));
    if (prefixes == null) {
      return 0;
    }
    for (String prefix : prefixes) {
      if (startsWith(nsn, ccLen, digits, prefix)) {
        return 0; // the parser may strip it
      }
    }
    nsn.delete(0, ccLen);
    return cc;
  }

  private static boolean startsWith(CharSequence d, int from, int to, String prefix) {
    if (prefix.isEmpty() || to - from < prefix.length()) {
      return false;
    }
    for (int k = 0; k < prefix.length(); k++) {
      if (d.charAt(from + k) != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Sentinel of {@link #PARSING_PREFIXES}: the region's trunk prefix is a real pattern. */
  private static final String[] PATTERN_PREFIX = new String[0];

  private static final Map<String, String[]> PARSING_PREFIXES = new ConcurrentHashMap<>();

  /**
   * The region's national prefix for parsing when it is a plain digit string or an alternation of
   * them (Britain's {@code 0|180020}), as the list of alternatives (empty when there is none), or
   * null when it is any other pattern or the region is unknown or non-geographic.
   */
  private static String[] literalParsingPrefixes(String region) {
    String[] p =
        PARSING_PREFIXES.computeIfAbsent(
            region,
            r -> {
              PhoneMetadata m = "001".equals(r) ? null : METADATA.getMetadataForRegion(r);
              if (m == null) {
                return PATTERN_PREFIX;
              }
              String np = m.getNationalPrefixForParsing();
              if (np.isEmpty()) {
                return new String[] {""};
              }
              String[] alternatives = np.split("\\|", -1);
              for (String a : alternatives) {
                if (a.isEmpty() || !a.chars().allMatch(Scanners::isDigitInt)) {
                  return PATTERN_PREFIX;
                }
              }
              return alternatives;
            });
    return p == PATTERN_PREFIX ? null : p;
  }

  private static final Map<String, Long> POSSIBLE_LENGTHS = new ConcurrentHashMap<>();

  /**
   * Whether a national significant number of {@code length} digits can be valid in {@code region}:
   * libphonenumber's validity check rejects every length outside the region's general description
   * before it matches any pattern.
   */
  static boolean possibleLength(String region, int length) {
    long mask =
        POSSIBLE_LENGTHS.computeIfAbsent(
            region,
            r -> {
              PhoneMetadata m = METADATA.getMetadataForRegion(r);
              if (m == null || m.getGeneralDesc().getPossibleLengthCount() == 0) {
                return -1L; // unknown: let libphonenumber decide
              }
              long bits = 0;
              for (int l : m.getGeneralDesc().getPossibleLengthList()) {
                if (l >= 0 && l < 64) {
                  bits |= 1L << l;
                }
              }
              return bits;
            });
    return length < 64 && (mask & (1L << length)) != 0;
  }

  /** Digit counts of the layouts {@link #NANP_LAYOUT} accepts (extension not counted). */
  private static boolean nanpDigitCount(int digits) {
    return digits == 7 || digits == 8 || digits == 10 || digits == 11 || digits == 13;
  }

  private static PhoneNumber parse(String window) {
    try {
      return UTIL.parse(window, "ZZ");
    } catch (NumberParseException e) {
      return null;
    }
  }

  /**
   * {@code 975 3968 Bay Street}: a number followed by a capitalised word is a street address far
   * more often than a phone number.
   */
  private static boolean followedByName(String t, int e) {
    int n = t.length();
    if (e + 2 >= n || t.charAt(e) != ' ') {
      return false;
    }
    char c = t.charAt(e + 1);
    return Character.isUpperCase(c) && Character.isLowerCase(t.charAt(e + 2));
  }

  /**
   * Phone layouts of the North American numbering plan: {@code 555 0134}, {@code (555) 555-0134},
   * {@code +1-555-555-0134}, {@code 001-555-555-0134x12}. Bounded quantifiers only.
   */
  private static final java.util.regex.Pattern NANP_LAYOUT =
      java.util.regex.Pattern.compile(
          "(?:(?:\\+?1|001)[-. ]?)?(?:\\(\\d{3}\\)\\s?|\\d{3}[-. ])?\\d{3}[-. ]\\d{4}(?:\\s?x\\d{1,6})?");

  private static final int NANP_LAYOUT_ID = PhoneValidity.newPatternId();

  /** Whether {@code t[s, e)} has a {@link #NANP_LAYOUT}; the thread's matcher keeps no text. */
  private static boolean nanpLayout(String t, int s, int e) {
    java.util.regex.Matcher m = PhoneValidity.matcher(NANP_LAYOUT_ID, NANP_LAYOUT, t);
    boolean matches = m.region(s, e).matches();
    m.reset("");
    return matches;
  }

  /** A group of five or more digits reads as a street or postal number, not a phone layout. */
  private static boolean hasLongGroup(String t, int s, int e) {
    int run = 0;
    for (int i = s; i < e; i++) {
      run = Scanners.isDigit(t.charAt(i)) ? run + 1 : 0;
      if (run >= 5 && t.charAt(s) != '+') {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code 2018-02-24 12:45} and {@code 24.02.2018}: dates followed by times look like numbers.
   * Reads the window {@code t[s, e)} in place.
   */
  private static boolean startsWithDate(String t, int s, int e) {
    int len = e - s;
    if (len >= 10
        && Scanners.isDigit(t.charAt(s))
        && Scanners.isDigit(t.charAt(s + 3))
        && (t.charAt(s + 4) == '-' || t.charAt(s + 4) == '/' || t.charAt(s + 4) == '.')
        && t.charAt(s + 7) == t.charAt(s + 4)
        && Scanners.digits(t, s, 4)) {
      int y = Integer.parseInt(t, s, s + 4, 10);
      return y >= 1900 && y <= 2100;
    }
    if (len >= 10
        && (t.charAt(s + 2) == '.' || t.charAt(s + 2) == '/' || t.charAt(s + 2) == '-')
        && t.charAt(s + 5) == t.charAt(s + 2)
        && Scanners.isDigit(t.charAt(s + 6))
        && Scanners.digits(t, s + 6, 4)) {
      int y = Integer.parseInt(t, s + 6, s + 10, 10);
      return y >= 1900 && y <= 2100;
    }
    return false;
  }

  private static boolean isPhonePunct(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+' || c == '\u00A0';
  }
}
