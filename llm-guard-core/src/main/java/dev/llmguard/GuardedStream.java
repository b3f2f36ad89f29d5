package dev.llmguard;

import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A guarded stream: passes chunks on as they arrive, scans a sliding window of the accumulated
 * answer before each chunk is handed over, cuts the stream when a finding blocks, and emits the
 * event exactly once when the stream ends, fails or is closed.
 */
final class GuardedStream implements ChatStream {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedStream.class);

  private final Exchange exchange;
  private final ChatStream upstream;
  private final Iterator<ChatChunk> source;
  private final Exchange.StreamState state = new Exchange.StreamState();
  private final Map<String, Finding> findings = new LinkedHashMap<>();
  private ChatChunk pending;
  private boolean finished;
  private boolean closed;
  private boolean iteratorTaken;
  private RuntimeException terminal;

  GuardedStream(Exchange exchange, ChatStream upstream) {
    this.exchange = exchange;
    this.upstream = upstream;
    Iterator<ChatChunk> it;
    try {
      it = upstream.iterator();
    } catch (RuntimeException e) {
      exchange.emitStream(state, null, false, "failure", e, null);
      closeUpstream();
      throw e;
    }
    this.source = it;
  }

  @Override
  public Iterator<ChatChunk> iterator() {
    if (iteratorTaken) {
      throw new IllegalStateException("A ChatStream can be iterated only once");
    }
    iteratorTaken = true;
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return advance();
      }

      @Override
      public ChatChunk next() {
        if (!advance()) {
          throw new NoSuchElementException("The stream has ended");
        }
        ChatChunk c = pending;
        pending = null;
        return c;
      }
    };
  }

  private boolean advance() {
    if (pending != null) {
      return true;
    }
    if (terminal != null) {
      throw terminal;
    }
    if (finished || closed) {
      return false;
    }
    ChatChunk next;
    try {
      if (!source.hasNext()) {
        finish();
        return false;
      }
      next = source.next();
    } catch (RuntimeException | Error e) {
      finished = true;
      exchange.delegateEndNanos = System.nanoTime();
      exchange.emitStream(state, verdict(), false, "failure", e, null);
      closeUpstream();
      throw e;
    }
    absorb(next);
    Verdict v = scanWindow(next.delta().length());
    if (v.isBlocked()) {
      finished = true;
      exchange.delegateEndNanos = System.nanoTime();
      exchange.emitStream(
          state,
          v,
          false,
          "failure",
          null,
          "stream cut by policy after " + state.chunks + " chunks");
      closeUpstream();
      terminal = new GuardrailViolationException(v, exchange.eventId);
      throw terminal;
    }
    pending = next;
    return true;
  }

  private void absorb(ChatChunk c) {
    state.chunks++;
    if (c.id() != null) {
      state.id = c.id();
    }
    if (c.model() != null) {
      state.model = c.model();
    }
    if (c.finishReason() != null) {
      state.finishReason = c.finishReason();
    }
    if (c.usage() != null && c.usage().isKnown()) {
      state.usage = c.usage();
    }
    state.filters.addAll(c.providerFilters());
    state.text.append(c.delta());
  }

  private Verdict scanWindow(int added) {
    long t0 = System.nanoTime();
    int len = state.text.length();
    if (added > 0 && !exchange.guard.responseDetectors.isEmpty()) {
      int from = Math.max(0, len - added - exchange.guard.streamWindowChars);
      String window = state.text.substring(from);
      for (Finding f :
          exchange.guard.runner.run(
              exchange.guard.responseDetectors, exchange.responseInput(window))) {
        merge(f.shifted(from));
      }
    }
    for (Finding f : Exchange.providerFindings(state.filters)) {
      merge(f);
    }
    Verdict v = verdict();
    exchange.guardNanos += System.nanoTime() - t0;
    return v;
  }

  private void merge(Finding f) {
    String key =
        f.detectorId()
            + '|'
            + f.category()
            + '|'
            + f.spans()
            + '|'
            + f.metadata().get("provider_category");
    findings.merge(key, f, (a, b) -> a.score() >= b.score() ? a : b);
  }

  private Verdict verdict() {
    return exchange.decide(Phase.RESPONSE, new ArrayList<>(findings.values()), "", false);
  }

  private void finish() {
    finished = true;
    exchange.delegateEndNanos = System.nanoTime();
    long t0 = System.nanoTime();
    // One last scan over the whole answer: detectors that need all of it (leaks, refusals) see it.
    if (state.text.length() > exchange.guard.streamWindowChars) {
      for (Finding f :
          exchange.guard.runner.run(
              exchange.guard.responseDetectors, exchange.responseInput(state.text.toString()))) {
        merge(f);
      }
    }
    Verdict v = verdict();
    exchange.guardNanos += System.nanoTime() - t0;
    boolean providerBlocked =
        "content_filter".equals(state.finishReason) || Exchange.anyFiltered(state.filters);
    String note = null;
    String outcome = v.isBlocked() ? "failure" : "success";
    if (state.finishReason == null) {
      note =
          "stream ended without a finish reason after "
              + state.chunks
              + " chunks (connection closed early?)";
      outcome = "failure";
      LOG.warn("Event {}: {}", exchange.eventId, note);
    }
    exchange.emitStream(state, v, providerBlocked, outcome, null, note);
    closeUpstream();
    if (v.isBlocked()) {
      terminal = new GuardrailViolationException(v, exchange.eventId);
      throw terminal;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!finished) {
      exchange.delegateEndNanos = System.nanoTime();
      exchange.emitStream(
          state,
          verdict(),
          false,
          "unknown",
          null,
          "stream closed by the caller after " + state.chunks + " chunks");
    }
    closeUpstream();
  }

  private boolean upstreamClosed;

  private void closeUpstream() {
    if (upstreamClosed) {
      return;
    }
    upstreamClosed = true;
    try {
      upstream.close();
    } catch (RuntimeException e) {
      LOG.warn("Closing the delegate's stream failed: {}", e.toString());
    }
  }

  List<Finding> findingsSoFar() {
    return List.copyOf(findings.values());
  }
}
