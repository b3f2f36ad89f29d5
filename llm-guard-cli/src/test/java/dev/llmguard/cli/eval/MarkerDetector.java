package dev.llmguard.cli.eval;

import dev.llmguard.spi.Category;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small, real detector for the metric tests: every match of {@code pattern} is a finding with the
 * given score and entity, so the expected confusion counts follow from the fixture alone.
 */
final class MarkerDetector implements Detector {
  private final String id;
  private final Pattern pattern;
  private final double score;
  private final String entity;

  MarkerDetector(String id, String regex, double score, String entity) {
    this.id = id;
    this.pattern = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
    this.score = score;
    this.entity = entity;
  }

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
    List<Finding> out = new ArrayList<>();
    Matcher m = pattern.matcher(input.text());
    while (m.find()) {
      out.add(
          Finding.builder(id, Category.CUSTOM)
              .score(score)
              .span(m.start(), m.end())
              .entity(entity)
              .build());
    }
    return List.copyOf(out);
  }
}
