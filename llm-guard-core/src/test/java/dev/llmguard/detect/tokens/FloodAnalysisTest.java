package dev.llmguard.detect.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.detect.Fixtures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The trigram measure of {@link FloodAnalysis} against a plain reference that splits the whole text
 * into words and counts every trigram in a set: the measure stops early when the share of repeats
 * can no longer reach the mark, and these tests check it never stops on a text that gets there,
 * above all on texts that only turn into a flood after a long stretch of varied words.
 */
class FloodAnalysisTest {

  /** Sentences of the fixtures (prose in several languages, code, Hindi, digits). */
  private static List<String> sentences() {
    List<String> out = new ArrayList<>();
    for (String name :
        List.of(
            "token-limit/prose.txt",
            "token-limit/hindi.txt",
            "tokens/prose-multilingual.txt",
            "tokens/code.txt",
            "tokens/contractions.txt",
            "tokens/digits.txt",
            "tokens/mixed-scripts.txt")) {
      for (String s : Fixtures.text(name).split("(?<=[.!?\n])")) {
        if (!s.isBlank()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** A made-up word of 1 to 9 letters (some not ASCII) or digits: never the same text twice. */
  private static String randomWord(Random random) {
    String letters = "abcdefghijklmnopqrstuvwxyzéäßøçABCDEFGHIJ0123456789";
    StringBuilder sb = new StringBuilder();
    int len = 1 + random.nextInt(9);
    for (int i = 0; i < len; i++) {
      sb.append(letters.charAt(random.nextInt(letters.length())));
    }
    return sb.toString();
  }

  /** Texts of 1 to 12 K chars: varied, drawn from a few sentences, and varied then repetitive. */
  private static List<String> texts() {
    List<String> pool = sentences();
    Random random = new Random(29);
    List<String> texts = new ArrayList<>();
    for (int k = 0; k < 600; k++) {
      int length = 1000 + random.nextInt(11_000);
      StringBuilder sb = new StringBuilder();
      switch (k % 4) {
        case 0 -> { // sentences from a pool of 1 to 60
          List<String> some = pool.subList(0, 1 + random.nextInt(Math.min(60, pool.size())));
          while (sb.length() < length) {
            sb.append(some.get(random.nextInt(some.size()))).append(' ');
          }
        }
        case 1 -> { // made-up words, then one sentence over and over
          double varied = random.nextDouble() * 0.4;
          while (sb.length() < length * varied) {
            sb.append(randomWord(random)).append(random.nextInt(8) == 0 ? ", " : " ");
          }
          String again = pool.get(random.nextInt(pool.size()));
          while (sb.length() < length) {
            sb.append(again).append(' ');
          }
        }
        case 2 -> { // varied sentences, then a short phrase over and over
          double varied = random.nextDouble() * 0.5;
          while (sb.length() < length * varied) {
            sb.append(pool.get(random.nextInt(pool.size()))).append(' ');
          }
          String phrase = randomWord(random) + " " + randomWord(random) + " ";
          while (sb.length() < length) {
            sb.append(phrase);
          }
        }
        default -> { // short made-up words, from a small or a large set
          int words = 2 + random.nextInt(random.nextBoolean() ? 6 : 400);
          List<String> set = new ArrayList<>();
          for (int w = 0; w < words; w++) {
            set.add(randomWord(random));
          }
          while (sb.length() < length) {
            sb.append(set.get(random.nextInt(set.size())))
                .append(random.nextInt(5) == 0 ? "\n" : " ");
          }
        }
      }
      texts.add(sb.substring(0, Math.min(sb.length(), length)));
    }
    return texts;
  }

  /** The words of {@code t[0, n)} as the measure reads them: runs of letters and digits, folded. */
  private static List<String> words(String t, int n) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i <= n; i++) {
      char c = i < n ? t.charAt(i) : ' ';
      if (Character.isLetterOrDigit(c)) {
        word.append(c < 128 ? (char) (c | 0x20) : Character.toLowerCase(c));
      } else if (word.length() > 0) {
        words.add(word.toString());
        word.setLength(0);
      }
    }
    return words;
  }

  @Test
  void theRepeatMeasureAgreesWithCountingEveryTrigram() {
    SoftAssertions softly = new SoftAssertions();
    int floods = 0;
    for (String t : texts()) {
      int n = Math.min(t.length(), FloodAnalysis.MAX_SAMPLE);
      List<String> w = words(t, n);
      Set<String> seen = new HashSet<>();
      int total = 0;
      for (int i = 2; i < w.size(); i++) {
        seen.add(w.get(i - 2) + "\u0000" + w.get(i - 1) + "\u0000" + w.get(i));
        total++;
      }
      double share = total == 0 ? 0 : 1.0 - seen.size() / (double) total;
      boolean flood = total >= FloodAnalysis.MIN_TRIGRAMS && share >= FloodAnalysis.REPEAT_SHARE;
      FloodAnalysis.Result r = FloodAnalysis.repeatedTrigrams(t, n);
      softly.assertThat(r != null).as("flood %.4f of %d in %s", share, total, t).isEqualTo(flood);
      if (r != null && flood) {
        floods++;
        softly.assertThat(r.share()).as("share in %s", t).isEqualTo(share);
      }
    }
    softly.assertAll();
    assertThat(floods).as("texts that are floods").isBetween(100, 500);
  }

  @Test
  void theWordsLeftAreTheWordsThatStartFromThereOn() {
    Random random = new Random(5);
    for (String t : texts().subList(0, 200)) {
      int from = random.nextInt(t.length() + 1);
      int expected = 0; // a word cut at from started before it and is not counted
      for (int i = from; i < t.length(); i++) {
        if (Character.isLetterOrDigit(t.charAt(i))
            && (i == 0 || !Character.isLetterOrDigit(t.charAt(i - 1)))) {
          expected++;
        }
      }
      assertThat(FloodAnalysis.wordsIn(t, from, t.length()))
          .as("from %d", from)
          .isEqualTo(expected);
    }
  }

  @Test
  void everyCharIsAWordCharExactlyWhenItIsALetterOrDigit() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      String one = "." + (char) c + ".";
      assertThat(FloodAnalysis.wordsIn(one, 0, one.length()))
          .as("U+%04X", c)
          .isEqualTo(Character.isLetterOrDigit((char) c) ? 1 : 0);
    }
  }
}
