package dev.llmguard.detect.pii;

import java.util.List;

/**
 * Hand-written single-pass scanners for the structured entities. Each one looks for a cheap anchor
 * character (an {@code @}, a digit, a colon) and then walks a bounded distance, so the cost is
 * linear in the text length whatever the input; no regular expressions are involved.
 */
final class Scanners {
  private Scanners() {}

  private static final int MAX_LOCAL = 64;
  private static final int MAX_DOMAIN = 253;

  // ---------------------------------------------------------------- e-mail

  static void emails(String t, List<PiiMatch> out) {
    int n = t.length();
    int from = 0;
    for (int at = t.indexOf('@'); at >= 0; at = t.indexOf('@', Math.max(at + 1, from))) {
      int s = at;
      while (s > 0 && at - s < MAX_LOCAL && isLocalChar(t.charAt(s - 1))) {
        s--;
      }
      while (s < at && (t.charAt(s) == '.' || t.charAt(s) == '\'')) {
        s++;
      }
      if (s == at) {
        continue;
      }
      int e = at + 1;
      int lastDot = -1;
      while (e < n && e - at <= MAX_DOMAIN && isDomainChar(t.charAt(e))) {
        if (t.charAt(e) == '.') {
          if (t.charAt(e - 1) == '.' || e == at + 1) {
            break;
          }
          lastDot = e;
        }
        e++;
      }
      while (e > at + 1 && (t.charAt(e - 1) == '.' || t.charAt(e - 1) == '-')) {
        e--;
      }
      lastDot = t.lastIndexOf('.', e - 1);
      if (lastDot <= at) {
        continue;
      }
      if (lastDot < 0 || lastDot >= e - 1) {
        continue;
      }
      if (!isTld(t, lastDot + 1, e)) {
        continue;
      }
      out.add(new PiiMatch(PiiEntity.EMAIL, s, e, PiiEntity.EMAIL.baseScore()));
      from = e;
    }
  }

  private static boolean isLocalChar(char c) {
    return isAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
  }

  private static boolean isDomainChar(char c) {
    return isAsciiAlnum(c) || c == '-' || c == '.';
  }

  private static boolean isTld(String t, int s, int e) {
    if (e - s < 2 || e - s > 24) {
      return false;
    }
    if (t.startsWith("xn--", s)) {
      return true;
    }
    for (int i = s; i < e; i++) {
      if (!isAsciiLetter(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- digit groups (cards, SSN)

  /**
   * Payment cards: 12 to 19 digits, optionally in groups separated by one space or hyphen, not
   * glued to other digits or letters, passing the Luhn check and a known issuer range.
   */
  static void cards(String t, int from, int to, List<PiiMatch> out) {
    cards(t, from, to, out, new char[19]);
  }

  /** As {@link #cards(String, int, int, List)}, with a scratch array of at least 19 chars. */
  static void cards(String t, int from, int to, List<PiiMatch> out, char[] digits) {
    int n = t.length();
    int i = from;
    while (i < to) {
      char c = t.charAt(i);
      if (!isDigit(c) || (i > 0 && isWordChar(t.charAt(i - 1)))) {
        i++;
        continue;
      }
      int count = 0;
      int j = i;
      int end = i;
      char sep = 0;
      boolean tooLong = false;
      while (j < n) {
        char d = t.charAt(j);
        if (isDigit(d)) {
          if (count == 19) {
            tooLong = true;
            break;
          }
          digits[count++] = d;
          j++;
          end = j;
        } else if ((d == ' ' || d == '-') && j + 1 < n && isDigit(t.charAt(j + 1))) {
          if (sep != 0 && d != sep) {
            break;
          }
          sep = d;
          j++;
        } else {
          break;
        }
      }
      if (tooLong) {
        while (j < n && (isDigit(t.charAt(j)) || t.charAt(j) == ' ' || t.charAt(j) == '-')) {
          j++;
        }
        i = j;
        continue;
      }
      boolean boundary = end >= n || !isWordChar(t.charAt(end));
      if (boundary && count >= 12 && luhn(digits, count) && issuer(digits, count)) {
        double score = sep == 0 ? 0.9 : 0.95;
        out.add(new PiiMatch(PiiEntity.CREDIT_CARD, i, end, score));
      }
      i = Math.max(end, i + 1);
    }
  }

  static boolean luhn(char[] d, int len) {
    int sum = 0;
    boolean dbl = false;
    for (int k = len - 1; k >= 0; k--) {
      int v = d[k] - '0';
      if (dbl) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  /** Issuer (IIN) ranges with their lengths; a Luhn-valid number outside them is not a card. */
  static boolean issuer(char[] d, int len) {
    int p2 = num(d, 2);
    int p3 = num(d, 3);
    int p4 = num(d, 4);
    int p6 = len >= 6 ? num(d, 6) : -1;
    if (d[0] == '4') { // Visa
      return len == 13 || len == 16 || len == 19;
    }
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) { // Mastercard
      return len == 16;
    }
    if (p2 == 34 || p2 == 37) { // American Express
      return len == 15;
    }
    if (p4 >= 2200 && p4 <= 2204) { // Mir
      return len >= 16 && len <= 19;
    }
    if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925)) {
      return len >= 16 && len <= 19; // Discover
    }
    if ((p3 >= 300 && p3 <= 305) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39) {
      return len >= 14 && len <= 19; // Diners Club
    }
    if (p2 == 35) { // JCB (3528-3589) and co-branded 35 ranges
      return len >= 16 && len <= 19;
    }
    if (p4 == 1800 || p4 == 2131) { // JCB 15-digit
      return len == 15;
    }
    if (p2 == 62 || p2 == 81) { // UnionPay
      return len >= 16 && len <= 19;
    }
    if (p4 == 5018
        || p4 == 5020
        || p4 == 5038
        || p4 == 5893
        || p4 == 6304
        || p4 == 6759
        || (p4 >= 6761 && p4 <= 6763)
        || p4 == 604
        || p4 == 6390
        || (p2 >= 56 && p2 <= 58)) {
      return len >= 12 && len <= 19; // Maestro
    }
    return false;
  }

  private static int num(char[] d, int k) {
    int v = 0;
    for (int i = 0; i < k; i++) {
      v = v * 10 + (d[i] - '0');
    }
    return v;
  }

  /**
   * US social security numbers written {@code AAA-GG-SSSS} (or with spaces or dots, used
   * consistently), with the SSA validity rules: no area 000, 666 or 900–999, no group 00, no serial
   * 0000, and not the well-known specimen numbers.
   */
  static void ssns(String t, int from, int to, List<PiiMatch> out) {
    int n = t.length();
    for (int i = from; i < to && i + 11 <= n; i++) {
      if (!isDigit(t.charAt(i))) {
        continue;
      }
      if (i > 0 && (isWordChar(t.charAt(i - 1)) || isJoiner(t, i - 1))) {
        continue;
      }
      char sep = t.charAt(i + 3);
      if (!(sep == '-' || sep == ' ' || sep == '.')
          || t.charAt(i + 6) != sep
          || !digits(t, i, 3)
          || !digits(t, i + 4, 2)
          || !digits(t, i + 7, 4)) {
        continue;
      }
      int end = i + 11;
      if (end < n && (isWordChar(t.charAt(end)) || isJoiner(t, end))) {
        continue;
      }
      int area = Integer.parseInt(t, i, i + 3, 10);
      int group = Integer.parseInt(t, i + 4, i + 6, 10);
      int serial = Integer.parseInt(t, i + 7, i + 11, 10);
      if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
        continue;
      }
      if ((area == 78 && group == 5 && serial == 1120) || (area == 123 && group == 45)) {
        continue; // specimen numbers printed on sample cards
      }
      double score = sep == '-' ? 0.85 : 0.6;
      out.add(new PiiMatch(PiiEntity.US_SSN, i, end, score));
      i = end - 1;
    }
  }

  /** A separator followed by a digit continues a number: {@code 123-45-6789-1} is not an SSN. */
  private static boolean isJoiner(String t, int k) {
    char c = t.charAt(k);
    if (c != '-' && c != '.' && c != '/') {
      return false;
    }
    boolean before = k > 0 && isDigit(t.charAt(k - 1));
    boolean after = k + 1 < t.length() && isDigit(t.charAt(k + 1));
    return before || after;
  }

  static boolean digits(String t, int s, int len) {
    for (int k = s; k < s + len; k++) {
      if (!isDigit(t.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- IBAN

  /** IBAN length by country code, indexed {@code (first - 'A') * 26 + (second - 'A')}; 0 = none. */
  private static final byte[] IBAN_LENGTHS = new byte[26 * 26];

  static {
    String table =
        "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22"
            + " DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28"
            + " HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21"
            + " LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29"
            + " PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23"
            + " TN24 TR26 UA29 VA22 VG24 XK20 YE30";
    for (String e : table.split(" ")) {
      IBAN_LENGTHS[(e.charAt(0) - 'A') * 26 + (e.charAt(1) - 'A')] =
          (byte) Integer.parseInt(e.substring(2));
    }
  }

  /**
   * IBANs, compact or printed in groups of four separated by single spaces: the country code must
   * be known, the length must be that country's and the ISO 7064 mod-97 check must hold.
   */
  static void ibans(String t, int from, int to, List<PiiMatch> out) {
    int n = t.length();
    for (int i = from; i < to && i + 15 <= n; i++) {
      char a = t.charAt(i);
      if (a < 'A' || a > 'Z') {
        continue;
      }
      if (i > 0 && isWordChar(t.charAt(i - 1))) {
        continue;
      }
      char b = t.charAt(i + 1);
      if (b < 'A' || b > 'Z' || !isDigit(t.charAt(i + 2)) || !isDigit(t.charAt(i + 3))) {
        continue;
      }
      int len = IBAN_LENGTHS[(a - 'A') * 26 + (b - 'A')];
      if (len == 0) {
        continue;
      }
      // The mod-97 check moves the first four chars to the end: fold the others in as they come.
      int count = 0;
      int head = 0; // the first four chars' contributions, applied at the end
      int rem = 0;
      int j = i;
      int end = -1;
      while (j < n && count < len) {
        char c = t.charAt(j);
        if (isAsciiAlnum(c)) {
          char u = Character.toUpperCase(c);
          if (count < 4) {
            head = head * 128 + u; // four 7-bit chars fit an int
          } else {
            rem = mod97Step(rem, u);
          }
          count++;
          j++;
          if (count == len) {
            end = j;
          }
        } else if (c == ' ' && count % 4 == 0 && j + 1 < n && isAsciiAlnum(t.charAt(j + 1))) {
          j++;
        } else {
          break;
        }
      }
      if (end < 0 || (end < n && isWordChar(t.charAt(end)))) {
        continue;
      }
      for (int shift = 21; shift >= 0; shift -= 7) {
        rem = mod97Step(rem, (char) ((head >>> shift) & 0x7f));
      }
      if (rem == 1) {
        out.add(new PiiMatch(PiiEntity.IBAN_CODE, i, end, PiiEntity.IBAN_CODE.baseScore()));
        i = end - 1;
      }
    }
  }

  /** The ISO 7064 remainder after appending {@code c}, an ASCII digit or capital letter. */
  private static int mod97Step(int rem, char c) {
    return c <= '9' ? (rem * 10 + (c - '0')) % 97 : (rem * 100 + (c - 'A' + 10)) % 97;
  }

  static boolean mod97(CharSequence iban) {
    int rem = 0;
    int len = iban.length();
    for (int k = 0; k < len; k++) {
      char c = iban.charAt((k + 4) % len);
      if (isDigit(c)) {
        rem = (rem * 10 + (c - '0')) % 97;
      } else if (c >= 'A' && c <= 'Z') {
        rem = (rem * 100 + (c - 'A' + 10)) % 97;
      } else {
        return false;
      }
    }
    return rem == 1;
  }

  // ---------------------------------------------------------------- IP addresses

  static void ipv4(String t, int from, int to, List<PiiMatch> out) {
    int n = t.length();
    for (int i = from; i < to; i++) {
      if (!isDigit(t.charAt(i))) {
        continue;
      }
      if (i > 0) {
        char p = t.charAt(i - 1);
        if (isWordChar(p) || p == '.' || p == ':') {
          while (i < n && (isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
          }
          continue;
        }
      }
      int end = ipv4End(t, i);
      if (end < 0) {
        while (i + 1 < n && (isDigit(t.charAt(i + 1)) || t.charAt(i + 1) == '.')) {
          i++;
        }
        continue;
      }
      boolean trailing =
          end < n
              && (isWordChar(t.charAt(end))
                  || (t.charAt(end) == '.' && end + 1 < n && isDigit(t.charAt(end + 1))));
      if (!trailing) {
        out.add(new PiiMatch(PiiEntity.IP_ADDRESS, i, end, ipv4Score(t, i, end)));
      }
      i = end;
    }
  }

  /** End of a dotted quad starting at {@code s}, or -1. */
  static int ipv4End(String t, int s) {
    int n = t.length();
    int j = s;
    for (int part = 0; part < 4; part++) {
      int v = 0;
      int digits = 0;
      while (j < n && isDigit(t.charAt(j)) && digits < 4) {
        v = v * 10 + (t.charAt(j) - '0');
        digits++;
        j++;
      }
      if (digits == 0 || digits > 3 || v > 255) {
        return -1;
      }
      if (part < 3) {
        if (j >= n || t.charAt(j) != '.') {
          return -1;
        }
        j++;
      }
    }
    return j;
  }

  private static double ipv4Score(String t, int s, int e) {
    String ip = t.substring(s, e);
    if (ip.startsWith("10.")
        || ip.startsWith("127.")
        || ip.startsWith("192.168.")
        || ip.startsWith("0.")
        || ip.startsWith("169.254.")) {
      return 0.3; // private, loopback and link-local addresses say little about a person
    }
    return PiiEntity.IP_ADDRESS.baseScore();
  }

  /** IPv6 in full or compressed form, optionally ending in a dotted quad. */
  static void ipv6(String t, List<PiiMatch> out) {
    int n = t.length();
    int from = 0;
    for (int colon = t.indexOf(':');
        colon >= 0;
        colon = t.indexOf(':', Math.max(colon + 1, from))) {
      if (colon < from) {
        continue;
      }
      int s = colon;
      while (s > 0 && colon - s < 5 && (isHex(t.charAt(s - 1)) || t.charAt(s - 1) == ':')) {
        s--;
      }
      if (s > 0 && (isWordChar(t.charAt(s - 1)) || t.charAt(s - 1) == ':')) {
        from = colon + 1;
        continue;
      }
      int e = colon;
      while (e < n
          && e - s < 45
          && (isHex(t.charAt(e)) || t.charAt(e) == ':' || t.charAt(e) == '.')) {
        e++;
      }
      while (e > s
          && (t.charAt(e - 1) == '.' || (t.charAt(e - 1) == ':' && !t.startsWith("::", e - 2)))) {
        e--;
      }
      if (e < n && isWordChar(t.charAt(e))) {
        from = e;
        continue;
      }
      if (validIpv6(t.substring(s, e))) {
        out.add(new PiiMatch(PiiEntity.IP_ADDRESS, s, e, PiiEntity.IP_ADDRESS.baseScore()));
      }
      from = Math.max(e, colon + 1);
    }
  }

  static boolean validIpv6(String s) {
    if (s.length() < 6) {
      return false;
    }
    int dc = s.indexOf("::");
    if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
      return false;
    }
    String[] parts = s.split(":", -1);
    int groups = 0;
    boolean hasDigit = false;
    for (int k = 0; k < parts.length; k++) {
      String p = parts[k];
      if (p.isEmpty()) {
        continue;
      }
      if (k == parts.length - 1 && p.indexOf('.') >= 0) {
        if (ipv4End(p, 0) != p.length()) {
          return false;
        }
        groups += 2;
        hasDigit = true;
        continue;
      }
      if (p.length() > 4) {
        return false;
      }
      for (int c = 0; c < p.length(); c++) {
        char ch = p.charAt(c);
        if (!isHex(ch)) {
          return false;
        }
        hasDigit |= isDigit(ch);
      }
      groups++;
    }
    if (!hasDigit) {
      return false;
    }
    return dc >= 0 ? groups >= 2 && groups <= 7 : groups == 8;
  }

  // ---------------------------------------------------------------- chars

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isDigitInt(int c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isAsciiAlnum(char c) {
    return isDigit(c) || isAsciiLetter(c);
  }

  static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Letters and digits of any script, and the underscore, glue tokens together. */
  static boolean isWordChar(char c) {
    return c < 128 ? isAsciiAlnum(c) || c == '_' : Character.isLetterOrDigit(c);
  }
}
