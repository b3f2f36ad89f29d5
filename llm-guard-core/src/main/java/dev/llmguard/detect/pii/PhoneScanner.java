package dev.llmguard.detect.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
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

  private final List<String> regions;

  /**
   * @param regions the default region first, then fallbacks; ISO 3166 codes, upper case
   */
  PhoneScanner(List<String> regions) {
    this.regions = List.copyOf(regions);
  }

  void scan(String t, List<PiiMatch> out) {
    int n = t.length();
    int i = 0;
    while (i < n) {
      char c = t.charAt(i);
      if (!(Scanners.isDigit(c) || c == '+' || c == '(')) {
        i++;
        continue;
      }
      if (i > 0 && Scanners.isWordChar(t.charAt(i - 1))) {
        while (i < n && Scanners.isWordChar(t.charAt(i))) {
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
        find(t, i, end, out);
      }
      i = Math.max(j, i + 1);
    }
  }

  private void find(String t, int s, int e, List<PiiMatch> out) {
    String window = t.substring(s, e);
    if (startsWithDate(window) || (window.charAt(0) != '+' && followedByName(t, e))) {
      return;
    }
    // 1. a valid number in the default region, or written internationally
    if (add(window, s, regions.get(0), Leniency.VALID, 0.85, out)) {
      return;
    }
    // 2. a valid number of a fallback region, written the way that region writes them
    boolean national = window.charAt(0) == '0' || window.charAt(0) == '(' || !hasLongGroup(window);
    if (national) {
      for (int r = 1; r < regions.size(); r++) {
        if (add(window, s, regions.get(r), Leniency.VALID, 0.7, out)) {
          return;
        }
      }
    }
    // 3. a well-formed but unassigned number: written internationally, or in the layout of the
    // North American numbering plan (3-3-4 digits) that the default region US uses
    if (window.charAt(0) == '+') {
      add(window, s, regions.get(0), Leniency.POSSIBLE, 0.6, out);
    } else if (NANP_LAYOUT.matcher(window).matches()) {
      int skip = window.startsWith("001") ? 4 : 0; // the IDD prefix some writers put before +1
      add(window.substring(skip), s + skip, regions.get(0), Leniency.POSSIBLE, 0.6, out);
      if (skip > 0 && !out.isEmpty()) {
        PiiMatch last = out.get(out.size() - 1);
        if (last.start() == s + skip) {
          out.set(out.size() - 1, new PiiMatch(last.entity(), s, last.end(), last.score()));
        }
      }
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

  private static boolean add(
      String window, int s, String region, Leniency leniency, double score, List<PiiMatch> out) {
    boolean found = false;
    for (PhoneNumberMatch m : UTIL.findNumbers(window, region, leniency, 5)) {
      out.add(new PiiMatch(PiiEntity.PHONE_NUMBER, s + m.start(), s + m.end(), score));
      found = true;
    }
    return found;
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
    return c == ' '
        || c == '-'
        || c == '.'
        || c == '('
        || c == ')'
        || c == '/'
        || c == '+'
        || c == '\u00A0';
  }
}
