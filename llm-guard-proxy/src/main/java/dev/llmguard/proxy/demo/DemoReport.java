package dev.llmguard.proxy.demo;

import dev.llmguard.event.GuardEvent;
import java.util.List;
import java.util.Map;

/**
 * What the demo saw. Immutable.
 *
 * @param results one per scripted request, in order
 * @param detectionsByCategory triggered threat categories over all events, with counts
 * @param eventsEmitted events the guard produced
 * @param eventsDelivered events every sink accepted
 * @param sinkDescription where the events went (file path or data stream)
 * @param documentsIndexed documents found in Elasticsearch for the demo's requests, or {@code -1}
 *     without Elasticsearch
 * @param ruleHits for each shipped detection rule, the names of the demo requests it matched (empty
 *     without Elasticsearch)
 */
public record DemoReport(
    List<Result> results,
    Map<String, Long> detectionsByCategory,
    long eventsEmitted,
    long eventsDelivered,
    String sinkDescription,
    long documentsIndexed,
    Map<String, List<String>> ruleHits,
    List<String> modelReceived) {

  /**
   * The outcome of one request.
   *
   * @param name the scripted request's name
   * @param kind benign, malicious, sensitive …
   * @param endpoint where it was sent
   * @param requestId the {@code X-Request-Id} sent (also {@code labels.request_id})
   * @param status the HTTP status
   * @param verdict the strongest policy action, or {@code PROVIDER_BLOCK} / {@code ERROR}
   * @param categories triggered threat categories
   * @param errorCode {@code error.code} of an error answer, else {@code null}
   * @param answer the answer text (streamed answers reassembled), else {@code null}
   * @param sseEvents number of {@code data:} events of a streamed answer (0 otherwise)
   * @param event the recorded event, or {@code null} if none arrived
   */
  public record Result(
      String name,
      String kind,
      String endpoint,
      String requestId,
      int status,
      String verdict,
      List<String> categories,
      String errorCode,
      String answer,
      int sseEvents,
      GuardEvent event) {}

  /** The result of the request named {@code name}. */
  public Result result(String name) {
    for (Result r : results) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("No demo request named " + name);
  }
}
