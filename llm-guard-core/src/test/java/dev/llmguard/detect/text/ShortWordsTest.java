package dev.llmguard.detect.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The packed lookup of short words and the tight scan for ASCII chars agree with the plain ones.
 */
class ShortWordsTest {

  private static Set<String> wordsOf(String resource) {
    Set<String> words = new LinkedHashSet<>();
    for (String line : Fixtures.lines(resource)) {
      for (String w : TextNormalizer.fold(line).toString().split("[^\\p{L}\\p{N}']+")) {
        if (!w.isEmpty()) {
          words.add(w);
        }
      }
    }
    return words;
  }

  @Test
  void packedLookupFindsWhatTheCharLookupFinds() {
    PhraseMatcher.WordTable table = new PhraseMatcher.WordTable();
    List<String> added = new ArrayList<>(wordsOf("/fixtures/text/payloads.txt"));
    for (String w : added) {
      table.add(w);
    }
    List<String> probes = new ArrayList<>(added);
    probes.addAll(wordsOf("/fixtures/text/long-prose.txt"));
    int packed = 0;
    for (String w : probes) {
      char[] c = w.toCharArray();
      int expected = table.find(c, 0, c.length);
      assertThat(expected >= 0).as(w).isEqualTo(added.contains(w));
      long key = PhraseMatcher.WordTable.pack(w);
      if (key != 0) {
        packed++;
        assertThat(table.findShort(key)).as(w).isEqualTo(expected);
      } else {
        assertThat(
                w.length() > PhraseMatcher.WordTable.SHORT_MAX || w.chars().anyMatch(x -> x > 0xFF))
            .as(w)
            .isTrue();
      }
    }
    assertThat(packed).isGreaterThan(20);
  }

  @Test
  void indexOfAnyFindsEachMarkedAsciiCharInTurn() {
    boolean[] marks = new boolean[128];
    marks['<'] = true;
    marks['\n'] = true;
    NormalizedText t = TextNormalizer.fold("Hi <b>\nthere é < end");
    List<Integer> found = new ArrayList<>();
    for (int i = t.indexOfAny(marks, 0); i >= 0; i = t.indexOfAny(marks, i + 1)) {
      found.add(i);
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) == '<' || t.charAt(i) == '\n') {
        expected.add(i);
      }
    }
    assertThat(found).hasSize(3).isEqualTo(expected);
  }
}
