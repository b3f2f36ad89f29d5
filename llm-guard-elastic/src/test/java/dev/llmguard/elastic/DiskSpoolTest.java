package dev.llmguard.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmguard.GuardConfigurationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {

  @TempDir Path dir;

  private static List<DiskSpool.Record> records(String prefix, int n) {
    List<DiskSpool.Record> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new DiskSpool.Record(
              prefix + i,
              ("{\"event\":{\"id\":\"" + prefix + i + "\"}}").getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void recordsComeBackOldestFirstAfterTheSpoolIsReopened() {
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
      assertThat(spool.append(records("a", 3))).isEqualTo(3);
      assertThat(spool.append(records("b", 2))).isEqualTo(2);
    }
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
      DiskSpool.Segment first = spool.oldest();
      assertThat(first.records())
          .extracting(DiskSpool.Record::id)
          .containsExactly("a0", "a1", "a2", "b0", "b1");
      spool.delete(first.number());
      assertThat(spool.isEmpty()).isTrue();
      assertThat(spool.bytes()).isZero();
    }
  }

  @Test
  void theSpoolNeverGrowsPastItsBound() {
    try (DiskSpool spool = new DiskSpool(dir, 100)) {
      int written = spool.append(records("x", 10));
      assertThat(written).isBetween(1, 9);
      assertThat(spool.bytes()).isLessThanOrEqualTo(100);
      assertThat(spool.append(records("y", 10))).isZero();
    }
  }

  @Test
  void aTornLastLineIsSkippedAndCounted() throws Exception {
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
      spool.append(records("t", 2));
    }
    Path segment;
    try (var files = Files.list(dir)) {
      segment =
          files
              .filter(p -> p.getFileName().toString().startsWith("segment-"))
              .findFirst()
              .orElseThrow();
    }
    Files.writeString(segment, "t2\t{\"event\":{\"id\":", StandardOpenOption.APPEND);
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
      DiskSpool.Segment s = spool.oldest();
      assertThat(s.records()).extracting(DiskSpool.Record::id).containsExactly("t0", "t1");
      assertThat(s.unreadable()).isEqualTo(1);
    }
  }

  @Test
  void twoSinksCannotShareASpoolFolder() {
    try (DiskSpool first = new DiskSpool(dir, 1 << 20)) {
      assertThat(first).isNotNull();
      assertThatThrownBy(() -> new DiskSpool(dir, 1 << 20))
          .isInstanceOf(GuardConfigurationException.class)
          .hasMessageContaining("is in use by another sink");
    }
  }
}
