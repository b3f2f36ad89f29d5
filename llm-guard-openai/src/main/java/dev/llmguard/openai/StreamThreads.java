package dev.llmguard.openai;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Daemon threads for async streams of a client whose own stream-handler executor is unknown (a
 * client that is not the SDK's). Created on first use.
 */
final class StreamThreads {
  private static final AtomicLong COUNT = new AtomicLong();

  static final ExecutorService EXECUTOR =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "llm-guard-openai-stream-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  private StreamThreads() {}
}
