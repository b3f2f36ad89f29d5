package dev.llmguard.openai;

import com.openai.core.http.StreamResponse;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The SDK's chunks, each handed over when the engine releases the core chunk made from it (after
 * scanning the answer so far). A blocking finding ends the stream with {@link
 * dev.llmguard.GuardrailViolationException}. One consumer; {@link #close()} is idempotent.
 */
final class GuardedStreamResponse<T> implements StreamResponse<T> {
  private final ChatStream guarded;
  private final Queue<T> sdkChunks;

  /**
   * @param sdkChunks where the delegate puts the SDK chunk of each core chunk it yields, in order
   */
  GuardedStreamResponse(ChatStream guarded, Queue<T> sdkChunks) {
    this.guarded = guarded;
    this.sdkChunks = sdkChunks;
  }

  @Override
  public Stream<T> stream() {
    Iterator<ChatChunk> chunks = guarded.iterator();
    Iterator<T> sdk =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return chunks.hasNext();
          }

          @Override
          public T next() {
            chunks.next();
            // The delegate queued one SDK chunk per core chunk, in order.
            T c = sdkChunks.poll();
            if (c == null) {
              throw new NoSuchElementException("No SDK chunk for the released chunk");
            }
            return c;
          }
        };
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(sdk, Spliterator.ORDERED), false)
        .onClose(this::close);
  }

  @Override
  public void close() {
    guarded.close();
  }
}
