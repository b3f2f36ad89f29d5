package dev.llmguard.detect.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PieceCacheTest {

  private static String randomWord(Random random, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }

  @Test
  void aFloodOfDistinctPiecesNeverGrowsTheCacheBeyondItsCapacity() {
    PieceCache cache = new PieceCache();
    Random random = new Random(1);
    for (int k = 0; k < 10 * PieceCache.CAPACITY; k++) {
      String word = randomWord(random, 1 + random.nextInt(PieceCache.MAX_CHARS));
      int h = PieceCache.hash(word, 0, word.length(), false);
      cache.put(word, 0, word.length(), h, false, k, 0, 0);
    }
    assertThat(cache.size()).isLessThanOrEqualTo(PieceCache.CAPACITY);
    assertThat(cache.size()).isGreaterThan(PieceCache.CAPACITY / 2);
  }

  @Test
  void aPieceIsFoundByItsCharsInsideALongerTextAndOnlyAsTheKindItWasStoredAs() {
    PieceCache cache = new PieceCache();
    String stored = "invoice";
    cache.put(stored, 0, 7, PieceCache.hash(stored, 0, 7, false), false, 2, 101, 202);
    String text = "the invoice is late";
    PieceCache.Entry e = cache.get(text, 4, 11, PieceCache.hash(text, 4, 11, false), false);
    assertThat(e).isNotNull();
    assertThat(e.count).isEqualTo(2);
    assertThat(e.first).isEqualTo(101);
    assertThat(e.last).isEqualTo(202);
    assertThat(cache.get(text, 4, 11, PieceCache.hash(text, 4, 11, true), true)).isNull();
    assertThat(cache.get(text, 4, 10, PieceCache.hash(text, 4, 10, false), false)).isNull();
  }

  @Test
  void countingAFloodOfRandomWordsKeepsTheCounterExactAndItsCacheBounded() {
    TokenCounter counter = TokenCounter.forEncoding("cl100k_base");
    Random random = new Random(5);
    StringBuilder text = new StringBuilder();
    for (int k = 0; k < 3 * PieceCache.CAPACITY; k++) {
      text.append(' ').append(randomWord(random, 3 + random.nextInt(12)));
    }
    String flood = text.toString();
    int counted = counter.count(flood);
    assertThat(counter.cache().size()).isLessThanOrEqualTo(PieceCache.CAPACITY);
    assertThat(counted)
        .isEqualTo(
            com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
                .getEncoding(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE)
                .countTokensOrdinary(flood));
  }
}
