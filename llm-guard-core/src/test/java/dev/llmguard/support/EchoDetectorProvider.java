package dev.llmguard.support;

import dev.llmguard.spi.Category;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.DetectorProvider;
import dev.llmguard.spi.Phase;

/** A provider for discovery tests; reports the word set in its {@code word} setting. */
public class EchoDetectorProvider implements DetectorProvider {
  @Override
  public String id() {
    return "echo";
  }

  @Override
  public Detector create(DetectorConfig config) {
    String word = config.getString("word", "echo");
    return TestDetectors.pattern(
        "echo",
        java.util.regex.Pattern.quote(word),
        Category.CUSTOM,
        config.getDouble("score", 0.8),
        null,
        Phase.PROMPT);
  }

  /** A second provider that sorts before {@code echo} by its order. */
  public static class First implements DetectorProvider {
    @Override
    public String id() {
      return "zz-first";
    }

    @Override
    public int order() {
      return 1;
    }

    @Override
    public Detector create(DetectorConfig config) {
      return TestDetectors.pattern("zz-first", "first", Category.CUSTOM, 0.6, null, Phase.PROMPT);
    }
  }

  /** A provider whose create() fails. */
  public static class Broken implements DetectorProvider {
    @Override
    public String id() {
      return "broken";
    }

    @Override
    public Detector create(DetectorConfig config) {
      throw new IllegalStateException("cannot load word list");
    }
  }
}
