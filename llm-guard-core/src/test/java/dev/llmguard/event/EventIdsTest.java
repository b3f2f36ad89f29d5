package dev.llmguard.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

  @Test
  void idsAreVersionSevenUuidsCarryingTheirCreationTime() {
    long before = System.currentTimeMillis();
    UUID id = UUID.fromString(EventIds.next());
    long after = System.currentTimeMillis();

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
  }

  @Test
  void idsOfLaterMillisecondsSortAfterEarlierOnesAsStrings() {
    String earlier = EventIds.next(1_764_000_000_000L).toString();
    String later = EventIds.next(1_764_000_000_001L).toString();

    assertThat(later).isGreaterThan(earlier);
  }

  @Test
  void idsCreatedInTheSameMillisecondAreStillUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      seen.add(EventIds.next(1_764_000_000_000L).toString());
    }

    assertThat(seen).hasSize(100_000);
  }
}
