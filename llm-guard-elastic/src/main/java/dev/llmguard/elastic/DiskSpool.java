package dev.llmguard.elastic;

import dev.llmguard.GuardConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A bounded, append-only store of events on disk that survives a restart of the application. Events
 * are kept in numbered segment files ({@code segment-<n>.ndjson}, one {@code id TAB json} line per
 * event) and read back oldest segment first. A segment is deleted only after every event in it was
 * acknowledged, so a crash during replay re-sends a segment; the {@code create} action with the
 * event id as document id makes that harmless.
 *
 * <p>One process owns a spool folder at a time ({@code spool.lock}). Thread-safe: every method is
 * synchronized; appends are short (one {@code write} per batch, no fsync).
 */
final class DiskSpool implements AutoCloseable {

  /** A segment rolls over once it holds this many bytes. */
  static final long SEGMENT_BYTES = 4L * 1024 * 1024;

  private static final String PREFIX = "segment-";
  private static final String SUFFIX = ".ndjson";

  private final Path dir;
  private final long maxBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;

  /** Sealed and active segments by number, with their sizes. */
  private final TreeMap<Long, Long> segments = new TreeMap<>();

  private long totalBytes;
  private long nextNumber;
  private FileChannel active;
  private long activeNumber = -1;

  /** An event read back from the spool. */
  record Record(String id, byte[] json) {}

  /** All records of one sealed segment. */
  record Segment(long number, List<Record> records, int unreadable) {}

  /**
   * Opens (creating if needed) the spool in {@code dir}.
   *
   * @throws GuardConfigurationException when the folder cannot be used or another process holds it
   */
  DiskSpool(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    try {
      Files.createDirectories(dir);
      lockChannel =
          FileChannel.open(
              dir.resolve("spool.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        lockChannel.close();
        throw new GuardConfigurationException(
            "Spool folder "
                + dir
                + " is in use by another sink; give each sink its own spool.path");
      }
      lock = l;
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Long n = segmentNumber(p);
          if (n != null) {
            long size = Files.size(p);
            if (size == 0) {
              Files.delete(p);
              continue;
            }
            segments.put(n, size);
            totalBytes += size;
          }
        }
      }
      nextNumber = segments.isEmpty() ? 1 : segments.lastKey() + 1;
    } catch (IOException e) {
      throw new GuardConfigurationException("Cannot open spool folder " + dir + ": " + e, e);
    }
  }

  /**
   * Appends records; those that would take the spool over its bound are not written.
   *
   * @return how many of {@code records} were written, in order
   */
  synchronized int append(List<Record> records) {
    if (records.isEmpty()) {
      return 0;
    }
    List<ByteBuffer> buffers = new ArrayList<>(records.size());
    long bytes = 0;
    int accepted = 0;
    for (Record r : records) {
      byte[] id = r.id().getBytes(StandardCharsets.UTF_8);
      int len = id.length + 1 + r.json().length + 1;
      if (totalBytes + bytes + len > maxBytes) {
        break;
      }
      ByteBuffer b = ByteBuffer.allocate(len);
      b.put(id).put((byte) '\t').put(r.json()).put((byte) '\n').flip();
      buffers.add(b);
      bytes += len;
      accepted++;
    }
    if (accepted == 0) {
      return 0;
    }
    try {
      FileChannel ch = activeChannel();
      ByteBuffer[] arr = buffers.toArray(new ByteBuffer[0]);
      long left = bytes;
      while (left > 0) {
        left -= ch.write(arr);
      }
      segments.merge(activeNumber, bytes, Long::sum);
      totalBytes += bytes;
      if (segments.get(activeNumber) >= SEGMENT_BYTES) {
        seal();
      }
      return accepted;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write to spool " + dir, e);
    }
  }

  /** Whether nothing is spooled. */
  synchronized boolean isEmpty() {
    return segments.isEmpty();
  }

  synchronized long bytes() {
    return totalBytes;
  }

  synchronized int segmentCount() {
    return segments.size();
  }

  /**
   * Seals the active segment if needed and reads the oldest segment, or returns {@code null} when
   * the spool is empty. A torn last line (a crash in the middle of a write) is counted as
   * unreadable and skipped.
   */
  synchronized Segment oldest() {
    if (segments.isEmpty()) {
      return null;
    }
    long n = segments.firstKey();
    if (n == activeNumber) {
      seal();
    }
    Path file = segmentPath(n);
    try {
      byte[] all = Files.readAllBytes(file);
      List<Record> out = new ArrayList<>();
      int unreadable = 0;
      int start = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == '\n') {
          Record r = parse(all, start, i);
          if (r == null) {
            unreadable++;
          } else {
            out.add(r);
          }
          start = i + 1;
        }
      }
      if (start < all.length) {
        unreadable++;
      }
      return new Segment(n, out, unreadable);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read spool segment " + file, e);
    }
  }

  /** Removes a segment whose every record was acknowledged. */
  synchronized void delete(long number) {
    Long size = segments.remove(number);
    if (size == null) {
      return;
    }
    totalBytes -= size;
    try {
      Files.deleteIfExists(segmentPath(number));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete spool segment " + number + " in " + dir, e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      seal();
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close spool " + dir, e);
    }
  }

  private FileChannel activeChannel() throws IOException {
    if (active == null) {
      activeNumber = nextNumber++;
      active =
          FileChannel.open(
              segmentPath(activeNumber),
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
      segments.put(activeNumber, 0L);
    }
    return active;
  }

  private void seal() {
    if (active == null) {
      return;
    }
    try {
      active.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close spool segment in " + dir, e);
    } finally {
      active = null;
      if (Long.valueOf(0L).equals(segments.get(activeNumber))) {
        segments.remove(activeNumber);
        try {
          Files.deleteIfExists(segmentPath(activeNumber));
        } catch (IOException ignored) {
          // an empty segment left behind is removed at the next start
        }
      }
      activeNumber = -1;
    }
  }

  private Path segmentPath(long n) {
    return dir.resolve(String.format("%s%020d%s", PREFIX, n, SUFFIX));
  }

  private static Long segmentNumber(Path p) {
    String name = p.getFileName().toString();
    if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
      return null;
    }
    try {
      return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Record parse(byte[] all, int start, int end) {
    for (int i = start; i < end; i++) {
      if (all[i] == '\t') {
        if (i == start || end - i < 3 || all[i + 1] != '{' || all[end - 1] != '}') {
          return null;
        }
        String id = new String(all, start, i - start, StandardCharsets.UTF_8);
        byte[] json = new byte[end - i - 1];
        System.arraycopy(all, i + 1, json, 0, json.length);
        return new Record(id, json);
      }
    }
    return null;
  }
}
