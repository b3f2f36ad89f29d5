package dev.llmguard.event;

import java.util.UUID;

/**
 * Event ids: time-ordered UUIDs (RFC 9562 version 7). The first 48 bits are the Unix time in
 * milliseconds, the remaining 74 bits are random (from {@link UUID#randomUUID()}, a secure random
 * source), so ids stay unique across processes and are never guessable from one another.
 *
 * <p>Ordered ids matter downstream: the event id is the Elasticsearch document id, and ids that
 * share a time prefix keep the index's id lookups local (a random UUID touches a different part of
 * the terms dictionary for every document), which makes de-duplicating {@code create} operations
 * markedly cheaper for the server.
 *
 * <p>Thread-safe.
 */
public final class EventIds {

  private EventIds() {}

  /** A new version-7 UUID string, e.g. {@code 019abc12-3f4e-7a1b-9c2d-3e4f5a6b7c8d}. */
  public static String next() {
    return next(System.currentTimeMillis()).toString();
  }

  /** A version-7 UUID for {@code epochMillis} with fresh random bits. */
  static UUID next(long epochMillis) {
    UUID random = UUID.randomUUID(); // version 4: variant bits already set as RFC 9562 asks
    long msb =
        (epochMillis & 0xFFFF_FFFF_FFFFL) << 16
            | 0x7000L
            | random.getMostSignificantBits() & 0x0FFFL;
    return new UUID(msb, random.getLeastSignificantBits());
  }
}
