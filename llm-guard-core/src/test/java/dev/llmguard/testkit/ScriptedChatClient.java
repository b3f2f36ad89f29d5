package dev.llmguard.testkit;

import dev.llmguard.ChatChunk;
import dev.llmguard.ChatClient;
import dev.llmguard.ChatRequest;
import dev.llmguard.ChatResponse;
import dev.llmguard.ChatStream;
import dev.llmguard.Usage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An in-process {@link ChatClient} for tests: answers with a function of the request, records every
 * request it received, streams answers in fixed-size chunks. Thread-safe.
 */
public final class ScriptedChatClient implements ChatClient {
  private final Function<ChatRequest, String> answer;
  private final List<ChatRequest> received = new CopyOnWriteArrayList<>();
  private volatile RuntimeException failWith;
  private volatile int chunkSize = 4;
  private volatile boolean omitFinishReason;
  private volatile int failAfterChunks = -1;
  private final AtomicBoolean streamClosed = new AtomicBoolean();

  public ScriptedChatClient(Function<ChatRequest, String> answer) {
    this.answer = answer;
  }

  /** Always answers {@code text}. */
  public static ScriptedChatClient answering(String text) {
    return new ScriptedChatClient(r -> text);
  }

  public ScriptedChatClient failingWith(RuntimeException e) {
    this.failWith = e;
    return this;
  }

  public ScriptedChatClient chunkSize(int size) {
    this.chunkSize = size;
    return this;
  }

  /** Streams end without a finish reason, as when a connection closes before {@code [DONE]}. */
  public ScriptedChatClient omitFinishReason() {
    this.omitFinishReason = true;
    return this;
  }

  /** The stream throws after this many chunks. */
  public ScriptedChatClient failAfterChunks(int n) {
    this.failAfterChunks = n;
    return this;
  }

  public List<ChatRequest> received() {
    return received;
  }

  public boolean streamClosed() {
    return streamClosed.get();
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    received.add(request);
    if (failWith != null) {
      throw failWith;
    }
    String text = answer.apply(request);
    return ChatResponse.of("resp-" + received.size(), "scripted-1", text, "stop", Usage.of(10, 20));
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    received.add(request);
    if (failWith != null) {
      throw failWith;
    }
    String text = answer.apply(request);
    List<ChatChunk> chunks = new ArrayList<>();
    for (int i = 0; i < text.length(); i += chunkSize) {
      chunks.add(
          new ChatChunk(
              "resp-s",
              "scripted-1",
              0,
              text.substring(i, Math.min(text.length(), i + chunkSize)),
              null,
              null,
              List.of()));
    }
    if (!omitFinishReason) {
      chunks.add(new ChatChunk("resp-s", "scripted-1", 0, "", "stop", Usage.of(10, 20), List.of()));
    }
    Iterator<ChatChunk> base = chunks.iterator();
    int failAt = failAfterChunks;
    Iterator<ChatChunk> it =
        new Iterator<>() {
          int n;

          @Override
          public boolean hasNext() {
            if (failAt >= 0 && n >= failAt) {
              throw new IllegalStateException("connection reset by scripted peer");
            }
            return base.hasNext();
          }

          @Override
          public ChatChunk next() {
            n++;
            return base.next();
          }
        };
    return ChatStream.fromIterator(it, () -> streamClosed.set(true));
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    CompletableFuture<ChatResponse> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(chat(request));
              } catch (RuntimeException e) {
                f.completeExceptionally(e);
              }
            },
            "scripted-provider");
    t.setDaemon(true);
    t.start();
    return f;
  }

  @Override
  public String providerName() {
    return "scripted";
  }
}
