package dev.llmguard.detect.injection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.detect.text.Evidence;
import dev.llmguard.detect.text.Fixtures;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecoderTest {

  private static final List<String> PAYLOADS = Fixtures.lines("/fixtures/text/payloads.txt");

  private final List<String> scanned = new ArrayList<>();
  private final Decoder decoder =
      new Decoder(
          64,
          payload -> {
            scanned.add(payload.toString());
            return 0.0;
          });

  /** What the JDK's strict UTF-8 decoder makes of the bytes, or null when it rejects them. */
  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String text(CharSequence decoded) {
    return decoded == null ? null : decoded.toString();
  }

  @Test
  void payloadsInBase64HexAndUrlEncodingDecodeToTheirText() {
    for (String payload : PAYLOADS) {
      byte[] utf8 = payload.getBytes(StandardCharsets.UTF_8);
      char[] base64 = Base64.getEncoder().withoutPadding().encodeToString(utf8).toCharArray();
      char[] urlSafe = Base64.getUrlEncoder().encodeToString(utf8).toCharArray();
      char[] hex = HexFormat.of().formatHex(utf8).toCharArray();
      assertThat(text(decoder.base64Decode(base64, 0, base64.length))).isEqualTo(payload);
      int unpadded = urlSafe.length;
      while (urlSafe[unpadded - 1] == '=') {
        unpadded--;
      }
      assertThat(text(decoder.base64Decode(urlSafe, 0, unpadded))).isEqualTo(payload);
      assertThat(text(decoder.hexDecode(hex, 0, hex.length))).isEqualTo(payload);
      assertThat(text(decoder.urlDecode(URLEncoder.encode(payload, StandardCharsets.UTF_8))))
          .isEqualTo(payload);
    }
  }

  @Test
  void bytesAreTextExactlyWhenTheJdkDecoderAcceptsThemAndTheyLookLikeText() {
    Random random = new Random(20261125L);
    List<byte[]> cases = new ArrayList<>();
    for (String payload : PAYLOADS) {
      byte[] utf8 = payload.getBytes(StandardCharsets.UTF_8);
      cases.add(utf8);
      // Every single-byte corruption of a valid text: truncated, overlong and stray sequences.
      for (int k = 0; k < utf8.length; k += 3) {
        byte[] broken = utf8.clone();
        broken[k] = (byte) random.nextInt(256);
        cases.add(broken);
        cases.add(java.util.Arrays.copyOf(utf8, k));
      }
    }
    for (int k = 0; k < 2000; k++) {
      byte[] noise = new byte[1 + random.nextInt(40)];
      random.nextBytes(noise);
      cases.add(noise);
    }
    // Sequences at the edges of what UTF-8 allows.
    int[][] edges = {
      {0xC0, 0x80},
      {0xC1, 0xBF},
      {0xC2, 0x80},
      {0xE0, 0x9F, 0xBF},
      {0xE0, 0xA0, 0x80},
      {0xED, 0x9F, 0xBF},
      {0xED, 0xA0, 0x80},
      {0xEF, 0xBF, 0xBF},
      {0xF0, 0x8F, 0xBF, 0xBF},
      {0xF0, 0x90, 0x80, 0x80},
      {0xF4, 0x8F, 0xBF, 0xBF},
      {0xF4, 0x90, 0x80, 0x80},
      {0xF5, 0x80},
      {0xFF},
      {0x80}
    };
    String words = "plain words ";
    for (int[] edge : edges) {
      byte[] b = new byte[words.length() + edge.length];
      for (int k = 0; k < words.length(); k++) {
        b[k] = (byte) words.charAt(k);
      }
      for (int k = 0; k < edge.length; k++) {
        b[words.length() + k] = (byte) edge[k];
      }
      cases.add(b);
    }
    int accepted = 0;
    for (byte[] bytes : cases) {
      String jdk = strictUtf8(bytes);
      String ours = text(decoder.asText(bytes, bytes.length));
      if (jdk == null) {
        assertThat(ours).as("bytes %s", HexFormat.of().formatHex(bytes)).isNull();
      } else if (ours != null) {
        assertThat(ours).isEqualTo(jdk);
        accepted++;
      } else {
        assertThat(looksLikeText(jdk)).as("rejected %s", jdk).isFalse();
      }
    }
    assertThat(accepted).isGreaterThan(PAYLOADS.size());
  }

  @Test
  void urlEncodedBytesThatAreNotUtf8AreReplacedAsTheStringConstructorReplacesThem() {
    Random random = new Random(11);
    Decoder.Scratch scratch = new Decoder.Scratch();
    for (int k = 0; k < 3000; k++) {
      byte[] bytes;
      if (k % 3 == 0) {
        bytes = PAYLOADS.get(k % PAYLOADS.size()).getBytes(StandardCharsets.UTF_8);
        bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(128));
      } else {
        bytes = new byte[1 + random.nextInt(60)];
        random.nextBytes(bytes);
      }
      assertThat(scratch.lenientUtf8(bytes, bytes.length).toString())
          .isEqualTo(new String(bytes, StandardCharsets.UTF_8));
    }
    String mixed = "%E5%BF%BD%FF%C3 caf%C3%A9 %ED%A0%80 ok+done";
    assertThat(text(decoder.urlDecode(mixed)))
        .isEqualTo(
            new String(
                new byte[] {
                  (byte) 0xE5,
                  (byte) 0xBF,
                  (byte) 0xBD,
                  (byte) 0xFF,
                  (byte) 0xC3,
                  ' ',
                  'c',
                  'a',
                  'f',
                  (byte) 0xC3,
                  (byte) 0xA9,
                  ' ',
                  (byte) 0xED,
                  (byte) 0xA0,
                  (byte) 0x80,
                  ' ',
                  'o',
                  'k',
                  ' ',
                  'd',
                  'o',
                  'n',
                  'e'
                },
                StandardCharsets.UTF_8));
  }

  /** Mostly printable, four letters, a space: the rule the decoder applies after decoding. */
  private static boolean looksLikeText(String s) {
    long printable =
        s.chars().filter(c -> !Character.isISOControl(c) || c == '\n' || c == '\t').count();
    long letters = s.chars().filter(c -> Character.isLetter((char) c)).count();
    return !s.isEmpty() && printable >= 0.9 * s.length() && letters >= 4 && s.indexOf(' ') >= 0;
  }

  @Test
  void runsOfRandomBase64AreAllTriedAndNoneIsTakenForText() {
    Random random = new Random(7);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    StringBuilder sb = new StringBuilder();
    for (int run = 0; run < 200; run++) {
      for (int k = 0; k < 40 + random.nextInt(300); k++) {
        sb.append(alphabet.charAt(random.nextInt(64)));
      }
      sb.append("== ");
    }
    String encoded =
        Base64.getEncoder().encodeToString(PAYLOADS.get(0).getBytes(StandardCharsets.UTF_8));
    sb.append(encoded);
    Evidence ev = new Evidence();
    decoder.scan(sb.toString(), ev, false, false);
    // The payload after 200 runs of noise is still reached: noise does not use up the budget.
    assertThat(scanned).containsExactly(PAYLOADS.get(0));
  }

  @Test
  void spacedHexBytesAreDecodedAmongWordsThatLookLikeHexPairs() {
    // "be", "ad", "de", "12" read as hex pairs too; only a chain of them is spaced hex.
    String prose = String.join(" ", Fixtures.lines("/fixtures/text/long-prose.txt"));
    for (String payload : PAYLOADS) {
      scanned.clear();
      byte[] utf8 = payload.getBytes(StandardCharsets.UTF_8);
      String spaced = HexFormat.ofDelimiter(" ").formatHex(utf8);
      String text = "be ad de 12 fa " + prose + " be ad then " + spaced + " ok " + prose;
      decoder.scan(text, new Evidence(), false, false);
      assertThat(scanned).as(payload).contains(payload);
    }
  }

  @Test
  void hexPairsThatDoNotFollowOneAnotherAreNotDecoded() {
    byte[] utf8 = PAYLOADS.get(0).getBytes(StandardCharsets.UTF_8);
    // Each byte on its own, two spaces apart: no run of spaced hex bytes.
    String text = HexFormat.ofDelimiter("  ").formatHex(utf8);
    decoder.scan(text, new Evidence(), false, false);
    assertThat(scanned).isEmpty();
  }
}
