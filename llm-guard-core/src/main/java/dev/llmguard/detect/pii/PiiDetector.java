package dev.llmguard.detect.pii;

import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds personal data with exact UTF-16 char spans: e-mail addresses, phone numbers (validated by
 * libphonenumber), payment card numbers (Luhn and issuer ranges), IBANs (country length and
 * mod-97), US social security numbers (SSA validity rules) and IPv4/IPv6 addresses. Each finding
 * has category {@link Category#SENSITIVE_INFORMATION} and names its {@link PiiEntity} as {@link
 * Finding#entity()}, which the redactor turns into placeholders such as {@code [EMAIL_1]}. Messages
 * never contain the value found.
 *
 * <pre>{@code
 * Detector pii = new PiiDetectorProvider()
 *     .create(DetectorConfig.of("pii", Map.of("entities", "EMAIL,PHONE_NUMBER", "default-region", "DE")));
 * }</pre>
 *
 * <p>Immutable and thread-safe. Cost is linear in the text length: every scanner walks from a cheap
 * anchor character a bounded distance.
 */
public final class PiiDetector implements Detector {
  /** The detector id, {@value}. */
  public static final String ID = "pii";

  private static final Set<Phase> PHASES = Set.of(Phase.PROMPT, Phase.RESPONSE);

  private final EnumSet<PiiEntity> entities;
  private final PhoneScanner phones;

  PiiDetector(Set<PiiEntity> entities, List<String> phoneRegions) {
    this.entities = EnumSet.copyOf(entities);
    this.phones = new PhoneScanner(phoneRegions);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Phase> phases() {
    return PHASES;
  }

  /** The entity types this instance reports. */
  public Set<PiiEntity> entities() {
    return java.util.Collections.unmodifiableSet(entities);
  }

  /**
   * What a scan reuses, per thread: the list of candidate matches, the phone scanner's state and
   * the card digit buffer. A list that grew past {@value #RETAINED_MATCHES} matches is dropped
   * after the scan, so a text full of numbers pins no large array.
   */
  private static final class Scratch {
    ArrayList<PiiMatch> matches = new ArrayList<>();
    final PhoneScanner.ScanState phones = new PhoneScanner.ScanState();
    final char[] cardDigits = new char[19];
    boolean busy;

    /** The most matches the list held in this scan (its capacity is at least that). */
    int peak;

    void release() {
      if (Math.max(peak, matches.size()) > RETAINED_MATCHES) {
        matches = new ArrayList<>();
      } else {
        matches.clear();
      }
      phones.reset();
      peak = 0;
      busy = false;
    }
  }

  /** Matches whose list a thread keeps between scans. */
  static final int RETAINED_MATCHES = 256;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  @Override
  public List<Finding> detect(ScanInput input) {
    String t = input.text();
    if (t.isEmpty()) {
      return List.of();
    }
    Scratch scratch = SCRATCH.get();
    if (scratch.busy) {
      scratch = new Scratch(); // a scan within a scan on this thread: nothing shared
    }
    scratch.busy = true;
    try {
      List<PiiMatch> matches = scratch.matches;
      if (entities.contains(PiiEntity.EMAIL)) {
        Scanners.emails(t, matches);
      }
      if (entities.contains(PiiEntity.IP_ADDRESS)) {
        Scanners.ipv6(t, matches);
      }
      scanDigitClusters(t, matches, scratch);
      scratch.peak = matches.size();
      if (matches.isEmpty()) {
        return List.of();
      }
      return toFindings(resolveOverlaps(matches));
    } finally {
      scratch.release();
    }
  }

  /**
   * Every other entity contains digits: find each cluster of digits and separators once, and run
   * the scanners only around it, so text without numbers costs one pass.
   */
  private void scanDigitClusters(String t, List<PiiMatch> matches, Scratch scratch) {
    int n = t.length();
    PhoneScanner.ScanState phoneState = scratch.phones;
    char[] cardDigits = scratch.cardDigits;
    int i = 0;
    while (i < n) {
      while (i < n && !Scanners.isDigit(t.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int s = i;
      int digits = 0;
      while (i < n) {
        char c = t.charAt(i);
        if (Scanners.isDigit(c)) {
          digits++;
        } else if (!(isSeparator(c) && i + 1 < n && Scanners.isDigit(t.charAt(i + 1)))) {
          break;
        }
        i++;
      }
      // look a few chars back for '+' and '('
      int from = Math.max(0, s - 4);
      int to = i;
      // An IBAN starts with two capital letters and two digits; the cluster's first digit follows
      // a non-digit, so the only place such a start can sit is two chars before the cluster.
      if (s >= 2
          && isCapital(t.charAt(s - 2))
          && isCapital(t.charAt(s - 1))
          && entities.contains(PiiEntity.IBAN_CODE)) {
        Scanners.ibans(t, s - 2, s - 1, matches);
      }
      // A card, an SSN and a dotted quad lie inside one cluster (their separators are the
      // cluster's), so a cluster with too few digits cannot hold one; IBANs and phone numbers
      // may reach beyond it.
      if (digits >= 12 && entities.contains(PiiEntity.CREDIT_CARD)) {
        Scanners.cards(t, s, to, matches, cardDigits);
      }
      if (digits >= 9 && entities.contains(PiiEntity.US_SSN)) {
        Scanners.ssns(t, s, to, matches);
      }
      if (digits >= 4 && entities.contains(PiiEntity.IP_ADDRESS)) {
        Scanners.ipv4(t, s, to, matches);
      }
      if (entities.contains(PiiEntity.PHONE_NUMBER)) {
        phones.scan(t, from, to, matches, phoneState);
      }
      i = Math.max(i, s + 1);
    }
  }

  private static boolean isCapital(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
  }

  /** Earlier entity kinds first (checksummed ones first, phone numbers last), then longer. */
  private static final Comparator<PiiMatch> PRECEDENCE =
      Comparator.comparingInt((PiiMatch m) -> priority(m.entity()))
          .thenComparingInt(m -> -(m.end() - m.start()))
          .thenComparingInt(PiiMatch::start);

  private static final Comparator<PiiMatch> BY_START = Comparator.comparingInt(PiiMatch::start);

  /**
   * Keeps one entity per stretch of text: earlier entity kinds (checksummed ones first, phone
   * numbers last) win over later ones, then longer over shorter. Sorts {@code matches} in place.
   */
  private static List<PiiMatch> resolveOverlaps(List<PiiMatch> matches) {
    matches.sort(PRECEDENCE);
    int kept = 0; // matches[0, kept) are kept; compacted in place
    for (int i = 0; i < matches.size(); i++) {
      PiiMatch m = matches.get(i);
      boolean clash = false;
      for (int j = 0; j < kept; j++) {
        PiiMatch k = matches.get(j);
        if (m.start() < k.end() && k.start() < m.end()) {
          clash = true;
          break;
        }
      }
      if (!clash) {
        matches.set(kept++, m);
      }
    }
    for (int last = matches.size() - 1; last >= kept; last--) {
      matches.remove(last);
    }
    matches.sort(BY_START);
    return matches;
  }

  private static int priority(PiiEntity e) {
    switch (e) {
      case EMAIL:
        return 0;
      case IBAN_CODE:
        return 1;
      case CREDIT_CARD:
        return 2;
      case US_SSN:
        return 3;
      case IP_ADDRESS:
        return 4;
      default:
        return 5;
    }
  }

  /** Each entity's finding metadata: immutable, so every finding of that entity shares it. */
  private static final Map<PiiEntity, Map<String, String>> METADATA = metadataByEntity();

  private static Map<PiiEntity, Map<String, String>> metadataByEntity() {
    Map<PiiEntity, Map<String, String>> m = new EnumMap<>(PiiEntity.class);
    for (PiiEntity e : PiiEntity.values()) {
      m.put(e, Map.of(Finding.ENTITY, e.name()));
    }
    return m;
  }

  /**
   * The findings, built directly rather than through {@link Finding.Builder}: a text full of
   * numbers has thousands, and each then costs its record, its span and the span's list.
   */
  private List<Finding> toFindings(List<PiiMatch> matches) {
    Finding[] out = new Finding[matches.size()];
    for (int i = 0; i < out.length; i++) {
      PiiMatch m = matches.get(i);
      out[i] =
          new Finding(
              ID,
              Category.SENSITIVE_INFORMATION,
              m.score(),
              m.score() >= 0.85 ? Confidence.HIGH : Confidence.MEDIUM,
              List.of(new Span(m.start(), m.end())),
              m.entity().label(),
              METADATA.get(m.entity()));
    }
    return out.length == 1
        ? List.of(out[0])
        : out.length == 2
            ? List.of(out[0], out[1])
            : Collections.unmodifiableList(Arrays.asList(out));
  }
}
