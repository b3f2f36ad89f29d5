package dev.llmguard.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmguard.elastic.testing.ElasticsearchServer;
import dev.llmguard.event.GuardEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads back what landed in a data stream, independently of the sink: the number of documents per
 * {@code event.id} (a composite aggregation, exact at any size).
 */
final class IndexedEvents {
  private IndexedEvents() {}

  static Map<String, Long> countsByEventId(ElasticsearchServer es, String dataStream) {
    ElasticsearchServer.RestResponse refresh =
        es.request("POST", "/" + dataStream + "/_refresh", null);
    Map<String, Long> counts = new LinkedHashMap<>();
    if (refresh.status() == 404) {
      return counts;
    }
    JsonNode after = null;
    while (true) {
      ObjectNode body = GuardEvents.mapper().createObjectNode();
      body.put("size", 0);
      ObjectNode composite = body.putObject("aggs").putObject("ids").putObject("composite");
      composite.put("size", 10_000);
      composite
          .putArray("sources")
          .addObject()
          .putObject("id")
          .putObject("terms")
          .put("field", "event.id");
      if (after != null) {
        composite.set("after", after);
      }
      ElasticsearchServer.RestResponse r =
          es.request("POST", "/" + dataStream + "/_search", body.toString());
      if (!r.ok()) {
        throw new IllegalStateException("search failed: " + r.status() + " " + r.body());
      }
      JsonNode agg = read(r.body()).path("aggregations").path("ids");
      for (JsonNode b : agg.path("buckets")) {
        counts.put(b.path("key").path("id").asText(), b.path("doc_count").asLong());
      }
      if (agg.path("buckets").size() < 10_000 || !agg.has("after_key")) {
        return counts;
      }
      after = agg.get("after_key");
    }
  }

  static long count(ElasticsearchServer es, String dataStream) {
    es.request("POST", "/" + dataStream + "/_refresh", null);
    ElasticsearchServer.RestResponse r = es.request("GET", "/" + dataStream + "/_count", null);
    if (r.status() == 404) {
      return 0;
    }
    return read(r.body()).path("count").asLong();
  }

  static JsonNode read(String json) {
    try {
      return GuardEvents.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
