package dev.llmguard;

import java.util.Iterator;
import java.util.List;

/**
 * A streamed answer: iterate it once, close it always (try-with-resources). Closing early releases
 * the connection. Not thread-safe: one consumer. The guarded stream hands over the delegate's own
 * {@link ChatChunk} instances, unchanged, so backends may match them by identity.
 *
 * <pre>{@code
 * try (ChatStream stream = client.stream(request)) {
 *   for (ChatChunk chunk : stream) {
 *     System.out.print(chunk.delta());
 *   }
 * }
 * }</pre>
 */
public interface ChatStream extends Iterable<ChatChunk>, AutoCloseable {

  /** Closes the stream; idempotent; never throws a checked exception. */
  @Override
  void close();

  /** A stream over fixed chunks (scripted clients, tests). */
  static ChatStream of(List<ChatChunk> chunks) {
    return fromIterator(chunks.iterator(), () -> {});
  }

  /** A stream over an iterator, running {@code onClose} once when closed. */
  static ChatStream fromIterator(Iterator<ChatChunk> iterator, Runnable onClose) {
    return new ChatStream() {
      private boolean closed;

      @Override
      public Iterator<ChatChunk> iterator() {
        return iterator;
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          onClose.run();
        }
      }
    };
  }
}
