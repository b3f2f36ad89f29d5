package dev.llmguard.azure;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Splits a server-sent-event byte stream into the {@code data} of each event. Lines may be split
 * anywhere across buffers (also inside a UTF-8 character); {@code \r\n} and {@code \n} both end a
 * line; several {@code data:} lines of one event are joined with {@code \n}; comments and other
 * fields are ignored. The terminal {@code [DONE]} is passed on as the string {@value #DONE}. One
 * decoder per stream; not thread-safe (Reactor delivers a stream's buffers serially).
 */
final class SseDecoder {

  static final String DONE = "[DONE]";

  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;

  /** The event data of {@code body}, decoded lazily per subscription. */
  static Flux<String> decode(Flux<ByteBuffer> body) {
    return Flux.defer(
        () -> {
          SseDecoder d = new SseDecoder();
          return body.concatMapIterable(d::feed)
              .concatWith(Flux.defer(() -> Flux.fromIterable(d.finish())));
        });
  }

  List<String> feed(ByteBuffer buffer) {
    List<String> out = new ArrayList<>(2);
    ByteBuffer b = buffer.duplicate();
    while (b.hasRemaining()) {
      byte c = b.get();
      if (c == '\n') {
        endLine(out);
      } else if (c != '\r') {
        line.write(c);
      }
    }
    return out;
  }

  /** What is left when the body ends (an event not followed by a blank line). */
  List<String> finish() {
    List<String> out = new ArrayList<>(1);
    if (line.size() > 0) {
      endLine(out);
    }
    if (hasData) {
      out.add(data.toString());
      data.setLength(0);
      hasData = false;
    }
    return out;
  }

  private void endLine(List<String> out) {
    String l = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (l.isEmpty()) {
      if (hasData) {
        out.add(data.toString());
        data.setLength(0);
        hasData = false;
      }
      return;
    }
    if (l.startsWith("data:")) {
      String v = l.substring(5);
      if (v.startsWith(" ")) {
        v = v.substring(1);
      }
      if (hasData) {
        data.append('\n');
      }
      data.append(v);
      hasData = true;
    }
  }
}
