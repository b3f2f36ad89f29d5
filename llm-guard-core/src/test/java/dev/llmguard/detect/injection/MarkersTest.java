package dev.llmguard.detect.injection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.detect.text.Evidence;
import dev.llmguard.detect.text.Fixtures;
import dev.llmguard.detect.text.TextNormalizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkersTest {

  /** The span of the filler signal in {@code text}, as {@code start-end}, or {@code none}. */
  private static String filler(String text) {
    Evidence ev = new Evidence();
    Markers.scan(TextNormalizer.normalize(text), ev);
    return ev.signals().stream()
        .filter(s -> s.name().equals("adversarial-filler"))
        .map(s -> s.start() + "-" + s.end())
        .findFirst()
        .orElse("none");
  }

  @Test
  void fillerIsFoundAtTheTokenThatCompletesTheRunAndNowhereElse() {
    List<String> cases = Fixtures.lines("/fixtures/prompt-injection/filler.tsv");
    assertThat(cases).hasSizeGreaterThan(15);
    for (String line : cases) {
      String[] parts = line.split("\t", -1);
      assertThat(filler(parts[0])).as("filler in %s", parts[0]).isEqualTo(parts[1]);
    }
  }

  @Test
  void markersAfterTheFillerAreStillFound() {
    String text =
        Fixtures.lines("/fixtures/prompt-injection/filler.tsv").stream()
            .filter(l -> l.contains("<|im_start|>"))
            .findFirst()
            .orElseThrow()
            .split("\t")[0];
    Evidence ev = new Evidence();
    Markers.scan(TextNormalizer.normalize(text), ev);
    assertThat(ev.signalNames()).containsExactly("chat-template-token", "adversarial-filler");
  }
}
