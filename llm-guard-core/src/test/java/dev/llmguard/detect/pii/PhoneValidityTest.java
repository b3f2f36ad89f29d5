package dev.llmguard.detect.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.llmguard.detect.Fixtures;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * {@link PhoneValidity} gives libphonenumber's own verdicts, and the scanner's national windows get
 * the verdict libphonenumber gives the number the region's trunk prefix rules make of them.
 */
class PhoneValidityTest {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  /**
   * National significant numbers around libphonenumber's example number of every type of a region:
   * the example itself, its last digits changed, one digit fewer or more, a leading zero, and
   * random digit strings of every length; most are invalid, enough are valid.
   */
  private static Set<String> numbersAround(Iterable<PhoneNumber> examples, Random random) {
    Set<String> out = new LinkedHashSet<>();
    for (PhoneNumber example : examples) {
      String nsn = UTIL.getNationalSignificantNumber(example);
      out.add(nsn);
      for (int k = 0; k < 6; k++) {
        char[] c = nsn.toCharArray();
        c[c.length - 1 - random.nextInt(Math.min(3, c.length))] = (char) ('0' + random.nextInt(10));
        out.add(new String(c));
        c[random.nextInt(c.length)] = (char) ('0' + random.nextInt(10));
        out.add(new String(c));
      }
      out.add(nsn.substring(0, nsn.length() - 1));
      out.add(nsn + random.nextInt(10));
      out.add("0" + nsn);
    }
    for (int len = 2; len <= 17; len++) {
      StringBuilder sb = new StringBuilder();
      for (int d = 0; d < len; d++) {
        sb.append((char) ('0' + random.nextInt(10)));
      }
      out.add(sb.toString());
    }
    return out;
  }

  private static List<PhoneNumber> examples(String region) {
    List<PhoneNumber> out = new ArrayList<>();
    for (PhoneNumberType type : PhoneNumberType.values()) {
      PhoneNumber n = UTIL.getExampleNumberForType(region, type);
      if (n != null) {
        out.add(n);
      }
    }
    return out;
  }

  private static List<PhoneNumber> nonGeographicExamples(int cc) {
    List<PhoneNumber> out = new ArrayList<>();
    PhoneNumber n = UTIL.getExampleNumberForNonGeoEntity(cc);
    if (n != null) {
      out.add(n);
    }
    return out;
  }

  @Test
  void everyRegionsNumbersGetLibphonenumbersVerdicts() {
    Random random = new Random(20_261_126L);
    SoftAssertions softly = new SoftAssertions();
    int checked = 0;
    int valid = 0;
    int possibleOnly = 0;
    for (String region : new TreeSet<>(UTIL.getSupportedRegions())) {
      int cc = UTIL.getCountryCodeForRegion(region);
      for (String nsn : numbersAround(examples(region), random)) {
        PhoneNumber n = PhoneValidity.number(cc, nsn);
        softly
            .assertThat(UTIL.getNationalSignificantNumber(n))
            .as("%s %s", region, nsn)
            .isEqualTo(nsn);
        boolean isValid = UTIL.isValidNumber(n);
        boolean isPossible = UTIL.isPossibleNumber(n);
        softly
            .assertThat(PhoneValidity.validForRegion(region, nsn))
            .as("valid for %s: %s", region, nsn)
            .isEqualTo(UTIL.isValidNumberForRegion(n, region));
        softly
            .assertThat(PhoneValidity.valid(cc, nsn))
            .as("valid +%d %s", cc, nsn)
            .isEqualTo(isValid);
        softly
            .assertThat(PhoneValidity.possible(cc, nsn))
            .as("possible +%d %s", cc, nsn)
            .isEqualTo(isPossible);
        checked++;
        valid += isValid ? 1 : 0;
        possibleOnly += !isValid && isPossible ? 1 : 0;
      }
    }
    for (int cc : UTIL.getSupportedGlobalNetworkCallingCodes()) {
      for (String nsn : numbersAround(nonGeographicExamples(cc), random)) {
        PhoneNumber n = PhoneValidity.number(cc, nsn);
        softly
            .assertThat(PhoneValidity.valid(cc, nsn))
            .as("valid +%d %s", cc, nsn)
            .isEqualTo(UTIL.isValidNumber(n));
        softly
            .assertThat(PhoneValidity.possible(cc, nsn))
            .as("possible +%d %s", cc, nsn)
            .isEqualTo(UTIL.isPossibleNumber(n));
        checked++;
      }
    }
    softly.assertAll();
    assertThat(checked).as("numbers checked").isGreaterThan(20_000);
    assertThat(valid).as("valid numbers among them").isGreaterThan(3_000);
    assertThat(possibleOnly).as("possible but invalid numbers among them").isGreaterThan(3_000);
  }

  @Test
  void anUnknownCallingCodeIsNeitherValidNorPossible() {
    assertThat(PhoneValidity.valid(999, "2079460958")).isFalse();
    assertThat(PhoneValidity.possible(999, "2079460958")).isFalse();
    assertThat(PhoneValidity.validForRegion("ZZ", "2079460958")).isFalse();
  }

  /**
   * The national significant number libphonenumber would build from {@code digits} written in
   * {@code region}, as the scanner did before it read windows in place: the trunk prefix (or the
   * North American 1) stripped, Italy's zero kept, leading zeros counted.
   */
  private static boolean oracleValidIn(String region, String digits) {
    if (digits.length() < 4 || digits.length() > 17) {
      return false;
    }
    String prefix = UTIL.getNddPrefixForRegion(region, true);
    prefix = prefix == null ? "" : prefix;
    String nsn = digits;
    if (!prefix.isEmpty() && nsn.startsWith(prefix)) {
      nsn = nsn.substring(prefix.length());
    } else if (region.equals("US") && nsn.length() == 11 && nsn.startsWith("1")) {
      nsn = nsn.substring(1);
    }
    if (nsn.isEmpty()) {
      return false;
    }
    boolean keepsZero = nsn.length() < digits.length() && prefix.equals("0") && region.equals("IT");
    PhoneNumber n =
        new PhoneNumber()
            .setCountryCode(UTIL.getCountryCodeForRegion(region))
            .setNationalNumber(Long.parseLong(nsn));
    if (keepsZero) {
      n.setItalianLeadingZero(true);
    }
    int zeros = 0;
    while (zeros < nsn.length() - 1 && nsn.charAt(zeros) == '0') {
      zeros++;
    }
    if (zeros > 0) {
      n.setItalianLeadingZero(true).setNumberOfLeadingZeros(zeros);
    }
    return UTIL.isValidNumberForRegion(n, region);
  }

  private static List<String> regions() {
    List<String> out = new ArrayList<>();
    out.add(PiiDetectorProvider.DEFAULT_REGION);
    out.addAll(List.of(PiiDetectorProvider.DEFAULT_PHONE_REGIONS.split(",")));
    return out;
  }

  @Test
  void nationalWindowsGetTheVerdictOfTheNumberTheirRegionWouldMakeOfThem() {
    Random random = new Random(11);
    List<String> digitStrings = new ArrayList<>();
    for (String[] row : Fixtures.rows("pii/national-windows.tsv")) {
      String digits = row[1].replaceAll("[^0-9]", "");
      digitStrings.add(digits);
      digitStrings.add(digits.substring(0, digits.length() - 1));
      digitStrings.add("0" + digits);
      digitStrings.add("00" + digits);
      digitStrings.add("1" + digits);
    }
    for (int k = 0; k < 3000; k++) {
      StringBuilder sb = new StringBuilder();
      int len = 4 + random.nextInt(14);
      for (int d = 0; d < len; d++) {
        sb.append((char) ('0' + (d == 0 ? random.nextInt(3) : random.nextInt(10))));
      }
      digitStrings.add(sb.toString());
    }
    SoftAssertions softly = new SoftAssertions();
    int valid = 0;
    for (String region : regions()) {
      for (String digits : digitStrings) {
        boolean expected = oracleValidIn(region, digits);
        softly
            .assertThat(PhoneScanner.validIn(region, digits))
            .as("%s %s", region, digits)
            .isEqualTo(expected);
        valid += expected ? 1 : 0;
      }
    }
    softly.assertAll();
    assertThat(valid).as("valid verdicts among them").isGreaterThan(500);
  }

  @Test
  void manyThreadsGetTheSameVerdictsAsOne() throws Exception {
    List<String> nsns = new ArrayList<>();
    for (String[] row : Fixtures.rows("pii/national-windows.tsv")) {
      nsns.add(row[0] + " " + row[1].replaceAll("[^0-9]", "").replaceFirst("^0", ""));
    }
    List<Boolean> expected = new ArrayList<>();
    for (String line : nsns) {
      String[] p = line.split(" ");
      expected.add(PhoneValidity.validForRegion(p[0], p[1]));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<Boolean>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(
            pool.submit(
                () -> {
                  List<Boolean> last = null;
                  for (int round = 0; round < 200; round++) {
                    List<Boolean> got = new ArrayList<>();
                    for (String line : nsns) {
                      String[] p = line.split(" ");
                      got.add(PhoneValidity.validForRegion(p[0], p[1]));
                    }
                    last = got;
                  }
                  return last;
                }));
      }
      for (Future<List<Boolean>> f : futures) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(expected).contains(true, false);
  }
}
