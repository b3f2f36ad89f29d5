package dev.llmguard.support;

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

/** Small detectors with known behaviour for engine tests (the real ones are tested elsewhere). */
public final class TestDetectors {
  private TestDetectors() {}

  /** Reports every match of {@code regex} with the given category, score and entity. */
  public static Detector pattern(
      String id, String regex, Category category, double score, String entity, Phase... phases) {
    Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    Set<Phase> ph = Set.of(phases);
    return new Detector() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Set<Phase> phases() {
        return ph;
      }

      @Override
      public List<Finding> detect(ScanInput input) {
        List<Finding> out = new ArrayList<>();
        Matcher m = p.matcher(input.text());
        while (m.find()) {
          Finding.Builder b =
              Finding.builder(id, category)
                  .score(score)
                  .confidence(Confidence.HIGH)
                  .span(m.start(), m.end())
                  .message(id + " match");
          if (entity != null) {
            b.entity(entity);
          }
          out.add(b.build());
        }
        return List.copyOf(out);
      }
    };
  }

  /** "ignore (all|the) previous instructions", across whitespace and turn breaks. */
  public static Detector injection() {
    return pattern(
        "test-injection",
        "ignore\\s+(?:all\\s+|the\\s+)?previous\\s+instructions",
        Category.PROMPT_INJECTION,
        0.91,
        null,
        Phase.PROMPT);
  }

  /** E-mail addresses, in prompts and answers. */
  public static Detector email() {
    return pattern(
        "test-email",
        "[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,253}\\.[a-z]{2,10}",
        Category.SENSITIVE_INFORMATION,
        0.95,
        "EMAIL",
        Phase.PROMPT,
        Phase.RESPONSE);
  }

  /** Fake AWS key ids in answers. */
  public static Detector awsKey() {
    return pattern(
        "test-secret",
        "AKIA[0-9A-Z]{16}",
        Category.SENSITIVE_INFORMATION,
        0.99,
        "AWS_ACCESS_KEY",
        Phase.PROMPT,
        Phase.RESPONSE);
  }

  public static Detector throwing(String id) {
    return new Detector() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Set<Phase> phases() {
        return Set.of(Phase.PROMPT);
      }

      @Override
      public List<Finding> detect(ScanInput input) {
        throw new IllegalStateException("model file is corrupt");
      }
    };
  }

  public static Detector sleeping(String id, long millis) {
    return new Detector() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Set<Phase> phases() {
        return Set.of(Phase.PROMPT);
      }

      @Override
      public List<Finding> detect(ScanInput input) {
        try {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return List.of();
      }
    };
  }
}
