package dev.llmguard.openai;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.llmguard.ChatChunk;
import dev.llmguard.ChatStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The SDK's chunks, each handed over when the engine releases the core chunk made from it (after
 * scanning the answer so far). A blocking finding ends the stream with {@link
 * dev.llmguard.GuardrailViolationException}. One consumer; {@link #close()} is idempotent.
 */
final class GuardedStreamResponse implements StreamResponse<ChatCompletionChunk> {
  private final ChatStream guarded;
  private final OpenAiCall call;

  GuardedStreamResponse(ChatStream guarded, OpenAiCall call) {
    this.guarded = guarded;
    this.call = call;
  }

  @Override
  public Stream<ChatCompletionChunk> stream() {
    Iterator<ChatChunk> chunks = guarded.iterator();
    Iterator<ChatCompletionChunk> sdk =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return chunks.hasNext();
          }

          @Override
          public ChatCompletionChunk next() {
            chunks.next();
            // The delegate queued one SDK chunk per core chunk, in order.
            ChatCompletionChunk c = call.chunks.poll();
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
