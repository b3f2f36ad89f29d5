package dev.llmguard.detect.pii;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libphonenumber's verdicts {@link PhoneNumberUtil#isValidNumber}, {@link
 * PhoneNumberUtil#isValidNumberForRegion} and {@link PhoneNumberUtil#isPossibleNumber}, for a
 * number given as its country calling code and its national significant number (the digits {@link
 * PhoneNumberUtil#getNationalSignificantNumber} returns), computed from the same metadata with the
 * same regular expressions in the same order, but without allocating once a thread is warm.
 *
 * <p>Why: libphonenumber builds a {@code String} and a fresh {@link Matcher} (with its group
 * arrays) for every pattern it tries, about 250 bytes each and a dozen per region, and its regex
 * cache holds 100 patterns, fewer than twenty fallback regions use, so it recompiles patterns as
 * well. Here every pattern is compiled once, and each thread reuses one {@link Matcher} per
 * pattern. {@code PhoneValidityTest} checks the verdicts against libphonenumber's on generated
 * numbers of every region.
 *
 * <p>Thread-safe: the per-region tables are immutable and shared; matchers are per thread. Memory:
 * each thread that validates numbers keeps one matcher (about 200 bytes) for each pattern it has
 * used: a dozen per region it validated in, about 1,430 for all of libphonenumber 9.0's metadata,
 * and never more than {@value #MAX_MATCHERS_PER_THREAD} (beyond that a matcher is made per call). A
 * matcher keeps only the short digit buffer it last read, never the scanned text.
 */
final class PhoneValidity {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final MetadataSource METADATA =
      DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
  private static final String NON_GEO = "001";

  /** Matchers a thread keeps at most, one per pattern it used. */
  static final int MAX_MATCHERS_PER_THREAD = 4096;

  private static final AtomicInteger PATTERN_IDS = new AtomicInteger();
  private static final ThreadLocal<Matcher[]> MATCHERS =
      ThreadLocal.withInitial(() -> new Matcher[64]);

  /** The regions of each calling code, main region first, as libphonenumber lists them. */
  private static final String[][] REGIONS_BY_CODE = regionsByCode();

  private static final Map<String, Rules> BY_REGION = new ConcurrentHashMap<>();
  private static final AtomicReferenceArray<Rules> NON_GEO_BY_CODE =
      new AtomicReferenceArray<>(REGIONS_BY_CODE.length);

  private PhoneValidity() {}

  /**
   * {@code UTIL.isValidNumberForRegion(n, region)} for the number {@code n} of {@code region}'s own
   * calling code whose national significant number is {@code nsn}.
   *
   * @param region a supported region code, upper case
   */
  static boolean validForRegion(String region, CharSequence nsn) {
    Rules rules = rules(region);
    return rules != null && rules.hasType(nsn);
  }

  /** {@code UTIL.isValidNumber(n)} for the number with calling code {@code cc} and {@code nsn}. */
  static boolean valid(int cc, CharSequence nsn) {
    String[] regions = cc >= 0 && cc < REGIONS_BY_CODE.length ? REGIONS_BY_CODE[cc] : null;
    if (regions == null) {
      return false;
    }
    if (regions.length == 1) {
      Rules rules = rulesFor(cc, regions[0]);
      return rules != null && rules.countryCode == cc && rules.hasType(nsn);
    }
    // getRegionCodeForNumberFromRegionList: the first region whose leading digits or types fit
    for (String region : regions) {
      Rules rules = rules(region);
      if (rules == null) {
        continue; // listed for the code but without metadata: libphonenumber cannot use it either
      }
      if (rules.leadingDigits != null) {
        if (matcher(rules.leadingDigitsId, rules.leadingDigits, nsn).lookingAt()) {
          return rules.hasType(nsn);
        }
      } else if (rules.hasType(nsn)) {
        return true;
      }
    }
    return false;
  }

  /** {@code UTIL.isPossibleNumber(n)} for a number with calling code {@code cc} and {@code nsn}. */
  static boolean possible(int cc, CharSequence nsn) {
    String[] regions = cc >= 0 && cc < REGIONS_BY_CODE.length ? REGIONS_BY_CODE[cc] : null;
    if (regions == null) {
      return false; // INVALID_COUNTRY_CODE
    }
    Rules rules = rulesFor(cc, regions[0]);
    if (rules == null) {
      return false;
    }
    if (rules.general.lengthsUnset) {
      // no possible lengths in the metadata: leave the verdict to libphonenumber itself
      return UTIL.isPossibleNumber(number(cc, nsn));
    }
    if (rules.lengthsUnsupported) {
      return false; // INVALID_LENGTH
    }
    int len = nsn.length();
    return Rules.has(rules.localOnlyLengths, len) || Rules.has(rules.general.lengths, len);
  }

  /** The main region of calling code {@code cc} ({@code 001} for a non-geographic one), or ZZ. */
  static String mainRegion(int cc) {
    String[] regions = cc >= 0 && cc < REGIONS_BY_CODE.length ? REGIONS_BY_CODE[cc] : null;
    return regions == null ? "ZZ" : regions[0];
  }

  /**
   * The number libphonenumber would hold for {@code cc} and {@code nsn}; for tests and rare paths.
   */
  static PhoneNumber number(int cc, CharSequence nsn) {
    int zeros = 0;
    while (zeros < nsn.length() - 1 && nsn.charAt(zeros) == '0') {
      zeros++;
    }
    PhoneNumber n =
        new PhoneNumber()
            .setCountryCode(cc)
            .setNationalNumber(Long.parseLong(nsn.toString().substring(zeros)));
    if (zeros > 0) {
      n.setItalianLeadingZero(true).setNumberOfLeadingZeros(zeros);
    }
    return n;
  }

  private static Rules rulesFor(int cc, String region) {
    if (!NON_GEO.equals(region)) {
      return rules(region);
    }
    Rules rules = NON_GEO_BY_CODE.get(cc);
    if (rules == null) {
      PhoneMetadata m = METADATA.getMetadataForNonGeographicalRegion(cc);
      if (m == null) {
        return null;
      }
      NON_GEO_BY_CODE.compareAndSet(cc, null, new Rules(m));
      rules = NON_GEO_BY_CODE.get(cc);
    }
    return rules;
  }

  private static Rules rules(String region) {
    Rules rules = BY_REGION.get(region);
    if (rules == null && UTIL.getSupportedRegions().contains(region)) {
      rules = BY_REGION.computeIfAbsent(region, r -> new Rules(METADATA.getMetadataForRegion(r)));
    }
    return rules;
  }

  private static String[][] regionsByCode() {
    String[][] out = new String[1000][];
    for (int cc : UTIL.getSupportedCallingCodes()) {
      if (cc > 0 && cc < out.length) {
        out[cc] = UTIL.getRegionCodesForCountryCode(cc).toArray(new String[0]);
      }
    }
    // getSupportedCallingCodes leaves out no code that has regions, but be exact about it
    for (String region : UTIL.getSupportedRegions()) {
      int cc = UTIL.getCountryCodeForRegion(region);
      if (cc > 0 && cc < out.length && out[cc] == null) {
        out[cc] = UTIL.getRegionCodesForCountryCode(cc).toArray(new String[0]);
      }
    }
    return out;
  }

  /**
   * This thread's matcher for pattern number {@code id}, reset to {@code text}. The caller uses it
   * before asking for another one of the same pattern.
   */
  static Matcher matcher(int id, Pattern pattern, CharSequence text) {
    if (id >= MAX_MATCHERS_PER_THREAD) {
      return pattern.matcher(text);
    }
    Matcher[] matchers = MATCHERS.get();
    if (id >= matchers.length) {
      matchers =
          Arrays.copyOf(
              matchers, Math.min(MAX_MATCHERS_PER_THREAD, Math.max(id + 1, 2 * matchers.length)));
      MATCHERS.set(matchers);
    }
    Matcher m = matchers[id];
    if (m == null) {
      m = pattern.matcher(text);
      matchers[id] = m;
      return m;
    }
    return m.reset(text);
  }

  /** A new id for a pattern whose per-thread matcher {@link #matcher} should keep. */
  static int newPatternId() {
    return PATTERN_IDS.getAndIncrement();
  }

  /** One {@link PhoneNumberDesc}: its possible lengths and its national number pattern. */
  private static final class Desc {
    /** Bit {@code l} is set for each possible length {@code l}. */
    final long lengths;

    /** The list of possible lengths is empty: any length goes on to the pattern. */
    final boolean lengthsUnset;

    /** Null when the pattern is empty, which matches nothing. */
    final Pattern pattern;

    final int id;

    Desc(PhoneNumberDesc d) {
      List<Integer> possible = d.getPossibleLengthList();
      lengthsUnset = possible.isEmpty();
      lengths = Rules.mask(possible);
      String regex = d.getNationalNumberPattern();
      pattern = regex.isEmpty() ? null : Pattern.compile(regex);
      id = pattern == null ? -1 : newPatternId();
    }

    /** libphonenumber's {@code isNumberMatchingDesc}. */
    boolean matches(CharSequence nsn) {
      if (!lengthsUnset && !Rules.has(lengths, nsn.length())) {
        return false;
      }
      // libphonenumber asks lookingAt() and then matches(); matches() alone gives the same answer
      return pattern != null && matcher(id, pattern, nsn).matches();
    }
  }

  /** What one region's (or non-geographic entity's) metadata says about validity and length. */
  private static final class Rules {
    final int countryCode;
    final Desc general;

    /** Premium rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed line. */
    final Desc[] types;

    final Desc mobile;
    final boolean sameMobileAndFixedLine;
    final Pattern leadingDigits;
    final int leadingDigitsId;
    final long localOnlyLengths;

    /** The general description's first possible length is -1: no number is possible. */
    final boolean lengthsUnsupported;

    Rules(PhoneMetadata m) {
      countryCode = m.getCountryCode();
      general = new Desc(m.getGeneralDesc());
      types =
          new Desc[] {
            new Desc(m.getPremiumRate()),
            new Desc(m.getTollFree()),
            new Desc(m.getSharedCost()),
            new Desc(m.getVoip()),
            new Desc(m.getPersonalNumber()),
            new Desc(m.getPager()),
            new Desc(m.getUan()),
            new Desc(m.getVoicemail()),
            new Desc(m.getFixedLine())
          };
      mobile = new Desc(m.getMobile());
      sameMobileAndFixedLine = m.getSameMobileAndFixedLinePattern();
      leadingDigits = m.hasLeadingDigits() ? Pattern.compile(m.getLeadingDigits()) : null;
      leadingDigitsId = leadingDigits == null ? -1 : newPatternId();
      localOnlyLengths = mask(m.getGeneralDesc().getPossibleLengthLocalOnlyList());
      List<Integer> possible = m.getGeneralDesc().getPossibleLengthList();
      lengthsUnsupported = !possible.isEmpty() && possible.get(0) == -1;
    }

    /**
     * Whether libphonenumber's {@code getNumberTypeHelper} gives a type other than {@code UNKNOWN}:
     * the general description matches and so does a specific type (mobile only when its pattern
     * differs from the fixed-line one). The order of the checks does not change the answer.
     */
    boolean hasType(CharSequence nsn) {
      if (!general.matches(nsn)) {
        return false;
      }
      for (Desc d : types) {
        if (d.matches(nsn)) {
          return true;
        }
      }
      return !sameMobileAndFixedLine && mobile.matches(nsn);
    }

    static long mask(List<Integer> lengths) {
      long bits = 0;
      for (int l : lengths) {
        if (l >= 0 && l < 64) {
          bits |= 1L << l;
        }
      }
      return bits;
    }

    static boolean has(long mask, int length) {
      return length < 64 && (mask & (1L << length)) != 0;
    }
  }
}
