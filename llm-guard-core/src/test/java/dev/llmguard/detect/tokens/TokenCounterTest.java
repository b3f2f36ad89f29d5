package dev.llmguard.detect.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.llmguard.detect.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The own counter against the real jtokkit 1.1.0, for both encodings. */
class TokenCounterTest {

  private static final EncodingRegistry JTOKKIT = Encodings.newLazyEncodingRegistry();

  private static Encoding jtokkit(String encoding) {
    return JTOKKIT.getEncoding(
        encoding.equals("cl100k_base") ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE);
  }

  private static int expected(String encoding, String text) {
    return jtokkit(encoding).countTokensOrdinary(TokenLimitDetector.wellFormed(text));
  }

  static final List<String> FIXTURES =
      List.of(
          "prose-multilingual.txt",
          "code.txt",
          "crlf.txt",
          "digits.txt",
          "contractions.txt",
          "emoji.txt",
          "unpaired-surrogates.txt",
          "whitespace.txt",
          "mixed-scripts.txt");

  /** A fixture file, with {@code \\uXXXX} escapes turned into chars (to write lone surrogates). */
  static String fixture(String name) {
    String raw = Fixtures.text("tokens/" + name);
    Matcher m = Pattern.compile("\\\\u([0-9A-Fa-f]{4})").matcher(raw);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, "");
      sb.append((char) Integer.parseInt(m.group(1), 16));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  static Stream<Arguments> fixturesInBothEncodings() {
    return Stream.of("cl100k_base", "o200k_base")
        .flatMap(e -> FIXTURES.stream().map(f -> Arguments.of(e, f)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("fixturesInBothEncodings")
  void countsEveryFixtureAndEachOfItsLinesAsJtokkitDoes(String encoding, String file) {
    TokenCounter counter = TokenCounter.forEncoding(encoding);
    String text = fixture(file);
    assertThat(counter.count(text)).as("whole %s", file).isEqualTo(expected(encoding, text));
    for (String line : text.split("\n")) {
      assertThat(counter.count(line)).as("line %s", line).isEqualTo(expected(encoding, line));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cl100k_base", "o200k_base"})
  void countsThousandsOfSeededRandomUnicodeStringsAsJtokkitDoes(String encoding) {
    TokenCounter counter = TokenCounter.forEncoding(encoding);
    Random random = new Random(20261126);
    for (int k = 0; k < 4000; k++) {
      String text = randomText(random, k % 10 == 0 ? 400 : 40);
      assertThat(counter.count(text))
          .as("text %s", escape(text))
          .isEqualTo(expected(encoding, text));
    }
  }

  /**
   * ASCII words cut to every length from 1 to 20 letters, with and without the char before them,
   * ending where the text ends or before a char that ends the fast ASCII path (an apostrophe, a
   * non-ASCII letter) or not: the pieces whose cache keys fill 8 and 16 chars, and o200k's case
   * splits inside them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"cl100k_base", "o200k_base"})
  void countsAsciiWordsOfEveryLengthAroundTheKeyBoundariesAsJtokkitDoes(String encoding) {
    TokenCounter counter = TokenCounter.forEncoding(encoding);
    List<String> prefixes = List.of("", " ", "-", "(");
    List<String> endings = List.of("", " x", ".", "'s", "\u00e9t\u00e9", "9");
    for (String word : fixture("ascii-words.txt").split("\\s+")) {
      for (int length = 1; length <= Math.min(20, word.length()); length++) {
        String cut = word.substring(0, length);
        for (String prefix : prefixes) {
          for (String ending : endings) {
            String text = prefix + cut + ending;
            assertThat(counter.count(text)).as("text %s", text).isEqualTo(expected(encoding, text));
          }
        }
      }
    }
  }

  /** Chars from the classes the splitters tell apart, or (one text in five) any code point. */
  static String randomText(Random random, int maxLength) {
    String alphabet =
        "aZzé\u0301\u093f\u0915'’ 0९¹\u2167.-_/\n\r\t字🙂𝟏\u200b\uD800\uDC00\u3000\u00a0"
            + "sStTlLrReEvVmMdDſ\u01c5\u02b0!?@#A\u0300\u2028\u0085\u0e31ก";
    boolean anyCodePoint = random.nextInt(5) == 0;
    StringBuilder sb = new StringBuilder();
    int length = 1 + random.nextInt(maxLength);
    for (int i = 0; i < length; i++) {
      if (anyCodePoint) {
        sb.appendCodePoint(random.nextInt(0x30000));
      } else {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
    }
    return sb.toString();
  }

  static Stream<Arguments> longPieces() {
    Random random = new Random(7);
    StringBuilder base64 = new StringBuilder();
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < 6000; i++) {
      base64.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    List<String> texts =
        List.of(
            "a".repeat(10_000),
            "Summarise: " + "A".repeat(7_777) + " thanks",
            "@".repeat(10_000),
            "![](".repeat(2_500),
            "[({<".repeat(1_000) + ">})]".repeat(1_000),
            "AKIA".repeat(2_500),
            "é".repeat(3_001),
            "🙂".repeat(2_000),
            "字".repeat(4_000),
            " ".repeat(5_000) + "x",
            "\n".repeat(3_000),
            "ab".repeat(4_000) + "c",
            base64.toString());
    return Stream.of("cl100k_base", "o200k_base")
        .flatMap(e -> texts.stream().map(t -> Arguments.of(e, t)));
  }

  @ParameterizedTest(name = "{0} #{index}")
  @MethodSource("longPieces")
  void countsGiantWordsAndFloodsAsJtokkitDoes(String encoding, String text) {
    assertThat(TokenCounter.forEncoding(encoding).count(text)).isEqualTo(expected(encoding, text));
  }

  /** The o200k_base pattern as jtokkit 1.1.0 compiles it: the specification of the splitter. */
  private static final Pattern O200K =
      Pattern.compile(
          String.join(
              "|",
              "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
                  + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
              "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*"
                  + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
              "\\p{N}{1,3}",
              " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
              "\\s*[\\r\\n]+",
              "\\s+(?!\\S)",
              "\\s+"),
          Pattern.UNICODE_CHARACTER_CLASS);

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void theO200kSplitterCutsWhereTheRegexCuts(int seed) {
    Random random = new Random(seed);
    List<String> texts = new ArrayList<>();
    FIXTURES.forEach(f -> texts.add(TokenLimitDetector.wellFormed(fixture(f))));
    for (int k = 0; k < 3000; k++) {
      texts.add(TokenLimitDetector.wellFormed(randomText(random, 60)));
    }
    for (String text : texts) {
      assertThat(pieces(text)).as("pieces of %s", escape(text)).isEqualTo(regexPieces(text));
    }
  }

  private static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < text.length(); ) {
      int end = PreTokenizer.O200K.next(text, i, text.length());
      out.add(text.substring(i, end));
      i = end;
    }
    return out;
  }

  private static List<String> regexPieces(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = O200K.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"cl100k_base", "o200k_base"})
  void countingFromSeveralThreadsAtOnceGivesTheSameCounts(String encoding) throws Exception {
    TokenCounter counter = TokenCounter.forEncoding(encoding);
    List<String> texts = new ArrayList<>();
    FIXTURES.forEach(f -> texts.add(fixture(f)));
    Random random = new Random(99);
    for (int k = 0; k < 300; k++) {
      texts.add(randomText(random, 200));
    }
    texts.add("ab".repeat(3000));
    List<Integer> expected = texts.stream().map(t -> expected(encoding, t)).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Integer>>> results = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        int offset = thread;
        results.add(
            pool.submit(
                () -> {
                  List<Integer> counts = new ArrayList<>();
                  for (int round = 0; round < 5; round++) {
                    counts.clear();
                    for (int i = 0; i < texts.size(); i++) {
                      // each thread walks the texts from its own offset so that they race
                      counts.add(0);
                    }
                    for (int i = 0; i < texts.size(); i++) {
                      int at = (i + offset * 97) % texts.size();
                      counts.set(at, counter.count(texts.get(at)));
                    }
                  }
                  return counts;
                }));
      }
      for (Future<List<Integer>> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return sb.toString();
  }

  /**
   * Counting that stops once the rest cannot pass the limit tells a text within the limit from one
   * over it exactly as a full count does, at every limit around the real count, on texts whose
   * chars take one to four UTF-8 bytes (so the rest's bytes are measured, not taken as its chars),
   * and over the limit it stops where {@link TokenCounter#countUntil} stops, with the same count.
   */
  @ParameterizedTest
  @ValueSource(strings = {"cl100k_base", "o200k_base"})
  void stoppingWhenTheRestFitsDecidesAsAFullCountDoes(String encoding) {
    TokenCounter counter = TokenCounter.forEncoding(encoding);
    List<String> texts = new ArrayList<>();
    for (String file : FIXTURES) {
      texts.add(fixture(file));
      texts.add(fixture(file).repeat(3));
    }
    texts.add(Fixtures.text("token-limit/prose.txt").repeat(4));
    texts.add(Fixtures.text("token-limit/hindi.txt").repeat(9));
    Random random = new Random(7);
    for (int k = 0; k < 200; k++) {
      texts.add(randomText(random, 300));
    }
    for (String text : texts) {
      int real = counter.count(text);
      int n = text.length();
      for (int limit :
          new int[] {0, 1, real / 3, real / 2, real - 2, real - 1, real, real + 1, n}) {
        if (limit < 0) {
          continue;
        }
        long packed = counter.countUnlessFits(text, 0, n, limit);
        int count = TokenCounter.count(packed);
        assertThat(count <= limit)
            .as("%s tokens within %d in %s", real, limit, escape(text))
            .isEqualTo(real <= limit);
        if (real > limit) {
          assertThat(packed).isEqualTo(counter.countUntil(text, 0, n, limit));
        } else {
          assertThat(count).isLessThanOrEqualTo(real);
        }
      }
    }
  }
}
