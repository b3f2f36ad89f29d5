package dev.llmguard.examples.custom;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Example third-party detector: flags answers and prompts that name a competitor. Configure the
 * names with {@code llmguard.detector.competitor-mention.names=Globex,Initech}.
 */
public final class CompetitorMentionDetectorProvider implements DetectorProvider {
  public static final String ID = "competitor-mention";
  static final List<String> DEFAULT_NAMES = List.of("Globex", "Initech", "Umbrella Corp");

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Detector create(DetectorConfig config) {
    List<String> names = config.getList("names");
    if (names.isEmpty()) {
      names = DEFAULT_NAMES;
    }
    double score = config.getDouble("score", 0.6);
    if (score < 0 || score > 1) {
      throw new GuardConfigurationException(
          "Invalid value '"
              + score
              + "' for "
              + config.fullKey("score")
              + ": expected a number between 0 and 1");
    }
    StringBuilder alternatives = new StringBuilder();
    for (String n : names) {
      if (alternatives.length() > 0) {
        alternatives.append('|');
      }
      alternatives.append(Pattern.quote(n.toLowerCase(Locale.ROOT)));
    }
    return new CompetitorMentionDetector(Pattern.compile("\\b(?:" + alternatives + ")\\b"), score);
  }

  /** Thread-safe: holds only an immutable pattern. */
  static final class CompetitorMentionDetector implements Detector {
    private final Pattern names;
    private final double score;

    CompetitorMentionDetector(Pattern names, double score) {
      this.names = names;
      this.score = score;
    }

    @Override
    public String id() {
      return ID;
    }

    @Override
    public Set<Phase> phases() {
      return Set.of(Phase.PROMPT, Phase.RESPONSE);
    }

    @Override
    public List<Finding> detect(ScanInput input) {
      // Lower-casing with ROOT keeps offsets for the ASCII names this example matches.
      Matcher m = names.matcher(input.text().toLowerCase(Locale.ROOT));
      List<Finding> out = new ArrayList<>();
      while (m.find()) {
        out.add(
            Finding.builder(ID, Category.POLICY)
                .score(score)
                .confidence(Confidence.HIGH)
                .span(m.start(), m.end())
                .message("competitor named")
                .entity("COMPETITOR")
                .build());
      }
      return List.copyOf(out);
    }
  }
}
