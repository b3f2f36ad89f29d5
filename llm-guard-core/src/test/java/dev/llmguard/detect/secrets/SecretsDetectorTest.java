package dev.llmguard.detect.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.detect.Fixtures;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import dev.llmguard.testkit.DetectorContractTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsDetectorTest extends DetectorContractTest {

  @Override
  protected DetectorProvider provider() {
    return new SecretsDetectorProvider();
  }

  /**
   * The kit combines phases into its own mutable list; hand it back immutable, as detect() does.
   */
  @Override
  protected List<Finding> scan(String text) {
    return List.copyOf(super.scan(text));
  }

  @Override
  protected List<String> positiveSamples() {
    List<String> out = new ArrayList<>();
    for (String[] row : Fixtures.rows("secrets/positives.tsv")) {
      out.add(row[2]);
    }
    return out;
  }

  private static String[] fixture(String format) {
    return Fixtures.rows("secrets/positives.tsv").stream()
        .filter(r -> r[0].equals(format))
        .findFirst()
        .orElseThrow();
  }

  private List<Finding> scan(Detector d, String text) {
    return d.detect(ScanInput.of(Phase.RESPONSE, text));
  }

  @Test
  void everyFixtureSecretIsFoundWithItsFormatAndASpanOnTheValueOnly() {
    for (String[] row : Fixtures.rows("secrets/positives.tsv")) {
      String format = row[0];
      String secret = row[1];
      String text = row[2];
      int start = text.indexOf(secret);
      assertThat(scan(detector, text))
          .as("%s in: %s", format, text)
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.metadata()).containsEntry("format", format);
                assertThat(f.spans()).containsExactly(Span.of(start, start + secret.length()));
                assertThat(f.category()).isEqualTo(Category.SENSITIVE_INFORMATION);
                assertThat(f.entity()).isNotBlank();
              });
    }
  }

  @Test
  void placeholdersTemplatesAndNearMissesAreNotReported() {
    for (String text : Fixtures.lines("secrets/negatives.txt")) {
      assertThat(scan(detector, text)).as("in: %s", text).isEmpty();
    }
  }

  @Test
  void messagesAndMetadataNeverContainTheSecret() {
    for (String[] row : Fixtures.rows("secrets/positives.tsv")) {
      for (Finding f : scan(detector, row[2])) {
        assertThat(f.message()).doesNotContain(row[1]);
        assertThat(String.join(" ", f.metadata().values())).doesNotContain(row[1]);
      }
    }
  }

  @Test
  void atLeastThirtyFormatsAreBuiltIn() {
    Set<String> formats = new HashSet<>(SecretsDetectorProvider.formats());
    assertThat(formats).hasSizeGreaterThanOrEqualTo(30);
    Set<String> covered = new HashSet<>();
    for (String[] row : Fixtures.rows("secrets/positives.tsv")) {
      covered.add(row[0]);
    }
    assertThat(covered).hasSizeGreaterThanOrEqualTo(30);
  }

  @Test
  void aGithubTokenWithAValidChecksumScoresHigherThanOneWithABrokenChecksum() {
    String valid = fixture("github-token")[1];
    assertThat(valid).startsWith("ghp_");
    char last = valid.charAt(valid.length() - 1);
    String broken = valid.substring(0, valid.length() - 1) + (last == 'A' ? 'B' : 'A');
    Finding good = scan(detector, "token " + valid).get(0);
    List<Finding> bad = scan(detector, "token " + broken);
    assertThat(good.score()).isEqualTo(0.99);
    assertThat(bad).singleElement().satisfies(f -> assertThat(f.score()).isLessThan(0.8));
  }

  @Test
  void theGithubChecksumIsBase62OfTheCrc32OfTheRandomPart() {
    assertThat(SecretRules.base62(0, 6)).isEqualTo("000000");
    assertThat(SecretRules.base62(61, 6)).isEqualTo("00000z");
    assertThat(SecretRules.base62(62, 6)).isEqualTo("000010");
  }

  @Test
  void aJwtWhoseHeaderIsNotJsonIsNotReported() {
    assertThat(scan(detector, "eyJub3Rqc29uIGF0IGFsbA.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"))
        .isEmpty();
  }

  @Test
  void genericAssignmentsCanBeSwitchedOff() {
    Detector formatsOnly =
        provider().create(DetectorConfig.of("secrets", Map.of("generic", "false")));
    String text = "client_secret = \"q8Vd2LmZr7XcN4pT1sKfB9wYhE6uJ3aG\"";
    assertThat(scan(detector, text)).hasSize(1);
    assertThat(scan(formatsOnly, text)).isEmpty();
  }

  @Test
  void formatsCanBeDisabledByName() {
    Detector noJwt =
        provider().create(DetectorConfig.of("secrets", Map.of("disabled-formats", "jwt")));
    String jwt = fixture("jwt")[2];
    assertThat(scan(detector, jwt)).isNotEmpty();
    assertThat(scan(noJwt, jwt)).noneMatch(f -> "jwt".equals(f.metadata().get("format")));
  }

  @Test
  void contextFormatsSuchAsPrivateKeysCanBeDisabledToo() {
    Detector noPem =
        provider().create(DetectorConfig.of("secrets", Map.of("disabled-formats", "private-key")));
    String pem = fixture("private-key")[2];
    assertThat(scan(detector, pem)).isNotEmpty();
    assertThat(scan(noPem, pem)).isEmpty();
  }

  @Test
  void theRedactorReplacesOnlyTheSecretValue() {
    String[] row = fixture("stripe-secret-key");
    String redacted =
        dev.llmguard.Redactor.redact(row[2], scan(detector, row[2]), new dev.llmguard.Vault());
    assertThat(redacted).isEqualTo("stripe.api_key = '[STRIPE_KEY_1]'");
  }

  @Test
  void unknownFormatNamesAreRejectedNamingTheKey() {
    assertThatThrownBy(
            () ->
                provider().create(DetectorConfig.of("secrets", Map.of("disabled-formats", "jwtt"))))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessageContaining("llmguard.detector.secrets.disabled-formats")
        .hasMessageContaining("jwtt");
  }

  @Test
  void aLowEntropyValueIsNotAGenericSecretButARandomOneIs() {
    assertThat(scan(detector, "api_key = aaaaaaaaaaaaaaaaaaaaaaaa")).isEmpty();
    assertThat(scan(detector, "api_key = Zq4vN8xL2pR7tK1m")).hasSize(1);
  }

  private static String negative(String startingWith) {
    return Fixtures.lines("secrets/negatives.txt").stream()
        .filter(l -> l.startsWith(startingWith))
        .findFirst()
        .orElseThrow();
  }

  private static String positiveText(String format, String containing) {
    return Fixtures.rows("secrets/positives.tsv").stream()
        .filter(r -> r[0].equals(format) && r[2].contains(containing))
        .findFirst()
        .orElseThrow()[2];
  }

  @Test
  void aRandomUuidUnderATokenNameIsASecretButATimeBasedOneIsAnIdentifier() {
    assertThat(scan(detector, positiveText("generic-secret", "NPM_AUTH_TOKEN"))).hasSize(1);
    assertThat(Assignments.isNonRandomUuid("f23ad85b-e928-11f1-9d64-0242ac120003")).isTrue();
    assertThat(Assignments.isNonRandomUuid("5c895990-0710-4c22-9373-2f3195f330f8")).isFalse();
    assertThat(scan(detector, negative("_authToken="))).isEmpty();
  }

  @Test
  void aNameThatNamesAVendorHoldsTheValueToThatVendorsFormat() {
    String meraki = positiveText("cisco-meraki-api-key", "MERAKI");
    assertThat(scan(detector, meraki))
        .singleElement()
        .satisfies(f -> assertThat(f.metadata()).containsEntry("format", "cisco-meraki-api-key"));
    // upper-case letters: not a Meraki key, whatever the name says
    assertThat(scan(detector, negative("MERAKI_API_KEY="))).isEmpty();
    assertThat(scan(detector, negative("export SUMOLOGIC_ACCESSID="))).isEmpty();
  }

  @Test
  void aVendorPrefixInsideALongerWordIsNotAToken() {
    String key = fixture("artifactory-token")[1];
    assertThat(scan(detector, "key " + key)).hasSize(1);
    assertThat(scan(detector, negative("testAKCp"))).isEmpty();
  }

  @Test
  void maskedVendorTokensAreNotReported() {
    assertThat(scan(detector, negative("artifactory_password="))).isEmpty();
    assertThat(scan(detector, negative("X-JFrog-Art-Api:"))).isEmpty();
    assertThat(scan(detector, negative("ACxxxx"))).isEmpty();
  }

  @Test
  void aBareWordAfterAHashArrowOrEndingAStatementIsCodeNotASecret() {
    assertThat(scan(detector, negative("password => "))).isEmpty();
    assertThat(scan(detector, negative("token = Zq4v"))).isEmpty();
    assertThat(scan(detector, "password => \"Zq4vN8xL2pR7tK1m\"")).hasSize(1);
  }

  @Test
  void oneThreadScanningDifferentTextsReportsEachTextsOwnSpans() {
    String[] a = fixture("sonar-token");
    String[] b = fixture("artifactory-token");
    for (String[] row : List.of(a, b, a)) {
      int start = row[2].indexOf(row[1]);
      assertThat(scan(detector, row[2]))
          .singleElement()
          .satisfies(
              f -> assertThat(f.spans()).containsExactly(Span.of(start, start + row[1].length())));
    }
  }

  /** The markers swept for by one of their chars, with that char's index. */
  private static final List<Map.Entry<String, Integer>> SWEPT =
      List.of(
          Map.entry("uthorization", 6),
          Map.entry("UTHORIZATION", 6),
          Map.entry("-----BEGIN ", 7),
          Map.entry("\"service_account\"", 8),
          Map.entry("--", 0));

  @Test
  void theSweepForOneCharOfAMarkerFindsEachMarkerWhereStringSearchFindsIt() {
    for (String text : Fixtures.lines("secrets/sweep-lookalikes.txt")) {
      for (Map.Entry<String, Integer> marker : SWEPT) {
        String needle = marker.getKey();
        for (int from = -1; from <= text.length() + 1; from++) {
          assertThat(
                  dev.llmguard.detect.text.CharSweep.indexOf(text, needle, marker.getValue(), from))
              .as("%s from %d in: %s", needle, from, text)
              .isEqualTo(text.indexOf(needle, from));
        }
      }
    }
  }

  @Test
  void anyCharOfTheNeedleCanBeTheOneSweptFor() {
    String text = Fixtures.text("secrets/sweep-lookalikes.txt");
    for (String needle : List.of("-----BEGIN ", "uthorization", "{{", "curl -u ")) {
      for (int pivot = 0; pivot < needle.length(); pivot++) {
        for (int from = 0; from < text.length(); from += 7) {
          assertThat(dev.llmguard.detect.text.CharSweep.indexOf(text, needle, pivot, from))
              .as("%s by char %d from %d", needle, pivot, from)
              .isEqualTo(text.indexOf(needle, from));
        }
      }
    }
  }

  @Test
  void aCurlUserFlagCountsOnlyAtTheStartOfTheTextOrAfterASpace() {
    assertThat(SecretsDetector.hasUserFlag("curl -u admin:Xr7!pQ2vLm9s https://x.example"))
        .isTrue();
    assertThat(SecretsDetector.hasUserFlag("-u carol:Vb6nM1zX4cQ7")).isTrue();
    assertThat(SecretsDetector.hasUserFlag("curl --user=ops:Tk5mN2xB8cQ4")).isTrue();
    assertThat(SecretsDetector.hasUserFlag("curl --user \"deploy:Zq8pW3nB6vR1\"")).isTrue();
    assertThat(SecretsDetector.hasUserFlag("x-u dave:Vb6nM1zX4cQ7 and curl x--user erin:abc"))
        .isFalse();
    assertThat(SecretsDetector.hasUserFlag("curl https://example.com -H \"Accept: x\" -uall"))
        .isFalse();
    assertThat(SecretsDetector.hasUserFlag("a three-day trip -- or a --users list")).isFalse();
  }

  @Test
  void curlPasswordsAreFoundOnlyWhereAUserFlagFollowsCurl() {
    List<String> lines = Fixtures.lines("secrets/sweep-lookalikes.txt");
    for (String text : lines) {
      boolean curlAuth =
          scan(detector, text).stream()
              .anyMatch(f -> f.metadata().get("format").equals("curl-basic-auth"));
      boolean expected =
          text.startsWith("curl -u ")
              || text.startsWith("curl --user \"")
              || text.startsWith("curl --user=");
      assertThat(curlAuth).as(text).isEqualTo(expected);
    }
  }

  @Test
  void everyFixtureSecretIsFoundTheSameWhereverItSitsAfterProse() {
    // Prefixes of every length up to 60 move each credential across all alignments of the
    // 20-char windows the scan steps through; the long one puts it near the end of 24 KB.
    String prose = Fixtures.text("secrets/prose.txt").replace('\n', ' ');
    List<String> prefixes = new ArrayList<>();
    for (int k = 0; k <= 60; k++) {
      prefixes.add(prose.substring(0, k) + "\n");
    }
    prefixes.add((prose + " ").repeat(30) + "\n");
    for (String[] row : Fixtures.rows("secrets/positives.tsv")) {
      List<String> alone = describe(scan(detector, row[2]), 0);
      for (String prefix : prefixes) {
        assertThat(describe(scan(detector, prefix + row[2]), prefix.length()))
            .as("%s after %d chars of prose", row[0], prefix.length())
            .isEqualTo(alone);
      }
    }
  }

  /** Each finding as text, its spans moved back by {@code shift}. */
  private static List<String> describe(List<Finding> findings, int shift) {
    List<String> out = new ArrayList<>();
    for (Finding f : findings) {
      List<Span> spans = new ArrayList<>();
      for (Span s : f.spans()) {
        spans.add(Span.of(s.start() - shift, s.end() - shift));
      }
      out.add(f.metadata() + " " + f.score() + " " + f.message() + " " + spans);
    }
    return out;
  }
}
