package dev.llmguard.detect.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.spi.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackedSpansTest {

  @Test
  void aPackedSpanGivesBackItsStartAndEndUpToTheLargestIndex() {
    int[][] cases = {{0, 0}, {0, 1}, {7, 12}, {65_535, 65_536}, {1 << 30, Integer.MAX_VALUE}};
    for (int[] c : cases) {
      long packed = PackedSpans.pack(c[0], c[1]);
      assertThat(PackedSpans.start(packed)).isEqualTo(c[0]);
      assertThat(PackedSpans.end(packed)).isEqualTo(c[1]);
    }
  }

  @Test
  void packedSpansSortInTheOrderOfSpans() {
    long[] packed = {
      PackedSpans.pack(5, 9),
      PackedSpans.pack(2, 30),
      PackedSpans.pack(5, 6),
      PackedSpans.pack(0, 1)
    };
    java.util.Arrays.sort(packed);
    List<Span> spans = PackedSpans.toList(packed, packed.length);
    List<Span> sorted = new ArrayList<>(spans);
    sorted.sort(null);
    assertThat(spans).isEqualTo(sorted);
  }

  @Test
  void everyCountOfSpansBecomesAnImmutableListOfTheFirstNInOrder() {
    long[] packed = new long[8];
    for (int i = 0; i < packed.length; i++) {
      packed[i] = PackedSpans.pack(10 * i, 10 * i + 3);
    }
    for (int n = 0; n <= packed.length; n++) {
      List<Span> spans = PackedSpans.toList(packed, n);
      assertThat(spans).hasSize(n);
      for (int i = 0; i < n; i++) {
        assertThat(spans.get(i)).isEqualTo(new Span(10 * i, 10 * i + 3));
      }
      List<Span> list = spans;
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> list.add(new Span(0, 1))))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
