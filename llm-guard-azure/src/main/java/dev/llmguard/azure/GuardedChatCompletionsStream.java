package dev.llmguard.azure;

import com.azure.ai.openai.models.ChatCompletions;
import com.azure.core.util.IterableStream;
import dev.llmguard.ChatStream;
import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The streamed answer of {@link GuardedOpenAIClient#getChatCompletionsStream}: an {@link
 * IterableStream} like the SDK's, which can also be closed. Iterate it once, with {@link
 * #iterator()} or {@link #stream()}.
 *
 * <p>Close it (try-with-resources, or close the {@link #stream()}) when you stop reading before the
 * end: that releases the connection and records the guard's event at once. A stream read to its end
 * needs no close. One left unclosed and unreachable is closed when the garbage collector finds it,
 * so its event is recorded late rather than never. Not thread-safe: one consumer.
 */
public final class GuardedChatCompletionsStream extends IterableStream<ChatCompletions>
    implements AutoCloseable {

  private static final Cleaner CLEANER = Cleaner.create();

  private final ChatStream guarded;
  private final GuardedCall call;
  private final Cleaner.Cleanable cleanable;
  private boolean iterated;

  GuardedChatCompletionsStream(ChatStream guarded, GuardedCall call) {
    super(java.util.List.of());
    this.guarded = guarded;
    this.call = call;
    this.cleanable = CLEANER.register(this, new CloseAction(guarded));
  }

  /**
   * @throws IllegalStateException when called a second time
   */
  @Override
  public Iterator<ChatCompletions> iterator() {
    if (iterated) {
      throw new IllegalStateException("A chat completions stream can be iterated once");
    }
    iterated = true;
    return new DropIn.EventIterator(guarded, call, this);
  }

  /** The events as a sequential stream; closing it closes this. */
  @Override
  public Stream<ChatCompletions> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false)
        .onClose(this::close);
  }

  /** Stops reading: releases the connection and records the event. Idempotent. */
  @Override
  public void close() {
    cleanable.clean();
  }

  /** Holds no reference to the stream object itself, so the cleaner can run. */
  private record CloseAction(ChatStream guarded) implements Runnable {
    @Override
    public void run() {
      guarded.close();
    }
  }
}
