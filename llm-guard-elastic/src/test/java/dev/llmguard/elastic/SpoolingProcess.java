package dev.llmguard.elastic;

import dev.llmguard.event.GuardEvent;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The "application" of {@link ReplayAfterKillIT}, run in its own JVM: publishes events to an
 * Elasticsearch that is not there, so they land in the spool, writes their ids to a file, prints
 * {@code SPOOLED} and waits to be killed.
 */
public final class SpoolingProcess {
  private SpoolingProcess() {}

  public static void main(String[] args) throws Exception {
    Path spool = Path.of(args[0]);
    Path idsFile = Path.of(args[1]);
    int count = Integer.parseInt(args[2]);
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    ElasticsearchEventSink sink =
        ElasticsearchEventSink.create(
            ElasticsearchSinkConfig.builder()
                .url("http://127.0.0.1:" + deadPort)
                .namespace("replay")
                .spoolPath(spool)
                .build());
    List<GuardEvent> events = TestEvents.copies("benign-chat", count);
    for (int i = 0; i < events.size(); i += 50) {
      sink.publish(events.subList(i, Math.min(events.size(), i + 50)));
    }
    long deadline = System.currentTimeMillis() + 30_000;
    while (sink.stats().spooled() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    Files.write(idsFile, TestEvents.ids(events));
    System.out.println("SPOOLED " + sink.stats().spooled());
    System.out.flush();
    Thread.sleep(600_000);
  }
}
