package dev.llmguard.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The record of one guarded exchange, shaped as the Elasticsearch document of DESIGN.md §4 (ECS and
 * OpenTelemetry GenAI names). Immutable; serialise with {@link GuardEvents#mapper()}. Content
 * fields are redacted by default before the event is built, so an event never carries a detected
 * secret unless the application opted out.
 *
 * @param timestamp {@code @timestamp}, ISO-8601 instant of the start of the exchange
 * @param event the ECS {@code event.*} fields
 * @param dataStream {@code data_stream.*}
 * @param service {@code service.*}
 * @param labels {@code labels.*} (request labels plus configured ones)
 * @param user {@code user.id}, may be {@code null}
 * @param session {@code session.id}, may be {@code null}
 * @param genAi the {@code gen_ai.*} fields
 * @param rule {@code rule.*} for the highest triggered finding, or {@code null}
 * @param threat {@code threat.framework}, set when a threat was detected
 * @param error {@code error.*} when the delegate failed, else {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuardEvent(
    @JsonProperty("@timestamp") String timestamp,
    @JsonProperty("event") Event event,
    @JsonProperty("data_stream") DataStream dataStream,
    @JsonProperty("service") Service service,
    @JsonProperty("labels") Map<String, String> labels,
    @JsonProperty("user") Id user,
    @JsonProperty("session") Id session,
    @JsonProperty("gen_ai") GenAi genAi,
    @JsonProperty("rule") Rule rule,
    @JsonProperty("threat") Threat threat,
    @JsonProperty("error") Error error) {

  /** The event id ({@code event.id}), also the Elasticsearch document id. */
  public String id() {
    return event.id();
  }

  /** ECS {@code event.*}. Durations are nanoseconds, as ECS defines {@code event.duration}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Event(
      @JsonProperty("id") String id,
      @JsonProperty("kind") String kind,
      @JsonProperty("category") List<String> category,
      @JsonProperty("type") List<String> type,
      @JsonProperty("outcome") String outcome,
      @JsonProperty("action") String action,
      @JsonProperty("dataset") String dataset,
      @JsonProperty("module") String module,
      @JsonProperty("ingested") String ingested,
      @JsonProperty("duration") Long duration,
      @JsonProperty("risk_score") Double riskScore,
      @JsonProperty("severity") Integer severity,
      @JsonProperty("reason") String reason) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DataStream(
      @JsonProperty("type") String type,
      @JsonProperty("dataset") String dataset,
      @JsonProperty("namespace") String namespace) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Service(
      @JsonProperty("name") String name, @JsonProperty("version") String version) {}

  /** An object with only an {@code id} ({@code user.id}, {@code session.id}). */
  public record Id(@JsonProperty("id") String id) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rule(
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("ruleset") String ruleset) {}

  public record Threat(@JsonProperty("framework") String framework) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Error(
      @JsonProperty("type") String type,
      @JsonProperty("message") String message,
      @JsonProperty("code") String code) {}

  /** The {@code gen_ai.*} tree. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GenAi(
      @JsonProperty("provider") Provider provider,
      @JsonProperty("operation") Name operation,
      @JsonProperty("request") Request request,
      @JsonProperty("response") Response response,
      @JsonProperty("usage") TokenUsage usage,
      @JsonProperty("conversation") Id conversation,
      @JsonProperty("prompt") String prompt,
      @JsonProperty("prompt_hash") String promptHash,
      @JsonProperty("completion") String completion,
      @JsonProperty("completion_hash") String completionHash,
      @JsonProperty("security") Security security,
      @JsonProperty("policy") PolicyFields policy,
      @JsonProperty("compliance") Compliance compliance,
      @JsonProperty("threat") ThreatFields threat,
      @JsonProperty("owasp") Owasp owasp,
      @JsonProperty("analysis") Analysis analysis,
      @JsonProperty("performance") Performance performance,
      @JsonProperty("provider_filter") Map<String, FilterFields> providerFilter) {}

  public record Provider(@JsonProperty("name") String name) {}

  public record Name(@JsonProperty("name") String name) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Request(@JsonProperty("model") String model) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Response(
      @JsonProperty("model") String model,
      @JsonProperty("id") String id,
      @JsonProperty("finish_reasons") List<String> finishReasons,
      @JsonProperty("error_code") String errorCode) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TokenUsage(
      @JsonProperty("input_tokens") Long inputTokens,
      @JsonProperty("output_tokens") Long outputTokens) {}

  public record Security(
      @JsonProperty("prompt_injection_score") double promptInjectionScore,
      @JsonProperty("jailbreak_score") double jailbreakScore,
      @JsonProperty("refusal_score") double refusalScore) {}

  public record PolicyFields(
      @JsonProperty("name") List<String> name,
      @JsonProperty("action") List<String> action,
      @JsonProperty("confidence") List<String> confidence,
      @JsonProperty("violation") boolean violation) {}

  public record Compliance(
      @JsonProperty("violation_detected") boolean violationDetected,
      @JsonProperty("violation_code") List<String> violationCode) {}

  public record ThreatFields(
      @JsonProperty("detected") boolean detected,
      @JsonProperty("category") List<String> category,
      @JsonProperty("risk_score") double riskScore) {}

  public record Owasp(@JsonProperty("id") List<String> id) {}

  public record Analysis(@JsonProperty("findings") List<FindingFields> findings) {}

  /** One finding as stored in the event; {@code spans} are {@code [start, end)} pairs. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record FindingFields(
      @JsonProperty("detector") String detector,
      @JsonProperty("category") String category,
      @JsonProperty("phase") String phase,
      @JsonProperty("score") double score,
      @JsonProperty("confidence") String confidence,
      @JsonProperty("triggered") boolean triggered,
      @JsonProperty("action") String action,
      @JsonProperty("spans") List<int[]> spans,
      @JsonProperty("message") String message,
      @JsonProperty("metadata") Map<String, String> metadata) {}

  public record Performance(
      @JsonProperty("request_size") long requestSize,
      @JsonProperty("response_size") long responseSize,
      @JsonProperty("response_time") long responseTime,
      @JsonProperty("guard_time") long guardTime) {}

  /** {@code gen_ai.provider_filter.<category>.*}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FilterFields(
      @JsonProperty("filtered") Boolean filtered,
      @JsonProperty("severity") String severity,
      @JsonProperty("detected") Boolean detected,
      @JsonProperty("source") String source) {}
}
