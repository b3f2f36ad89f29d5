package dev.llmguard.detect.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhraseMatcherTest {

  private static final PhraseMatcher MATCHER =
      new PhraseMatcher(
          List.of(
              new PhraseMatcher.Rule("override", "override", 0.9, "ignore|forget +3 instruct*"),
              new PhraseMatcher.Rule("sys", "extraction", 0.5, "system +0 prompt")));

  private static List<String> names(String text) {
    NormalizedText t = TextNormalizer.fold(text);
    return MATCHER.match(MATCHER.words(t)).stream().map(h -> h.rule().name()).toList();
  }

  @Test
  void matchesWordsWithinTheAllowedGapAndPrefixAlternatives() {
    String sample = Fixtures.lines("/fixtures/prompt-injection/multilingual.txt").get(0);
    assertThat(names(sample)).containsExactly("override");
  }

  @Test
  void doesNotMatchAcrossASentenceEnd() {
    assertThat(names(Fixtures.lines("/fixtures/prompt-injection/hard-negatives.txt").get(2)))
        .doesNotContain("override");
  }

  @Test
  void aMalformedRuleIsRejectedWithItsName() {
    assertThatThrownBy(
            () -> new PhraseMatcher(List.of(new PhraseMatcher.Rule("bad", "f", 0.1, "a||b"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("empty alternative in rule bad");
  }

  @Test
  void theRuleFilesOfTheDetectorsParse() {
    assertThat(RuleFile.load(PhraseMatcherTest.class, "/dev/llmguard/detect/injection/rules.txt"))
        .hasSizeGreaterThan(50);
    assertThat(RuleFile.load(PhraseMatcherTest.class, "/dev/llmguard/detect/jailbreak/rules.txt"))
        .hasSizeGreaterThan(50);
  }

  private static final PhraseMatcher INJECTION =
      new PhraseMatcher(
          RuleFile.load(PhraseMatcherTest.class, "/dev/llmguard/detect/injection/rules.txt"));

  /** {@code count} words of ordinary prose. */
  private static String proseWords(int count) {
    String[] words = TextNormalizerTest.longProse(count * 12).split(" ");
    return String.join(" ", java.util.Arrays.copyOf(words, count));
  }

  @Test
  void aPhraseAcrossTheBoundaryOfTwoWordBlocksIsFoundAsInOnePiece() {
    String attack = Fixtures.lines("/fixtures/prompt-injection/multilingual.txt").get(0);
    for (int before = 1024 - 12; before <= 1024 + 4; before++) {
      String text = proseWords(before) + " " + attack + " " + proseWords(3 * 1024);
      NormalizedText t = TextNormalizer.fold(text);
      List<PhraseMatcher.Hit> inBlocks = INJECTION.match(t);
      assertThat(inBlocks)
          .as("%d words before", before)
          .isEqualTo(INJECTION.match(INJECTION.words(t)));
      assertThat(inBlocks).extracting(h -> h.rule().family()).contains("override");
    }
  }

  @Test
  void everyFixtureGivesTheSameHitsInBlocksAsAllAtOnce() {
    StringBuilder all = new StringBuilder();
    for (String file :
        List.of("multilingual.txt", "obfuscated.txt", "templates.txt", "hard-negatives.txt")) {
      for (String line : Fixtures.lines("/fixtures/prompt-injection/" + file)) {
        NormalizedText t = TextNormalizer.fold(line);
        assertThat(INJECTION.match(t)).isEqualTo(INJECTION.match(INJECTION.words(t)));
        all.append(line).append(' ').append(proseWords(300)).append('\n');
      }
    }
    NormalizedText t = TextNormalizer.fold(all.toString());
    assertThat(INJECTION.match(t)).isEqualTo(INJECTION.match(INJECTION.words(t))).isNotEmpty();
  }

  @Test
  void aStemMatchesEveryWordItBegins() {
    PhraseMatcher m =
        new PhraseMatcher(List.of(new PhraseMatcher.Rule("show", "f", 0.5, "show +1 instruct*")));
    for (String text : List.of("show instructions", "show the instructed", "show instruct")) {
      assertThat(m.match(TextNormalizer.fold(text))).as(text).hasSize(1);
    }
    assertThat(m.match(TextNormalizer.fold("show instru"))).isEmpty();
  }

  @Test
  void theWordTableFindsEveryWordItHoldsAndNoOther() {
    List<String> prose = Fixtures.lines("/fixtures/text/long-prose.txt");
    List<String> all =
        prose.stream()
            .flatMap(line -> java.util.Arrays.stream(line.toLowerCase().split("[^a-z]+")))
            .filter(w -> !w.isEmpty())
            .distinct()
            .toList();
    PhraseMatcher.WordTable table = new PhraseMatcher.WordTable();
    List<String> held = all.subList(0, all.size() / 2);
    for (String w : held) {
      table.add(w);
    }
    for (int k = 0; k < all.size(); k++) {
      char[] c = ("  " + all.get(k) + " ").toCharArray();
      int id = table.find(c, 2, c.length - 1);
      if (k < held.size()) {
        assertThat(id).as(all.get(k)).isEqualTo(k);
      } else {
        assertThat(id).as(all.get(k)).isEqualTo(-1);
      }
    }
  }
}
