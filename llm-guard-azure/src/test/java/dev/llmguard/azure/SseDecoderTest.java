package dev.llmguard.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmguard.azure.wire.Fixtures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class SseDecoderTest {

  private static List<String> decode(byte[] body, int bufferSize) {
    List<ByteBuffer> buffers = new ArrayList<>();
    for (int i = 0; i < body.length; i += bufferSize) {
      int n = Math.min(bufferSize, body.length - i);
      ByteBuffer b = ByteBuffer.allocateDirect(n); // not array-backed, as Netty may hand them
      b.put(body, i, n).flip();
      buffers.add(b);
    }
    return SseDecoder.decode(Flux.fromIterable(buffers)).collectList().block();
  }

  @Test
  void givesTheSameEventsWhateverTheBufferBoundaries() {
    byte[] body = Fixtures.bytes("stream-plain.sse");
    List<String> whole = decode(body, body.length);

    assertThat(whole).hasSize(8).endsWith(SseDecoder.DONE);
    for (int size : new int[] {1, 2, 3, 7, 64, 1000}) {
      assertThat(decode(body, size)).as("buffers of %d bytes", size).isEqualTo(whole);
    }
  }

  @Test
  void keepsMultiByteCharactersSplitAcrossBuffers() {
    byte[] body =
        "data: {\"delta\":\"Grüße aus Köln – 東京 🚚\"}\n\n".getBytes(StandardCharsets.UTF_8);

    assertThat(decode(body, 1)).containsExactly("{\"delta\":\"Grüße aus Köln – 東京 🚚\"}");
  }

  @Test
  void acceptsCrLfJoinsMultiLineDataAndIgnoresCommentsAndOtherFields() {
    byte[] body =
        (": keep-alive\r\nevent: message\r\nid: 7\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\ndata:[DONE]\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(decode(body, 5)).containsExactly("{\"a\":\n1}", SseDecoder.DONE);
  }

  @Test
  void passesOnALastEventThatLacksItsBlankLine() {
    byte[] body = "data: {\"n\":1}\n\ndata: {\"n\":2}".getBytes(StandardCharsets.UTF_8);

    assertThat(decode(body, 4)).containsExactly("{\"n\":1}", "{\"n\":2}");
  }
}
