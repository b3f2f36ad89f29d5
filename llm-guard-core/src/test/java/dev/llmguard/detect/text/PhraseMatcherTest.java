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
}
