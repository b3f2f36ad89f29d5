package dev.llmguard.detect.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.llmguard.detect.Fixtures;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cheap pre-checks in front of libphonenumber give the answers libphonenumber gives. */
class PhoneScannerTest {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final String[] SEPARATORS = {" ", "-", ".", "", " "};

  /** Numbers written with + for every calling code, 2 to 15 national digits, mixed separators. */
  private static List<String> internationalWindows() {
    Random random = new Random(20_241_125L);
    List<String> out = new ArrayList<>();
    for (int cc : UTIL.getSupportedCallingCodes()) {
      for (int k = 0; k < 30; k++) {
        int len = 2 + random.nextInt(14);
        StringBuilder sb = new StringBuilder("+").append(cc);
        for (int d = 0; d < len; d++) {
          if (d % 3 == 0) {
            sb.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
          }
          sb.append((char) ('0' + random.nextInt(10)));
        }
        out.add(sb.toString());
      }
    }
    return out;
  }

  @Test
  void aNumberBuiltFromItsCountryCodeIsTheOneTheParserReturns() {
    int built = 0;
    for (String window : internationalWindows()) {
      PhoneNumber fast = PhoneScanner.buildInternational(window);
      if (fast == null) {
        continue; // left to the parser
      }
      built++;
      PhoneNumber parsed;
      try {
        parsed = UTIL.parse(window, "ZZ");
      } catch (NumberParseException e) {
        throw new AssertionError("built " + fast + " but the parser rejects " + window, e);
      }
      assertThat(fast).as(window).isEqualTo(parsed);
    }
    assertThat(built).as("windows the fast path handled").isGreaterThan(3000);
  }

  @Test
  void everyInternationalWindowGetsTheParsersVerdict() {
    for (String window : internationalWindows()) {
      int expected;
      try {
        PhoneNumber n = UTIL.parse(window, "ZZ");
        expected =
            UTIL.isValidNumber(n)
                ? PhoneScanner.VALID
                : UTIL.isPossibleNumber(n) ? PhoneScanner.POSSIBLE : PhoneScanner.NONE;
      } catch (NumberParseException e) {
        expected = PhoneScanner.NONE;
      }
      assertThat(PhoneScanner.international(window)).as(window).isEqualTo(expected);
    }
  }

  @Test
  void aLengthRuledOutByThePreCheckIsNeverValidInThatRegion() {
    Random random = new Random(7);
    for (String region : PiiDetectorProvider.DEFAULT_PHONE_REGIONS.split(",")) {
      int cc = UTIL.getCountryCodeForRegion(region);
      for (int len = 2; len <= 17; len++) {
        if (PhoneScanner.possibleLength(region, len)) {
          continue;
        }
        for (int k = 0; k < 50; k++) {
          long national =
              (long) (Math.pow(10, len - 1) * (1 + random.nextInt(9)))
                  + (long) (random.nextDouble() * Math.pow(10, len - 1));
          PhoneNumber n = new PhoneNumber().setCountryCode(cc).setNationalNumber(national);
          assertThat(UTIL.isValidNumberForRegion(n, region))
              .as("%s %d (%d digits)", region, national, len)
              .isFalse();
        }
      }
    }
  }

  @Test
  void realNumbersAmongThousandsOfNearMissesAreStillFoundWithExactSpans() {
    PiiDetector pii =
        (PiiDetector) new PiiDetectorProvider().create(DetectorConfig.of("pii", Map.of()));
    String nearMisses = String.join("\n", Fixtures.lines("pii/near-misses.txt")) + "\n";
    for (String[] row : Fixtures.rows("pii/near-miss-real-numbers.tsv")) {
      String text = nearMisses.repeat(200) + row[2] + "\n" + nearMisses.repeat(50);
      int start = text.indexOf(row[1]);
      List<Finding> found = pii.detect(ScanInput.of(Phase.PROMPT, text));
      assertThat(found)
          .as("%s among near-misses: %s", row[0], row[2])
          .anySatisfy(
              f -> {
                assertThat(f.entity()).isEqualTo(row[0]);
                assertThat(f.spans().get(0).start()).isEqualTo(start);
                assertThat(f.spans().get(0).end()).isEqualTo(start + row[1].length());
              });
    }
  }

  @Test
  void aTextThatRepeatsNumbersGivesTheSameFindingsAsEachPieceAlone() {
    PiiDetector pii =
        (PiiDetector) new PiiDetectorProvider().create(DetectorConfig.of("pii", Map.of()));
    for (String[] row : Fixtures.rows("pii/positives.tsv")) {
      if (!row[0].equals("PHONE_NUMBER")) {
        continue;
      }
      String piece = row[2] + "\n";
      int once = pii.detect(ScanInput.of(Phase.PROMPT, piece)).size();
      int thrice = pii.detect(ScanInput.of(Phase.PROMPT, piece.repeat(3))).size();
      assertThat(thrice).as(row[2]).isEqualTo(3 * once);
    }
  }

  @Test
  void aScanRemembersEveryWindowUpToItsBoundAndFindsThemInsideTheText() {
    PhoneScanner.ScanState state = new PhoneScanner.ScanState();
    StringBuilder text = new StringBuilder("call ");
    List<int[]> at = new ArrayList<>();
    for (int k = 0; k < PhoneScanner.ScanState.MAX_REMEMBERED + 40; k++) {
      String window = "+44 20 7946 " + (1000 + k);
      at.add(new int[] {text.length(), text.length() + window.length()});
      text.append(window).append(" or ");
    }
    String t = text.toString();
    for (int k = 0; k < at.size(); k++) {
      state.remember(
          t, at.get(k)[0], at.get(k)[1], k < PhoneScanner.ScanState.MAX_REMEMBERED ? 0.85 : 0.6);
    }
    // the same windows written again further on are found by their text, not their place
    String again = t + t;

    for (int k = 0; k < at.size(); k++) {
      int s = at.get(k)[0];
      int e = at.get(k)[1];
      double known = state.known(t, s, e);
      double repeated = state.known(again, t.length() + s, t.length() + e);
      if (k < PhoneScanner.ScanState.MAX_REMEMBERED) {
        assertThat(known).as("window %d", k).isEqualTo(0.85);
        assertThat(repeated).as("window %d written again", k).isEqualTo(0.85);
      } else {
        assertThat(known).as("window %d, past the bound", k).isNaN();
      }
    }
    assertThat(state.known(t, 0, 4)).isNaN();
  }

  @Test
  void aResetStateForgetsTheWindowsAndTheSpentBudgetOfTheTextBefore() {
    PhoneScanner.ScanState state = new PhoneScanner.ScanState();
    StringBuilder text = new StringBuilder("call ");
    List<int[]> at = new ArrayList<>();
    for (int k = 0; k < PhoneScanner.ScanState.RETAINED_SLOTS; k++) {
      String window = "+44 20 7946 " + (2000 + k);
      at.add(new int[] {text.length(), text.length() + window.length()});
      text.append(window).append(" or ");
    }
    String t = text.toString();
    for (int[] w : at) {
      state.remember(t, w[0], w[1], 0.85);
    }
    state.fallbackBudget = 0;

    state.reset();

    assertThat(state.fallbackBudget).isEqualTo(PhoneScanner.MAX_FALLBACK_WINDOWS);
    for (int[] w : at) {
      assertThat(state.known(t, w[0], w[1])).isNaN();
    }
    state.remember(t, at.get(3)[0], at.get(3)[1], 0.6);
    assertThat(state.known(t, at.get(3)[0], at.get(3)[1])).isEqualTo(0.6);
    assertThat(state.known(t, at.get(4)[0], at.get(4)[1])).isNaN();
  }
}
