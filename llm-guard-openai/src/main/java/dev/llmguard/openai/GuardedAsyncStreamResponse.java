package dev.llmguard.openai;

import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * A guarded stream handed to one subscriber, with the SDK's {@link AsyncStreamResponse} contract:
 * subscribe at most once; the handler gets every released chunk, then {@code onComplete} with the
 * failure (the SDK's exception, or {@link dev.llmguard.GuardrailViolationException} when the policy
 * blocked) or empty; {@link #onCompleteFuture()} completes after the handler; {@link #close()}
 * stops it and releases the connection. Thread-safe.
 */
final class GuardedAsyncStreamResponse<T> implements AsyncStreamResponse<T> {
  private enum State {
    NEW,
    SUBSCRIBED,
    CLOSED
  }

  private final CompletableFuture<StreamResponse<T>> opened;
  private final Executor defaultExecutor;
  private final CompletableFuture<Void> onComplete = new CompletableFuture<>();
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

  GuardedAsyncStreamResponse(
      CompletableFuture<StreamResponse<T>> opened, Executor defaultExecutor) {
    this.opened = opened;
    this.defaultExecutor = defaultExecutor;
    opened.whenComplete(
        (s, error) -> {
          // A failure to open completes the future even when nobody subscribed.
          if (error != null && state.get() != State.CLOSED) {
            onComplete.completeExceptionally(unwrap(error));
          }
        });
  }

  @Override
  public AsyncStreamResponse<T> subscribe(AsyncStreamResponse.Handler<? super T> handler) {
    return subscribe(handler, defaultExecutor);
  }

  @Override
  public AsyncStreamResponse<T> subscribe(
      AsyncStreamResponse.Handler<? super T> handler, Executor executor) {
    if (!state.compareAndSet(State.NEW, State.SUBSCRIBED)) {
      throw new IllegalStateException(
          state.get() == State.SUBSCRIBED
              ? "Cannot subscribe more than once"
              : "Cannot subscribe after the response is closed");
    }
    opened.whenCompleteAsync(
        (stream, openError) -> {
          if (state.get() == State.CLOSED) {
            return;
          }
          if (openError != null) {
            handler.onComplete(Optional.of(unwrap(openError)));
            return;
          }
          Throwable streamError = null;
          try (Stream<T> chunks = stream.stream()) {
            chunks.forEach(handler::onNext);
          } catch (Throwable t) {
            streamError = t;
          }
          try {
            handler.onComplete(Optional.ofNullable(streamError));
          } finally {
            if (streamError == null) {
              onComplete.complete(null);
            } else {
              onComplete.completeExceptionally(streamError);
            }
            close();
          }
        },
        executor);
    return this;
  }

  @Override
  public CompletableFuture<Void> onCompleteFuture() {
    return onComplete;
  }

  @Override
  public void close() {
    if (state.getAndSet(State.CLOSED) == State.CLOSED) {
      return;
    }
    opened.whenComplete(
        (stream, error) -> {
          if (stream != null) {
            stream.close();
          }
        });
    onComplete.complete(null);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
