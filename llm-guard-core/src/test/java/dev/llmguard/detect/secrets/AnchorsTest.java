package dev.llmguard.detect.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AnchorsTest {

  private static SecretRule rule(String... anchors) {
    return new SecretRule(
        "f",
        "E",
        "d",
        anchors,
        Pattern.compile("x"),
        1,
        SecretRule.Check.NONE,
        0,
        0,
        null,
        null,
        0);
  }

  private static final boolean[] LETTERS = SecretRule.charSet("abcdefghijklmnopqrstuvwxyz");

  private static List<String> hits(Anchors anchors, String text, int from, int[] end) {
    List<String> out = new ArrayList<>();
    end[0] =
        anchors.scan(text, from, (r, start, length) -> out.add(r + "@" + start + "+" + length));
    return out;
  }

  @Test
  void overlappingAndNestedAnchorsAreAllReportedWithTheirRule() {
    Anchors anchors = new Anchors(List.of(rule("he", "hers"), rule("she"), rule("his")), LETTERS);
    int[] end = new int[1];
    assertThat(hits(anchors, "ushers", 0, end)).containsExactly("1@1+3", "0@2+2", "0@2+4");
    assertThat(end[0]).isEqualTo(6);
  }

  @Test
  void theScanStopsAtTheFirstCharOutsideTheRunAndReportsWhere() {
    Anchors anchors = new Anchors(List.of(rule("his")), LETTERS);
    int[] end = new int[1];
    assertThat(hits(anchors, "this is his", 0, end)).containsExactly("0@1+3");
    assertThat(end[0]).isEqualTo(4);
    assertThat(hits(anchors, "this is his", 8, end)).containsExactly("0@8+3");
    assertThat(end[0]).isEqualTo(11);
  }

  @Test
  void nonAsciiCharsEndARun() {
    Anchors anchors = new Anchors(List.of(rule("ab")), LETTERS);
    int[] end = new int[1];
    assertThat(hits(anchors, "xa\u00e9ab", 0, end)).isEmpty();
    assertThat(end[0]).isEqualTo(2);
  }
}
