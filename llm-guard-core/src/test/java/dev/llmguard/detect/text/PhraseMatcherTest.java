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
  void aPhraseIsFoundAfterAnyNumberOfWordsAsInOnePiece() {
    String attack = Fixtures.lines("/fixtures/prompt-injection/multilingual.txt").get(0);
    for (int before = 1012; before <= 1028; before++) {
      String text = proseWords(before) + " " + attack + " " + proseWords(3 * 1024);
      NormalizedText t = TextNormalizer.normalize(text);
      List<PhraseMatcher.Hit> split = INJECTION.match(t);
      assertThat(split)
          .as("%d words before", before)
          .isEqualTo(INJECTION.match(INJECTION.words(t)));
      assertThat(split).extracting(h -> h.rule().family()).contains("override");
    }
  }

  private static final List<PhraseMatcher.Rule> INJECTION_RULES =
      RuleFile.load(PhraseMatcherTest.class, "/dev/llmguard/detect/injection/rules.txt");

  private static final List<PhraseMatcher.Rule> JAILBREAK_RULES =
      RuleFile.load(PhraseMatcherTest.class, "/dev/llmguard/detect/jailbreak/rules.txt");

  /** Every fixture text of the prompt families, each also inside long prose. */
  private static List<String> promptSamples() {
    List<String> all = new java.util.ArrayList<>();
    for (String file :
        List.of(
            "/fixtures/prompt-injection/multilingual.txt",
            "/fixtures/prompt-injection/obfuscated.txt",
            "/fixtures/prompt-injection/templates.txt",
            "/fixtures/prompt-injection/hard-negatives.txt",
            "/fixtures/prompt-injection/more-families.txt",
            "/fixtures/jailbreak/personas.txt")) {
      for (String line : Fixtures.lines(file)) {
        all.add(line);
        all.add(proseWords(400) + " " + line + "\n" + proseWords(200));
      }
    }
    return all;
  }

  @Test
  void matchersSharingALexiconFindWhatEachFindsWithALexiconOfItsOwn() {
    Lexicon shared = new Lexicon();
    PhraseMatcher injection = new PhraseMatcher(INJECTION_RULES, shared);
    PhraseMatcher jailbreak = new PhraseMatcher(JAILBREAK_RULES, shared);
    PhraseMatcher injectionAlone = new PhraseMatcher(INJECTION_RULES, new Lexicon());
    PhraseMatcher jailbreakAlone = new PhraseMatcher(JAILBREAK_RULES, new Lexicon());
    int hits = 0;
    for (String text : promptSamples()) {
      NormalizedText t = TextNormalizer.normalize(text);
      List<PhraseMatcher.Hit> expectedInjection = injectionAlone.match(TextNormalizer.fold(text));
      List<PhraseMatcher.Hit> expectedJailbreak = jailbreakAlone.match(TextNormalizer.fold(text));
      assertThat(injection.match(t)).as(text).isEqualTo(expectedInjection);
      assertThat(jailbreak.match(t)).as(text).isEqualTo(expectedJailbreak);
      hits += expectedInjection.size() + expectedJailbreak.size();
    }
    assertThat(hits).isGreaterThan(100);
  }

  @Test
  void aNormalizedTextIsSplitOnceForEveryMatcherOfTheLexicon() {
    Lexicon shared = new Lexicon();
    PhraseMatcher injection = new PhraseMatcher(INJECTION_RULES, shared);
    PhraseMatcher jailbreak = new PhraseMatcher(JAILBREAK_RULES, shared);
    NormalizedText t = TextNormalizer.normalize(promptSamples().get(1));
    injection.match(t);
    PhraseMatcher.Words words = shared.words(t);
    jailbreak.match(t);
    assertThat(shared.words(t)).isSameAs(words);
    // Another text reuses the thread's arrays and is split anew.
    NormalizedText other = TextNormalizer.normalize(promptSamples().get(3));
    assertThat(shared.words(other)).isSameAs(words);
    assertThat(words.text).isSameAs(other);
  }

  @Test
  void buildingTheSameRulesAgainLeavesTheLexiconAsItIs() {
    Lexicon lexicon = new Lexicon();
    PhraseMatcher first = new PhraseMatcher(INJECTION_RULES, lexicon);
    Lexicon.Snapshot snapshot = lexicon.current();
    PhraseMatcher again = new PhraseMatcher(INJECTION_RULES, lexicon);
    assertThat(lexicon.current()).isSameAs(snapshot);
    assertThat(lexicon.isFull()).isFalse();
    for (String text : promptSamples()) {
      NormalizedText t = TextNormalizer.normalize(text);
      assertThat(again.match(t)).as(text).isEqualTo(first.match(t));
    }
  }

  @Test
  void aMatcherBuiltAfterATextWasSplitFindsItsOwnWordsInIt() {
    Lexicon lexicon = new Lexicon();
    PhraseMatcher first =
        new PhraseMatcher(
            List.of(new PhraseMatcher.Rule("meters", "field", 0.5, "replace +2 meters")), lexicon);
    String text = Fixtures.lines("/fixtures/text/long-prose.txt").get(3);
    NormalizedText t = TextNormalizer.normalize(text);
    assertThat(first.match(t)).extracting(h -> h.rule().name()).containsExactly("meters");
    PhraseMatcher later =
        new PhraseMatcher(
            List.of(new PhraseMatcher.Rule("streets", "field", 0.5, "street +1 street")), lexicon);
    assertThat(later.match(t)).extracting(h -> h.rule().name()).containsExactly("streets");
    assertThat(first.match(t)).extracting(h -> h.rule().name()).containsExactly("meters");
  }

  @Test
  void eachMatcherSeesOnlyItsOwnLongestStemWhereTheStemsOfOthersGoDeeper() {
    Lexicon lexicon = new Lexicon();
    PhraseMatcher deep =
        new PhraseMatcher(
            List.of(
                new PhraseMatcher.Rule("deep", "f", 0.5, "show +1 instructio*"),
                new PhraseMatcher.Rule("word", "f", 0.5, "print +0 in")),
            lexicon);
    PhraseMatcher shallow =
        new PhraseMatcher(
            List.of(
                new PhraseMatcher.Rule("short", "f", 0.5, "show +1 in*"),
                new PhraseMatcher.Rule("longer", "f", 0.5, "print +1 inst*")),
            lexicon);
    NormalizedText t = TextNormalizer.fold("show the instructions. print instant. print in.");
    assertThat(deep.match(t)).extracting(h -> h.rule().name()).containsExactly("deep", "word");
    // Only a word's longest stem counts: "instructions" is an "inst*" word here, not an "in*" one.
    assertThat(shallow.match(t)).extracting(h -> h.rule().name()).containsExactly("longer");
    assertThat(shallow.match(TextNormalizer.fold("show inside. print insta")))
        .extracting(h -> h.rule().name())
        .containsExactly("short", "longer");
    assertThat(deep.match(TextNormalizer.fold("show instructed"))).isEmpty();
  }

  @Test
  void aTextWithMoreWordsThanTheRetainedArraysIsMatchedToTheEnd() {
    String attack = Fixtures.lines("/fixtures/prompt-injection/multilingual.txt").get(0);
    String huge = proseWords(Lexicon.MAX_RETAINED_WORDS + 5_000) + ". " + attack;
    NormalizedText t = TextNormalizer.normalize(huge);
    List<PhraseMatcher.Hit> hits = INJECTION.match(t);
    assertThat(hits).extracting(h -> h.rule().family()).contains("override");
    PhraseMatcher.Hit last = hits.get(hits.size() - 1);
    assertThat(t.originStart(last.start())).isGreaterThan(huge.length() - attack.length() - 1);
    String small = promptSamples().get(0);
    assertThat(INJECTION.match(TextNormalizer.normalize(small)))
        .isEqualTo(INJECTION.match(TextNormalizer.fold(small)));
  }

  @Test
  void everyFixtureGivesTheSameHitsFromTheSharedSplitAsFromAFreshOne() {
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

  @Test
  void aReusedHitBufferHoldsExactlyTheHitsOfTheLastTextMatched() {
    PhraseMatcher.Hits hits = new PhraseMatcher.Hits();
    StringBuilder all = new StringBuilder();
    for (String file : List.of("multilingual.txt", "templates.txt", "hard-negatives.txt")) {
      for (String line : Fixtures.lines("/fixtures/prompt-injection/" + file)) {
        NormalizedText t = TextNormalizer.fold(line);
        assertThat(INJECTION.match(t, hits)).isSameAs(hits);
        assertThat(contents(hits)).as(line).isEqualTo(INJECTION.match(INJECTION.words(t)));
        all.append(line).append('\n');
      }
    }
    // more hits than a match keeps: the buffer stops at the same hit as the list
    NormalizedText many = TextNormalizer.fold(all.toString().repeat(4));
    INJECTION.match(many, hits);
    assertThat(hits.size()).isEqualTo(64);
    assertThat(contents(hits)).isEqualTo(INJECTION.match(INJECTION.words(many)));
    NormalizedText prose = TextNormalizer.fold(proseWords(50));
    INJECTION.match(prose, hits);
    assertThat(contents(hits)).isEqualTo(INJECTION.match(INJECTION.words(prose)));
  }

  private static List<PhraseMatcher.Hit> contents(PhraseMatcher.Hits hits) {
    List<PhraseMatcher.Hit> out = new java.util.ArrayList<>();
    for (int k = 0; k < hits.size(); k++) {
      assertThat(hits.get(k))
          .isEqualTo(new PhraseMatcher.Hit(hits.rule(k), hits.start(k), hits.end(k)));
      out.add(hits.get(k));
    }
    return out;
  }
}
