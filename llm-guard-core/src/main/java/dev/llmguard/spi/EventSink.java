package dev.llmguard.spi;

import dev.llmguard.event.GuardEvent;
import java.io.IOException;
import java.util.List;

/**
 * Where events go (Elasticsearch, a file, a log). Called only from the {@code EventDispatcher}'s
 * own thread, never from the application's, one batch at a time; implementations must still be safe
 * to {@link #flush} and {@link #close} from another thread. A sink that throws from {@link
 * #publish} has that batch counted as failed; the dispatcher goes on with the next batch.
 */
public interface EventSink extends AutoCloseable {

  /** A short name for logs and counters ({@code jsonl}, {@code elasticsearch}). */
  String id();

  /** Takes a batch of events; may buffer them. */
  void publish(List<GuardEvent> events) throws Exception;

  /** Delivers (or durably stores) everything taken so far. */
  default void flush() throws IOException {}

  /** Flushes and releases resources; idempotent. */
  @Override
  default void close() throws IOException {
    flush();
  }
}
