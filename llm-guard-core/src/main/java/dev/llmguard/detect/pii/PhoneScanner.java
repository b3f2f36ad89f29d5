package dev.llmguard.detect.pii;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.List;

/**
 * Finds phone numbers with libphonenumber. libphonenumber's own matcher is regex-based and costly,
 * so it only ever sees short windows: runs of digits and phone punctuation holding 7 to 20 digits.
 * Every window is tried with the default region first, then with the fallback regions; a number
 * counts only if libphonenumber says it is <em>valid</em> (a real, assigned number range).
 * Thread-safe: {@link PhoneNumberUtil} is.
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

  void scan(String t, int from, int to, List<PiiMatch> out, int[] fallbackBudget) {
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
        find(t, i, end, out, fallbackBudget);
      }
      i = Math.max(j, i + 1);
    }
  }

  private void find(String t, int s, int e, List<PiiMatch> out, int[] fallbackBudget) {
    String window = t.substring(s, e);
    if (startsWithDate(window) || (window.charAt(0) != '+' && followedByName(t, e))) {
      return;
    }
    if (window.charAt(0) == '+') {
      // written internationally: the country code says which region's rules apply
      PhoneNumber n = parse(window);
      if (n != null && UTIL.isValidNumber(n)) {
        out.add(new PiiMatch(PiiEntity.PHONE_NUMBER, s, e, 0.85));
      } else if (n != null && UTIL.isPossibleNumber(n)) {
        out.add(new PiiMatch(PiiEntity.PHONE_NUMBER, s, e, 0.6));
      }
      return;
    }
    String digits = nationalDigits(window);
    // 1. a valid number of the default region
    if (validIn(regions.get(0), digits)) {
      out.add(new PiiMatch(PiiEntity.PHONE_NUMBER, s, e, 0.85));
      return;
    }
    // 2. well formed in the layout of the North American numbering plan (3-3-4 digits)
    if (NANP_LAYOUT.matcher(window).matches()) {
      out.add(new PiiMatch(PiiEntity.PHONE_NUMBER, s, e, 0.6));
      return;
    }
    // 3. a valid number of a fallback region, written with separators the way that region does
    boolean grouped = digits.length() < window.length();
    boolean national = window.charAt(0) == '0' || window.charAt(0) == '(' || !hasLongGroup(window);
    if (grouped && national && fallbackBudget[0]-- > 0) {
      for (int r = 1; r < regions.size(); r++) {
        if (validIn(regions.get(r), digits)) {
          out.add(new PiiMatch(PiiEntity.PHONE_NUMBER, s, e, 0.7));
          return;
        }
      }
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
    if (digits.length() < 4 || digits.length() > 17) {
      return false;
    }
    String nsn = digits;
    String prefix = nationalPrefix(region);
    if (!prefix.isEmpty() && nsn.startsWith(prefix)) {
      nsn = nsn.substring(prefix.length());
    } else if (region.equals("US") && nsn.length() == 11 && nsn.startsWith("1")) {
      nsn = nsn.substring(1);
    }
    if (nsn.isEmpty() || nsn.length() > 17) {
      return false;
    }
    PhoneNumber n = new PhoneNumber().setCountryCode(UTIL.getCountryCodeForRegion(region));
    boolean keepsZero = nsn != digits && prefix.equals("0") && region.equals("IT");
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
