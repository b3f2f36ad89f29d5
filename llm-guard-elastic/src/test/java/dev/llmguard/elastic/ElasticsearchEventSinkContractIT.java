package dev.llmguard.elastic;

import dev.llmguard.elastic.testing.ElasticsearchExtension;
import dev.llmguard.elastic.testing.ElasticsearchServer;
import dev.llmguard.spi.EventSink;
import dev.llmguard.testkit.EventSinkContractTest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The core sink contract, run against a real Elasticsearch. */
@ExtendWith(ElasticsearchExtension.class)
class ElasticsearchEventSinkContractIT extends EventSinkContractTest {

  private static final AtomicInteger RUN = new AtomicInteger();
  private ElasticsearchServer es;

  @BeforeEach
  void server(ElasticsearchServer es) {
    this.es = es;
  }

  @Override
  protected EventSink createSink() throws Exception {
    return ElasticsearchEventSink.create(
        ElasticsearchSinkConfig.builder()
            .url(es.url())
            .namespace("contract" + RUN.incrementAndGet())
            .spoolPath(Files.createTempDirectory("contract-spool"))
            .build());
  }

  @Override
  protected List<String> storedEventIds(EventSink sink) {
    String ds = ((ElasticsearchEventSink) sink).config().dataStream();
    return new ArrayList<>(IndexedEvents.countsByEventId(es, ds).keySet());
  }

  @Override
  protected String providerId() {
    return ElasticsearchEventSinkProvider.ID;
  }
}
