package dev.llmguard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingBuilderTest {

  private static Finding.Builder builder() {
    return Finding.builder("pii", Category.SENSITIVE_INFORMATION);
  }

  @Test
  void aFindingWithoutSpansOrMetadataHasEmptyCollections() {
    Finding f = builder().build();

    assertThat(f.spans()).isEmpty();
    assertThat(f.metadata()).isEmpty();
    assertThat(f.entity()).isEqualTo("SENSITIVE_INFORMATION");
  }

  @Test
  void spansKeepTheOrderTheyWereAddedIn() {
    Finding f = builder().span(5, 9).span(1, 2).span(new Span(20, 30)).build();

    assertThat(f.spans()).containsExactly(new Span(5, 9), new Span(1, 2), new Span(20, 30));
  }

  @Test
  void replacingTheSpansDropsTheEarlierOnes() {
    Finding f = builder().span(0, 1).span(2, 3).spans(List.of(new Span(7, 8))).build();

    assertThat(f.spans()).containsExactly(new Span(7, 8));
  }

  @Test
  void aMetadataKeySetTwiceKeepsItsLastValue() {
    Finding f =
        builder().entity("PHONE").metadata("region", "GB").metadata("entity", "EMAIL").build();

    assertThat(f.metadata())
        .containsOnly(
            org.assertj.core.api.Assertions.entry("entity", "EMAIL"),
            org.assertj.core.api.Assertions.entry("region", "GB"));
    assertThat(f.entity()).isEqualTo("EMAIL");
  }

  @Test
  void anyNumberOfMetadataKeysIsKept() {
    Finding.Builder b = builder();
    for (int i = 0; i < 13; i++) {
      b.metadata("k" + i, "v" + i);
    }

    Finding f = b.build();

    assertThat(f.metadata()).hasSize(13).containsEntry("k0", "v0").containsEntry("k12", "v12");
  }

  @Test
  void aFindingAlreadyBuiltDoesNotChangeWhenTheBuilderGoesOn() {
    Finding.Builder b = builder().span(0, 4).metadata("entity", "EMAIL");
    Finding first = b.build();

    b.span(10, 12).metadata("entity", "PHONE").metadata("extra", "1");

    assertThat(first.spans()).containsExactly(new Span(0, 4));
    assertThat(first.metadata()).containsOnlyKeys("entity").containsEntry("entity", "EMAIL");
    assertThat(b.build().spans()).hasSize(2);
  }

  @Test
  void theCollectionsOfAFindingCannotBeModified() {
    Finding f = builder().span(0, 4).span(5, 6).metadata("entity", "EMAIL").build();

    assertThatThrownBy(() -> f.spans().add(new Span(1, 2)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> f.metadata().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aCopyThroughToBuilderEqualsTheOriginal() {
    Finding f =
        builder()
            .score(0.7)
            .confidence(Confidence.HIGH)
            .span(3, 9)
            .span(12, 15)
            .message("m")
            .metadata("entity", "IBAN")
            .metadata("country", "DE")
            .build();

    assertThat(f.toBuilder().build()).isEqualTo(f);
    assertThat(f.shifted(10).spans()).containsExactly(new Span(13, 19), new Span(22, 25));
  }

  @Test
  void nullSpansAndMetadataAreRejectedWithTheirName() {
    List<Span> withNull = new ArrayList<>();
    withNull.add(null);

    assertThatThrownBy(() -> builder().spans(withNull))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("span");
    assertThatThrownBy(() -> builder().metadata("k", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("metadata value");
  }

  @Test
  void anImmutableListOfSpansBecomesTheFindingsOwnWithoutACopy() {
    List<Span> given = List.of(new Span(0, 4), new Span(6, 9), new Span(12, 20));

    Finding f = builder().spans(given).build();

    assertThat(f.spans()).isSameAs(given);
    assertThat(f.toBuilder().build().spans()).isSameAs(given);
  }

  @Test
  void spansAddedAfterAGivenListFollowItAndLeaveItUnchanged() {
    List<Span> given = List.of(new Span(0, 4), new Span(6, 9));

    Finding f = builder().spans(given).span(30, 31).build();

    assertThat(f.spans()).containsExactly(new Span(0, 4), new Span(6, 9), new Span(30, 31));
    assertThat(given).containsExactly(new Span(0, 4), new Span(6, 9));
  }

  @Test
  void aMutableListOfSpansIsCopiedSoLaterChangesDoNotReachTheFinding() {
    List<Span> given = new ArrayList<>(List.of(new Span(0, 4), new Span(6, 9)));

    Finding f = builder().spans(given).build();
    given.add(new Span(40, 41));

    assertThat(f.spans()).containsExactly(new Span(0, 4), new Span(6, 9));
  }

  @Test
  void aNullAmongSeveralSpansIsRejectedWithItsName() {
    List<Span> withNull = new ArrayList<>();
    withNull.add(new Span(0, 1));
    withNull.add(null);

    assertThatThrownBy(() -> builder().spans(withNull))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("span");
  }
}
