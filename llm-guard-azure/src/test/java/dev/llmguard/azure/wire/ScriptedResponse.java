package dev.llmguard.azure.wire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * What the {@link AzureWireServer} answers to one request: a status, headers and either a body or a
 * list of server-sent events. Immutable once built through the static factories and {@code with…}
 * copies.
 */
public final class ScriptedResponse {

  final int status;
  final Map<String, String> headers;
  final byte[] body;
  final List<String> events;
  final boolean streamComplete;
  final int holdAfterEvents;
  final CountDownLatch gate;
  final Duration eventDelay;

  private ScriptedResponse(
      int status,
      Map<String, String> headers,
      byte[] body,
      List<String> events,
      boolean streamComplete,
      int holdAfterEvents,
      CountDownLatch gate,
      Duration eventDelay) {
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.body = body;
    this.events = events == null ? null : List.copyOf(events);
    this.streamComplete = streamComplete;
    this.holdAfterEvents = holdAfterEvents;
    this.gate = gate;
    this.eventDelay = eventDelay;
  }

  /** A JSON body read from {@code src/test/resources/azure/<fixture>}. */
  public static ScriptedResponse json(int status, String fixture) {
    return new ScriptedResponse(
        status,
        Map.of("Content-Type", "application/json"),
        Fixtures.bytes(fixture),
        null,
        true,
        -1,
        null,
        Duration.ZERO);
  }

  /** A JSON body cut after {@code keepBytes} bytes (a truncated answer). */
  public static ScriptedResponse truncatedJson(int status, String fixture, int keepBytes) {
    byte[] full = Fixtures.bytes(fixture);
    byte[] cut = java.util.Arrays.copyOf(full, Math.min(keepBytes, full.length));
    return new ScriptedResponse(
        status,
        Map.of("Content-Type", "application/json"),
        cut,
        null,
        true,
        -1,
        null,
        Duration.ZERO);
  }

  /**
   * A server-sent-event stream: every {@code data:} line of the fixture becomes one event, and the
   * stream ends with {@code data: [DONE]} if the fixture has it.
   */
  public static ScriptedResponse sse(String fixture) {
    String text = new String(Fixtures.bytes(fixture), StandardCharsets.UTF_8);
    List<String> events = new ArrayList<>();
    boolean done = false;
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      if (l.equals("data: [DONE]")) {
        done = true;
        continue;
      }
      events.add(l);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/event-stream");
    headers.put("Cache-Control", "no-cache");
    return new ScriptedResponse(200, headers, null, events, done, -1, null, Duration.ZERO);
  }

  /** This response with one more header. */
  public ScriptedResponse withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new ScriptedResponse(
        status, h, body, events, streamComplete, holdAfterEvents, gate, eventDelay);
  }

  /**
   * This stream, holding after {@code count} events until {@code gate} opens (at most 10 s), so a
   * test can prove the first chunks arrived before the rest was sent.
   */
  public ScriptedResponse holdAfter(int count, CountDownLatch gate) {
    return new ScriptedResponse(
        status, headers, body, events, streamComplete, count, gate, eventDelay);
  }

  /** This stream with a pause between events. */
  public ScriptedResponse withEventDelay(Duration delay) {
    return new ScriptedResponse(
        status, headers, body, events, streamComplete, holdAfterEvents, gate, delay);
  }

  /** Whether this is an event stream. */
  boolean isStream() {
    return events != null;
  }
}
