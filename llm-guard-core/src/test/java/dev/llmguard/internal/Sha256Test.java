package dev.llmguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {

  private static String reference(String text) throws Exception {
    byte[] bytes = Texts.replaceUnpairedSurrogates(text).getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void theDigestIsThatOfTheUtf8BytesWithUnpairedSurrogatesReadAsReplacementChars()
      throws Exception {
    Random random = new Random(11);
    char[] alphabet = {
      'a', 'Z', ' ', '\u00e9', '\u07ff', '\u0800', '\u20ac', '\uffff', '\ud83d', '\udd13', '\ud800',
      '\udfff', '\n', '\u0000'
    };
    for (int round = 0; round < 500; round++) {
      // Lengths around the 4 KB chunk, so multi-byte chars and pairs straddle its end.
      int length = round < 100 ? random.nextInt(40) : 1300 + random.nextInt(3000);
      StringBuilder sb = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        sb.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String text = sb.toString();
      assertThat(Sha256.hex(text)).as("round %d", round).isEqualTo(reference(text));
    }
  }

  @Test
  void theEmptyTextHasTheWellKnownDigest() {
    assertThat(EventAssembler.hash(""))
        .isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(EventAssembler.hash(null)).isNull();
  }
}
