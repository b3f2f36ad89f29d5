package dev.llmguard.detect.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.spi.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvidenceTest {

  /** Signals as (name, family, weight, start, end) rows; the families as in the injection rules. */
  private static final List<String[]> SIGNALS =
      dev.llmguard.detect.Fixtures.rows("reuse/evidence-signals.tsv");

  private static void addAll(Evidence ev, List<String[]> rows) {
    for (String[] r : rows) {
      ev.add(r[0], r[1], Double.parseDouble(r[2]), Integer.parseInt(r[3]), Integer.parseInt(r[4]));
    }
  }

  /** What an evidence says about its signals, as one comparable list. */
  private static List<Object> summary(Evidence ev) {
    return List.of(
        ev.score(Set.of("role"), 0.3),
        ev.families(),
        ev.topFamilies(3),
        ev.topFamilies(3, "injection: ", ", ", "."),
        ev.joinedSignalNames(20),
        ev.joinedSignalNamesWithin(20),
        ev.spans(1000, 16),
        ev.signals());
  }

  private static Evidence filledFresh() {
    Evidence ev = new Evidence();
    addAll(ev, SIGNALS);
    return ev;
  }

  @Test
  void anOpenedEvidenceReadsAsAFreshOneAfterTheLastOneClosedOnThisThread() {
    List<Object> fresh = summary(filledFresh());
    for (int round = 0; round < 3; round++) {
      try (Evidence ev = Evidence.open()) {
        assertThat(ev.isEmpty()).isTrue();
        assertThat(ev.familyCount()).isZero();
        assertThat(ev.score()).isZero();
        addAll(ev, SIGNALS);
        assertThat(summary(ev)).isEqualTo(fresh);
        // stronger signals of the same families, left behind for the next round to ignore
        for (String[] r : SIGNALS) {
          ev.add(r[0] + "-strong", r[1], 0.95, 0, 3);
        }
      }
    }
  }

  @Test
  void closingLetsTheNextOpenReuseTheSameInstance() {
    Evidence first = Evidence.open();
    first.close();
    try (Evidence again = Evidence.open()) {
      assertThat(again).isSameAs(first);
    }
  }

  @Test
  void nestedOpensGetDistinctInstancesEvenBeyondThePool() {
    List<Evidence> open = new ArrayList<>();
    try {
      for (int k = 0; k < Evidence.POOLED + 3; k++) {
        Evidence e = Evidence.open();
        assertThat(open).doesNotContain(e);
        e.add("nested-" + k, "family-" + k, 0.5, k, k + 1);
        open.add(e);
      }
      for (int k = 0; k < open.size(); k++) {
        assertThat(open.get(k).signalNames()).containsExactly("nested-" + k);
      }
    } finally {
      open.forEach(Evidence::close);
    }
  }

  @Test
  void aClosedEvidenceKeepsArraysForAtMostItsRetainedSignals() {
    Evidence ev = Evidence.open();
    for (int k = 0; k < 300; k++) {
      ev.add("signal-" + k, "family-" + (k % 40), 0.4, k, k + 2);
    }
    assertThat(ev.signalCapacity()).isGreaterThan(Evidence.RETAINED_SIGNALS);
    ev.close();
    assertThat(ev.signalCapacity()).isLessThanOrEqualTo(Evidence.RETAINED_SIGNALS);
    try (Evidence small = Evidence.open()) {
      assertThat(small).isSameAs(ev);
      addAll(small, SIGNALS);
      assertThat(summary(small)).isEqualTo(summary(filledFresh()));
    }
  }

  @Test
  void spansAreMergedSortedAndCutAtTheMaximum() {
    Evidence ev = filledFresh();
    List<Span> all = ev.spans(1000, 16);
    assertThat(all).isSorted();
    for (int k = 1; k < all.size(); k++) {
      assertThat(all.get(k - 1).end()).isLessThan(all.get(k).start());
    }
    assertThat(ev.spans(1000, 2)).containsExactlyElementsOf(all.subList(0, 2));
    assertThat(ev.spans(1000, 0)).isEmpty();
  }

  @Test
  void namesAreJoinedUpToTheLimitEitherIncludingOrLeavingOutTheNameThatCrossesIt() {
    Evidence ev = new Evidence();
    ev.add("override-phrase", "override", 0.8, 0, 5);
    ev.add("fake-delimiter", "template", 0.5, 6, 9);
    ev.add("url-encoded-payload", "encoded", 0.7, 10, 20);
    assertThat(ev.joinedSignalNames(1000))
        .isEqualTo("override-phrase,fake-delimiter,url-encoded-payload");
    assertThat(ev.joinedSignalNames(20)).isEqualTo("override-phrase,fake-delimiter");
    assertThat(ev.joinedSignalNamesWithin(1000))
        .isEqualTo("override-phrase,fake-delimiter,url-encoded-payload");
    assertThat(ev.joinedSignalNamesWithin(30)).isEqualTo("override-phrase,fake-delimiter");
    assertThat(ev.joinedSignalNamesWithin(20)).isEqualTo("override-phrase");
    assertThat(ev.joinedSignalNamesWithin(10)).isEmpty();
  }

  @Test
  void topFamiliesAreWrittenAsOneStringInWeightOrder() {
    Evidence ev = new Evidence();
    ev.add("a", "role", 0.3, 0, 1);
    ev.add("b", "override", 0.9, 1, 2);
    ev.add("c", "encoded", 0.7, 2, 3);
    ev.add("d", "template", 0.5, 3, 4);
    assertThat(ev.topFamilies(3, "prompt injection: ", ", ", ""))
        .isEqualTo("prompt injection: override, encoded, template");
    assertThat(ev.topFamilies(1, "", ",", "")).isEqualTo("override");
    assertThat(ev.topFamilies(5, "", ",", ",learned"))
        .isEqualTo("override,encoded,template,role,learned");
    assertThat(ev.topFamilies(3)).containsExactly("override", "encoded", "template");
  }

  @Test
  void aScoreGetsLowMediumOrHighConfidenceAtTheHalfAndAtFourFifths() {
    assertThat(Evidence.confidenceOf(0.0)).isEqualTo(dev.llmguard.spi.Confidence.LOW);
    assertThat(Evidence.confidenceOf(0.4999)).isEqualTo(dev.llmguard.spi.Confidence.LOW);
    assertThat(Evidence.confidenceOf(0.5)).isEqualTo(dev.llmguard.spi.Confidence.MEDIUM);
    assertThat(Evidence.confidenceOf(0.7999)).isEqualTo(dev.llmguard.spi.Confidence.MEDIUM);
    assertThat(Evidence.confidenceOf(0.8)).isEqualTo(dev.llmguard.spi.Confidence.HIGH);
    assertThat(Evidence.confidenceOf(0.99)).isEqualTo(dev.llmguard.spi.Confidence.HIGH);
  }
}
