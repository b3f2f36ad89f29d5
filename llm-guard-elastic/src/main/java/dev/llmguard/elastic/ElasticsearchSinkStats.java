package dev.llmguard.elastic;

/**
 * A snapshot of an {@link ElasticsearchEventSink}'s counters. Counters only grow over the sink's
 * life; gauges ({@code pending}, {@code spoolBytes}) show the present.
 *
 * @param queued events handed to the sink by {@code publish}
 * @param delivered events Elasticsearch acknowledged (created, or already there from an earlier
 *     attempt), live or replayed
 * @param retried document re-sends after a {@code 429} or {@code 5xx} answer
 * @param spooled events written to the disk spool (Elasticsearch unreachable, slow or refusing)
 * @param replayed spooled events delivered later (also by a later sink over the same spool)
 * @param deadLettered events rejected for good and written to the dead-letter file
 * @param dropped events lost because the spool was full (the only way an event is lost)
 * @param pending events held in memory right now
 * @param spoolBytes bytes in the spool right now
 * @param state the sink's connection state
 */
public record ElasticsearchSinkStats(
    long queued,
    long delivered,
    long retried,
    long spooled,
    long replayed,
    long deadLettered,
    long dropped,
    long pending,
    long spoolBytes,
    ElasticsearchEventSink.State state) {}
