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
 * not do anything else with it (no trunk prefix, extension or leading zero to interpret).
 *
 * <p>Thread-safe: {@link PhoneNumberUtil} is, and the metadata caches are concurrent maps.
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
      String window = t.substring(s, e);
      if (startsWithDate(window)) {
        return;
      }
      score = classify(window, state);
    }
    if (score > 0) {
      out.add(new PiiMatch(PiiEntity.PHONE_NUMBER, s, e, score));
    }
  }

  /**
   * The score of a phone number written as {@code window}, or 0; remembered for the rest of the
   * scan unless the fallback budget cut the answer short.
   */
  private double classify(String window, ScanState state) {
    if (window.charAt(0) == '+') {
      // written internationally: the country code says which region's rules apply
      int kind = international(window);
      return state.remember(window, kind == VALID ? 0.85 : kind == POSSIBLE ? 0.6 : 0);
    }
    String digits = nationalDigits(window);
    // 1. a valid number of the default region
    if (validIn(regions.get(0), digits)) {
      return state.remember(window, 0.85);
    }
    // 2. well formed in the layout of the North American numbering plan (3-3-4 digits)
    if (nanpDigitCount(digits.length()) && NANP_LAYOUT.matcher(window).matches()) {
      return state.remember(window, 0.6);
    }
    // 3. a valid number of a fallback region, written with separators the way that region does
    boolean grouped = digits.length() < window.length();
    boolean national = window.charAt(0) == '0' || window.charAt(0) == '(' || !hasLongGroup(window);
    if (!grouped || !national || !anyFallbackLength(digits)) {
      return state.remember(window, 0);
    }
    if (state.fallbackBudget-- <= 0) {
      return 0; // not remembered: the answer is "not looked at", not "no"
    }
    for (int r = 1; r < regions.size(); r++) {
      if (validIn(regions.get(r), digits)) {
        return state.remember(window, 0.7);
      }
    }
    return state.remember(window, 0);
  }

  /** Whether some fallback region could accept the digits by their length alone. */
  private boolean anyFallbackLength(String digits) {
    for (int r = 1; r < regions.size(); r++) {
      String nsn = nationalNumber(regions.get(r), digits);
      if (nsn != null && (nsn == KEEPS_ZERO || possibleLength(regions.get(r), nsn.length()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * What one scan has spent and learnt: the fallback budget, and the score of every window looked
   * at (a text that repeats a number pays for libphonenumber once). Not thread-safe; one per scan.
   */
  static final class ScanState {
    /** Windows remembered per scan at most, so memory stays bounded on number-heavy text. */
    static final int MAX_REMEMBERED = 256;

    int fallbackBudget = MAX_FALLBACK_WINDOWS;

    /** Open addressing, at most half full, grown by doubling: the windows and their scores. */
    private String[] windows;

    private double[] scores;
    private int size;

    /** The score remembered for the window {@code t[s, e)}, or NaN; allocates nothing. */
    double known(String t, int s, int e) {
      if (windows == null) {
        return Double.NaN;
      }
      int len = e - s;
      int mask = windows.length - 1;
      for (int i = hash(t, s, e) & mask; ; i = (i + 1) & mask) {
        String w = windows[i];
        if (w == null) {
          return Double.NaN;
        }
        if (w.length() == len && t.regionMatches(s, w, 0, len)) {
          return scores[i];
        }
      }
    }

    double remember(String window, double score) {
      if (windows == null) {
        windows = new String[16];
        scores = new double[16];
      }
      if (size < MAX_REMEMBERED) {
        if (2 * (size + 1) > windows.length) {
          grow();
        }
        int mask = windows.length - 1;
        int i = hash(window, 0, window.length()) & mask;
        while (windows[i] != null && !windows[i].equals(window)) {
          i = (i + 1) & mask;
        }
        if (windows[i] == null) {
          size++;
        }
        windows[i] = window;
        scores[i] = score;
      }
      return score;
    }

    private void grow() {
      String[] oldWindows = windows;
      double[] oldScores = scores;
      windows = new String[oldWindows.length * 2];
      scores = new double[oldWindows.length * 2];
      int mask = windows.length - 1;
      for (int k = 0; k < oldWindows.length; k++) {
        String w = oldWindows[k];
        if (w != null) {
          int i = hash(w, 0, w.length()) & mask;
          while (windows[i] != null) {
            i = (i + 1) & mask;
          }
          windows[i] = w;
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

  /** The window's digits, without an extension such as {@code x123}. */
  private static String nationalDigits(String window) {
    StringBuilder d = new StringBuilder(window.length());
    for (int i = 0; i < window.length(); i++) {
      char c = window.charAt(i);
      if (c == 'x') {
        break;
      }
      if (Scanners.isDigit(c)) {
        d.append(c);
      }
    }
    return d.toString();
  }

  /**
   * Whether {@code digits}, written nationally, form a valid number of {@code region}. Builds the
   * number directly from the region's metadata (country code, trunk prefix): libphonenumber's own
   * parser costs several times more than the validity check.
   */
  private static boolean validIn(String region, String digits) {
    String nsn = nationalNumber(region, digits);
    if (nsn == null) {
      return false;
    }
    boolean keepsZero = nsn == KEEPS_ZERO;
    if (keepsZero) {
      nsn = digits.substring(nationalPrefix(region).length());
    } else if (!possibleLength(region, nsn.length())) {
      return false; // libphonenumber would reject the length before any pattern; skip the call
    }
    PhoneNumber n = new PhoneNumber().setCountryCode(UTIL.getCountryCodeForRegion(region));
    if (keepsZero) {
      n.setItalianLeadingZero(true);
    }
    n.setNationalNumber(Long.parseLong(nsn));
    int zeros = 0;
    while (zeros < nsn.length() - 1 && nsn.charAt(zeros) == '0') {
      zeros++;
    }
    if (zeros > 0) {
      n.setItalianLeadingZero(true).setNumberOfLeadingZeros(zeros);
    }
    return UTIL.isValidNumberForRegion(n, region);
  }

  /** Marks a national number whose trunk zero Italy keeps (its length is not the one validated). */
  private static final String KEEPS_ZERO = new String("keeps-zero");

  /**
   * The national significant number of {@code digits} written nationally in {@code region} (without
   * the trunk prefix), {@link #KEEPS_ZERO} for Italy's kept zero, or null when no number can be
   * built.
   */
  private static String nationalNumber(String region, String digits) {
    if (digits.length() < 4 || digits.length() > 17) {
      return null;
    }
    String nsn = digits;
    String prefix = nationalPrefix(region);
    if (!prefix.isEmpty() && nsn.startsWith(prefix)) {
      nsn = nsn.substring(prefix.length());
    } else if (region.equals("US") && nsn.length() == 11 && nsn.startsWith("1")) {
      nsn = nsn.substring(1);
    }
    if (nsn.isEmpty() || nsn.length() > 17) {
      return null;
    }
    if (nsn != digits && prefix.equals("0") && region.equals("IT")) {
      return KEEPS_ZERO;
    }
    return nsn;
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
    PhoneNumber n = buildInternational(window);
    if (n == null) {
      n = parse(window);
    }
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

  /**
   * The number {@code UTIL.parse(window, "ZZ")} would return, built without the parser, or null
   * when the parser has something to interpret: an extension, a second {@code +}, a national number
   * with a leading zero or one that starts with the country's trunk prefix (which the parser may
   * strip), a non-geographic or unknown country code, or a trunk prefix that is a pattern rather
   * than plain digit strings. The parser finds the country code the same way: the first 1–3 digits
   * that form a known one.
   */
  static PhoneNumber buildInternational(String window) {
    char[] d = new char[MAX_DIGITS];
    int len = 0;
    for (int i = 1; i < window.length(); i++) {
      char c = window.charAt(i);
      if (Scanners.isDigit(c)) {
        if (len == d.length) {
          return null;
        }
        d[len++] = c;
      } else if (!(c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\u00A0')) {
        return null;
      }
    }
    if (len < 3 || d[0] == '0') {
      return null;
    }
    int cc = 0;
    int ccLen = 0;
    int v = 0;
    for (int k = 1; k <= 3; k++) {
      v = v * 10 + (d[k - 1] - '0');
      if (CALLING_CODES[v]) {
        cc = v;
        ccLen = k;
        break;
      }
    }
    int nsnLen = len - ccLen;
    if (cc == 0 || nsnLen < 2 || nsnLen > 17 || d[ccLen] == '0') {
      return null;
    }
    String[] prefixes = literalParsingPrefixes(UTIL.getRegionCodeForCountryCode(cc));
    if (prefixes == null) {
      return null;
    }
    for (String prefix : prefixes) {
      if (startsWith(d, ccLen, len, prefix)) {
        return null; // the parser may strip it
      }
    }
    return new PhoneNumber()
        .setCountryCode(cc)
        .setNationalNumber(Long.parseLong(new String(d, ccLen, nsnLen)));
  }

  private static boolean startsWith(char[] d, int from, int to, String prefix) {
    if (prefix.isEmpty() || to - from < prefix.length()) {
      return false;
    }
    for (int k = 0; k < prefix.length(); k++) {
      if (d[from + k] != prefix.charAt(k)) {
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

  /** A group of five or more digits reads as a street or postal number, not a phone layout. */
  private static boolean hasLongGroup(String w) {
    int run = 0;
    for (int i = 0; i < w.length(); i++) {
      run = Scanners.isDigit(w.charAt(i)) ? run + 1 : 0;
      if (run >= 5 && w.charAt(0) != '+') {
        return true;
      }
    }
    return false;
  }

  /** {@code 2018-02-24 12:45} and {@code 24.02.2018}: dates followed by times look like numbers. */
  private static boolean startsWithDate(String w) {
    if (w.length() >= 10
        && Scanners.isDigit(w.charAt(0))
        && Scanners.isDigit(w.charAt(3))
        && (w.charAt(4) == '-' || w.charAt(4) == '/' || w.charAt(4) == '.')
        && w.charAt(7) == w.charAt(4)
        && Scanners.digits(w, 0, 4)) {
      int y = Integer.parseInt(w, 0, 4, 10);
      return y >= 1900 && y <= 2100;
    }
    if (w.length() >= 10
        && (w.charAt(2) == '.' || w.charAt(2) == '/' || w.charAt(2) == '-')
        && w.charAt(5) == w.charAt(2)
        && Scanners.isDigit(w.charAt(6))
        && Scanners.digits(w, 6, 4)) {
      int y = Integer.parseInt(w, 6, 10, 10);
      return y >= 1900 && y <= 2100;
    }
    return false;
  }

  private static boolean isPhonePunct(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+' || c == '\u00A0';
  }
}
