package dev.llmguard.sink;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.event.GuardEvent;
import dev.llmguard.event.GuardEvents;
import dev.llmguard.spi.EventSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends each event as one line of JSON to a file, creating it (and its folder) if needed. Each
 * batch is written and flushed to the operating system before {@link #publish} returns.
 * Thread-safe.
 */
public final class JsonLinesFileSink implements EventSink {
  private final Path path;
  private BufferedWriter writer;

  /**
   * @throws GuardConfigurationException when the file cannot be opened for appending
   */
  public JsonLinesFileSink(Path path) {
    this.path = path.toAbsolutePath();
    try {
      Path parent = this.path.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      this.writer =
          Files.newBufferedWriter(
              this.path,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new GuardConfigurationException(
          "Cannot open event file " + this.path + " for appending: " + e.getMessage(), e);
    }
  }

  @Override
  public String id() {
    return "jsonl";
  }

  public Path path() {
    return path;
  }

  @Override
  public synchronized void publish(List<GuardEvent> events) throws IOException {
    if (writer == null) {
      throw new IOException("Event file " + path + " is closed");
    }
    for (GuardEvent e : events) {
      writer.write(GuardEvents.toJson(e));
      writer.write('\n');
    }
    writer.flush();
  }

  @Override
  public synchronized void flush() throws IOException {
    if (writer != null) {
      writer.flush();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }
}
