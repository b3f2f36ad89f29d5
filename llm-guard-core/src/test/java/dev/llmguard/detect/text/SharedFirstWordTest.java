package dev.llmguard.detect.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Rules that start with the same word are still matched one by one where a second word fits. */
class SharedFirstWordTest {

  private static final PhraseMatcher MATCHER =
      new PhraseMatcher(
          RuleFile.load(SharedFirstWordTest.class, "/fixtures/perf/shared-first-word.rules"),
          new Lexicon());

  @Test
  void eachRuleMatchesWithinItsOwnGapWhateverTheOtherRulesOfItsFirstWordAllow() {
    List<String> cases = Fixtures.lines("/fixtures/perf/shared-first-word.tsv");
    assertThat(cases).hasSizeGreaterThan(6);
    for (String line : cases) {
      String[] parts = line.split("\t", -1);
      String names =
          MATCHER.match(TextNormalizer.fold(parts[0])).stream()
              .map(h -> h.rule().name())
              .collect(Collectors.joining(","));
      assertThat(names.isEmpty() ? "-" : names).as(parts[0]).isEqualTo(parts[1]);
    }
  }
}
