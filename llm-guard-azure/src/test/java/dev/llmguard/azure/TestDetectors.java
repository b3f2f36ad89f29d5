package dev.llmguard.azure;

import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small real detectors for the adapter tests (the built-in ones live in their own modules). */
final class TestDetectors {
  private TestDetectors() {}

  /** E-mail addresses, redactable (entity {@code EMAIL}), in prompts and answers. */
  static Detector emails() {
    Pattern p =
        Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){1,8}");
    return new Detector() {
      @Override
      public String id() {
        return "test-email";
      }

      @Override
      public Set<Phase> phases() {
        return Set.of(Phase.PROMPT, Phase.RESPONSE);
      }

      @Override
      public List<Finding> detect(ScanInput in) {
        List<Finding> out = new ArrayList<>();
        Matcher m = p.matcher(in.text());
        while (m.find()) {
          out.add(
              Finding.builder(id(), Category.SENSITIVE_INFORMATION)
                  .score(0.95)
                  .confidence(Confidence.HIGH)
                  .span(m.start(), m.end())
                  .entity("EMAIL")
                  .message("e-mail address")
                  .build());
        }
        return List.copyOf(out);
      }
    };
  }

  /** A banned word (case-sensitive), category {@code policy}, in the given phase. */
  static Detector banned(String word, Phase phase) {
    return new Detector() {
      @Override
      public String id() {
        return "test-banned-" + phase.id();
      }

      @Override
      public Set<Phase> phases() {
        return Set.of(phase);
      }

      @Override
      public List<Finding> detect(ScanInput in) {
        int at = in.text().indexOf(word);
        if (at < 0) {
          return List.of();
        }
        return List.of(
            Finding.builder(id(), Category.POLICY)
                .score(0.9)
                .confidence(Confidence.HIGH)
                .span(at, at + word.length())
                .message("banned word")
                .build());
      }
    };
  }
}
