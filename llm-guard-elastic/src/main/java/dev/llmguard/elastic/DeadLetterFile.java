package dev.llmguard.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Where documents that Elasticsearch rejected for good (a mapping conflict, a malformed field) are
 * kept, one JSON line each: {@code {"@timestamp", "event_id", "status", "error": {"type",
 * "reason"}, "document"}}. Bounded: past its size a rejection is only counted and logged.
 * Thread-safe.
 */
final class DeadLetterFile implements AutoCloseable {

  private final Path path;
  private final long maxBytes;
  private final ObjectMapper mapper;
  private FileChannel channel;
  private long size;

  DeadLetterFile(Path path, long maxBytes, ObjectMapper mapper) {
    this.path = path;
    this.maxBytes = maxBytes;
    this.mapper = mapper;
  }

  Path path() {
    return path;
  }

  /**
   * Writes one rejection.
   *
   * @return {@code false} when the file is full and the entry was not written
   */
  synchronized boolean write(
      String eventId, int status, String errorType, String reason, byte[] doc) {
    ObjectNode line = mapper.createObjectNode();
    line.put("@timestamp", Instant.now().toString());
    line.put("event_id", eventId);
    line.put("status", status);
    ObjectNode error = line.putObject("error");
    error.put("type", errorType);
    error.put("reason", reason);
    try {
      JsonNode parsed = mapper.readTree(doc);
      line.set("document", parsed);
    } catch (IOException e) {
      line.put("document_raw", new String(doc, java.nio.charset.StandardCharsets.UTF_8));
    }
    try {
      byte[] bytes =
          (mapper.writeValueAsString(line) + "\n")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      FileChannel ch = channel();
      if (size + bytes.length > maxBytes) {
        return false;
      }
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      size += bytes.length;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write dead-letter file " + path, e);
    }
  }

  private FileChannel channel() throws IOException {
    if (channel == null) {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      size = channel.size();
    }
    return channel;
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        channel = null;
      }
    }
  }
}
