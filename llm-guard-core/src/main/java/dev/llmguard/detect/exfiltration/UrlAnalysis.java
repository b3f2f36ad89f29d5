package dev.llmguard.detect.exfiltration;

import java.util.List;
import java.util.Locale;

/**
 * Takes one URL apart in place (no copies unless a finding needs the host name) and says which
 * {@link Signal}s it raises. Immutable configuration; thread-safe.
 */
final class UrlAnalysis {

  /** The signals of one URL (a bit set of {@link Signal}) and the host's range, if any. */
  record Result(int signals, int hostStart, int hostEnd) {
    static final Result NONE = new Result(0, -1, -1);
    static final Result SCRIPT = new Result(Signal.SCRIPT_SCHEME.bit(), -1, -1);
    static final Result OBFUSCATED = new Result(Signal.OBFUSCATED_SCHEME.bit(), -1, -1);

    boolean has(Signal s) {
      return (signals & s.bit()) != 0;
    }
  }

  /** Shorter parameter values ({@code v=2}, {@code style=flat}) are not worth a signal. */
  static final int MIN_PARAMETER_VALUE = 8;

  private final List<String> allowedHosts;
  private final int longValue;

  /**
   * @param allowedHosts lower-case host suffixes that may receive data
   * @param longValue a query value at least this long is treated as data
   */
  UrlAnalysis(List<String> allowedHosts, int longValue) {
    this.allowedHosts = List.copyOf(allowedHosts);
    this.longValue = longValue;
  }

  Result analyse(String t, int start, int end, UrlKind kind) {
    int s = start;
    while (s < end && t.charAt(s) <= ' ') {
      s++;
    }
    if (s >= end) {
      return Result.NONE;
    }
    int colon = schemeEnd(t, s, end);
    if (colon > 0) {
      if (schemeIs(t, s, colon, "javascript") || schemeIs(t, s, colon, "vbscript")) {
        return Result.SCRIPT;
      }
      if (schemeIs(t, s, colon, "data")) {
        return result(dataUrl(t, colon + 1, end), -1, -1);
      }
    } else if (t.charAt(s) == '&' || t.charAt(s) == '%' || t.charAt(s) == '\\') {
      if (kind == UrlKind.HTML_FETCH || kind == UrlKind.HTML_LINK) {
        String decoded = decodeCharacterReferences(t, s, Math.min(end, s + 160));
        if (decoded.startsWith("javascript:") || decoded.startsWith("vbscript:")) {
          return Result.OBFUSCATED;
        }
      }
    }
    int authority;
    if (colon > 0 && colon + 2 < end && t.charAt(colon + 1) == '/' && t.charAt(colon + 2) == '/') {
      authority = colon + 3;
    } else if (colon < 0 && s + 1 < end && t.charAt(s) == '/' && t.charAt(s + 1) == '/') {
      authority = s + 2; // network-path reference: //host/path
    } else {
      return Result.NONE; // relative URL, mailto:, tel: …: nothing leaves by rendering
    }
    return hierarchical(t, authority, end, kind);
  }

  private Result hierarchical(String t, int authority, int end, UrlKind kind) {
    int signals = 0;
    int authEnd = authority;
    while (authEnd < end && "/?#\\".indexOf(t.charAt(authEnd)) < 0) {
      authEnd++;
    }
    int at = lastIndexOf(t, '@', authority, authEnd);
    int hostStart = authority;
    if (at >= 0) {
      int pw = indexOf(t, ':', authority, at);
      signals |= pw >= 0 && pw + 1 < at ? Signal.CREDENTIALS.bit() : Signal.USERINFO.bit();
      hostStart = at + 1;
    }
    int hostEnd;
    boolean ip;
    if (hostStart < authEnd && t.charAt(hostStart) == '[') {
      int close = indexOf(t, ']', hostStart, authEnd);
      hostEnd = close < 0 ? authEnd : close + 1;
      ip = true;
    } else {
      hostEnd = hostStart;
      while (hostEnd < authEnd && t.charAt(hostEnd) != ':') {
        hostEnd++;
      }
      ip = isIpv4Like(t, hostStart, hostEnd);
    }
    if (hostEnd <= hostStart) {
      return result(signals, -1, -1);
    }
    if (isAllowed(t, hostStart, hostEnd)) {
      return result(signals, hostStart, hostEnd);
    }
    if (ip) {
      signals |= Signal.IP_HOST.bit();
    } else if (hasPunycodeLabel(t, hostStart, hostEnd)) {
      signals |= Signal.PUNYCODE_HOST.bit();
    }
    int queryStart = indexOf(t, '?', authEnd, end);
    int fragment = indexOf(t, '#', authEnd, end);
    int pathEnd = queryStart >= 0 ? queryStart : fragment >= 0 ? fragment : end;
    if (pathCarriesData(t, authEnd, pathEnd)) {
      signals |= Signal.DATA_IN_PATH.bit();
    }
    if (queryStart >= 0) {
      int queryEnd = fragment > queryStart ? fragment : end;
      signals |= query(t, queryStart + 1, queryEnd);
    }
    return result(signals, hostStart, hostEnd);
  }

  /**
   * A URL without signals makes no finding, so its host is not needed; results without a host are
   * shared (one per signal set, made on first use), so neither allocates.
   */
  private static Result result(int signals, int hostStart, int hostEnd) {
    if (signals == 0) {
      return Result.NONE;
    }
    if (hostStart >= 0) {
      return new Result(signals, hostStart, hostEnd);
    }
    Result r = HOSTLESS.get(signals);
    if (r == null) {
      r = new Result(signals, -1, -1);
      HOSTLESS.set(signals, r);
    }
    return r;
  }

  /** Results without a host by signal set; racing threads store equal ones. */
  private static final java.util.concurrent.atomic.AtomicReferenceArray<Result> HOSTLESS =
      new java.util.concurrent.atomic.AtomicReferenceArray<>(1 << Signal.values().length);

  private int query(String t, int from, int to) {
    if (to - from >= 4 * longValue) {
      return Signal.DATA_IN_QUERY.bit() | Signal.PARAMETERS.bit();
    }
    int signals = 0;
    int p = from;
    while (p < to) {
      int q = p;
      while (q < to && t.charAt(q) != '&' && t.charAt(q) != ';') {
        q++;
      }
      int eq = indexOf(t, '=', p, q);
      int valueStart = eq >= 0 ? eq + 1 : p;
      if (q - valueStart >= MIN_PARAMETER_VALUE) {
        signals |= Signal.PARAMETERS.bit();
      }
      if (q > valueStart && looksLikeData(t, valueStart, q, longValue)) {
        signals |= Signal.DATA_IN_QUERY.bit();
      }
      p = q + 1;
    }
    return signals;
  }

  private static boolean pathCarriesData(String t, int from, int to) {
    int p = from;
    while (p < to) {
      int q = p;
      while (q < to && t.charAt(q) != '/') {
        q++;
      }
      if (q - p >= 16 && segmentLooksEncoded(t, p, q)) {
        return true;
      }
      p = q + 1;
    }
    return false;
  }

  /**
   * Whether a query value looks like data rather than a short identifier: long, percent- or
   * form-encoded text, or a base64/hex-looking token.
   */
  static boolean looksLikeData(String t, int from, int to, int longValue) {
    int len = to - from;
    if (len >= longValue) {
      return true;
    }
    if (len < 8) {
      return false;
    }
    int escapes = 0;
    int plus = 0;
    boolean token = true;
    boolean digit = false;
    boolean letter = false;
    for (int k = from; k < to; k++) {
      char c = t.charAt(k);
      if (c == '%' && k + 2 < to && isHex(t.charAt(k + 1)) && isHex(t.charAt(k + 2))) {
        escapes++;
      } else if (c == '+') {
        plus++;
      }
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (UrlScanner.isAsciiLetter(c)) {
        letter = true;
      } else if (c != '+' && c != '/' && c != '=' && c != '_' && c != '-') {
        token = false;
      }
    }
    return escapes >= 3 || plus >= 4 || (token && digit && letter && len >= 16);
  }

  /** A path segment that is encoded text or a long base64/hex blob, not a readable slug. */
  private static boolean segmentLooksEncoded(String t, int from, int to) {
    int escapes = 0;
    int digits = 0;
    int upper = 0;
    int lower = 0;
    int other = 0;
    for (int k = from; k < to; k++) {
      char c = t.charAt(k);
      if (c == '%' && k + 2 < to && isHex(t.charAt(k + 1)) && isHex(t.charAt(k + 2))) {
        escapes++;
      } else if (c >= '0' && c <= '9') {
        digits++;
      } else if (c >= 'A' && c <= 'Z') {
        upper++;
      } else if (c >= 'a' && c <= 'z') {
        lower++;
      } else if (c != '+' && c != '=' && c != '_' && c != '-') {
        other++;
      }
    }
    int len = to - from;
    if (escapes >= 3) {
      return true;
    }
    boolean base64 = other == 0 && digits > 0 && upper > 0 && lower > 0 && len >= 24;
    boolean hex = other == 0 && upper == 0 && digits >= 8 && len >= 32 && isHexRun(t, from, to);
    return base64 || hex;
  }

  private static boolean isHexRun(String t, int from, int to) {
    for (int k = from; k < to; k++) {
      if (!isHex(t.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  private static int dataUrl(String t, int from, int end) {
    int k = from;
    while (k < end && t.charAt(k) != ';' && t.charAt(k) != ',') {
      k++;
    }
    String media = t.substring(from, Math.min(k, from + 64)).strip().toLowerCase(Locale.ROOT);
    boolean passive = media.startsWith("image/") && !media.startsWith("image/svg");
    return passive ? Signal.DATA_URL.bit() : Signal.ACTIVE_DATA_URL.bit();
  }

  /**
   * End of the scheme ({@code :} position) or -1. Browsers drop tabs and line breaks inside a URL,
   * so {@code java\tscript:} is still a script URL; they are skipped here as well.
   */
  private static int schemeEnd(String t, int from, int end) {
    if (!UrlScanner.isAsciiLetter(t.charAt(from))) {
      return -1;
    }
    int limit = Math.min(end, from + 40);
    for (int k = from; k < limit; k++) {
      char c = t.charAt(k);
      if (c == ':') {
        return k;
      }
      if (!UrlScanner.isSchemeChar(c) && c != '\t' && c != '\n' && c != '\r') {
        return -1;
      }
    }
    return -1;
  }

  private static boolean schemeIs(String t, int from, int colon, String scheme) {
    int i = 0;
    for (int k = from; k < colon; k++) {
      char c = t.charAt(k);
      if (c == '\t' || c == '\n' || c == '\r') {
        continue;
      }
      if (i >= scheme.length() || (c | 0x20) != scheme.charAt(i)) {
        return false;
      }
      i++;
    }
    return i == scheme.length();
  }

  /** Decodes {@code &#106;}, {@code &#x6A;} and {@code %6A} in a short prefix, lower-cased. */
  static String decodeCharacterReferences(String t, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    int k = from;
    while (k < to) {
      char c = t.charAt(k);
      if (c == '&' && k + 2 < to && t.charAt(k + 1) == '#') {
        int j = k + 2;
        int radix = 10;
        if (j < to && (t.charAt(j) | 0x20) == 'x') {
          radix = 16;
          j++;
        }
        int v = 0;
        int digits = 0;
        while (j < to && digits < 7 && Character.digit(t.charAt(j), radix) >= 0) {
          v = v * radix + Character.digit(t.charAt(j), radix);
          digits++;
          j++;
        }
        if (digits > 0) {
          if (j < to && t.charAt(j) == ';') {
            j++;
          }
          sb.append((char) v);
          k = j;
          continue;
        }
      } else if (c == '%' && k + 2 < to && isHex(t.charAt(k + 1)) && isHex(t.charAt(k + 2))) {
        sb.append((char) Integer.parseInt(t.substring(k + 1, k + 3), 16));
        k += 3;
        continue;
      }
      if (c != '\t' && c != '\n' && c != '\r') {
        sb.append(c);
      }
      k++;
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  private boolean isAllowed(String t, int from, int to) {
    int end = to;
    while (end > from && t.charAt(end - 1) == '.') {
      end--; // a trailing dot names the same host
    }
    int len = end - from;
    for (String allowed : allowedHosts) {
      int n = allowed.length();
      if (len == n && t.regionMatches(true, from, allowed, 0, n)) {
        return true;
      }
      if (len > n
          && t.charAt(end - n - 1) == '.'
          && t.regionMatches(true, end - n, allowed, 0, n)) {
        return true;
      }
    }
    return false;
  }

  /** Dotted or plain decimal (IPv4 and its integer forms) or hexadecimal ({@code 0x7f.1}). */
  private static boolean isIpv4Like(String t, int from, int to) {
    boolean hex = to - from > 2 && t.charAt(from) == '0' && (t.charAt(from + 1) | 0x20) == 'x';
    boolean digit = false;
    for (int k = from; k < to; k++) {
      char c = t.charAt(k);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c == '.') {
        continue;
      } else if (!(hex && (isHex(c) || (c | 0x20) == 'x'))) {
        return false;
      }
    }
    return digit;
  }

  private static boolean hasPunycodeLabel(String t, int from, int to) {
    int k = from;
    while (k < to) {
      if (to - k >= 4 && t.regionMatches(true, k, "xn--", 0, 4)) {
        return true;
      }
      int dot = indexOf(t, '.', k, to);
      if (dot < 0) {
        return false;
      }
      k = dot + 1;
    }
    return false;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
  }

  private static int indexOf(String t, char c, int from, int to) {
    for (int k = from; k < to; k++) {
      if (t.charAt(k) == c) {
        return k;
      }
    }
    return -1;
  }

  private static int lastIndexOf(String t, char c, int from, int to) {
    for (int k = to - 1; k >= from; k--) {
      if (t.charAt(k) == c) {
        return k;
      }
    }
    return -1;
  }
}
