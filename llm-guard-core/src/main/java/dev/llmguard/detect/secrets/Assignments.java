package dev.llmguard.detect.secrets;

import dev.llmguard.detect.text.CharSweep;
import java.util.List;
import java.util.Locale;

/**
 * Generic {@code name = value} secrets: {@code password = "…"}, {@code api_key: …}, {@code
 * "client_secret": "…"}, {@code SECRET_TOKEN := …}, {@code if (password == "…")} and the reversed
 * comparison. Finds assignment operators in one pass, reads the identifier to the left and the
 * literal to the right (each a bounded distance) and keeps the value only if the identifier names a
 * credential and the value is neither a placeholder nor code nor low-entropy text.
 */
final class Assignments {
  private static final int MAX_NAME = 64;
  private static final int MAX_VALUE = 256;

  private final double minEntropy;

  Assignments(double minEntropy) {
    this.minEntropy = minEntropy;
  }

  void scan(String t, List<Candidate> out) {
    int n = t.length();
    // String.indexOf is vectorised; jumping between anchors beats testing every char (a search
    // for one char most: the "--" is swept for by its dash, see CharSweep.indexOf)
    int eq = t.indexOf('=');
    int colon = t.indexOf(':');
    int dash = CharSweep.indexOf(t, "--", 0, 0);
    int i = 0;
    while (true) {
      if (eq >= 0 && eq < i) {
        eq = t.indexOf('=', i);
      }
      if (colon >= 0 && colon < i) {
        colon = t.indexOf(':', i);
      }
      if (dash >= 0 && dash < i) {
        dash = CharSweep.indexOf(t, "--", 0, i);
      }
      int k = min(min(eq, colon), dash);
      if (k < 0) {
        return;
      }
      if (k == dash) {
        int next = Math.max(k + 1, flag(t, k, out) + 1);
        while (next < n && t.charAt(next) == '-') {
          next++; // the rest of a run of dashes starts no flag
        }
        i = next;
        continue;
      }
      // the whole operator: = == === != !== := ::= ?= => : and so on
      int opStart = k;
      while (opStart > 0 && k - opStart < 3 && isOpChar(t.charAt(opStart - 1))) {
        opStart--;
      }
      int opEnd = k + 1;
      while (opEnd < n && opEnd - opStart < 4 && isOpChar(t.charAt(opEnd))) {
        opEnd++;
      }
      i = opEnd;
      while (i < n && isOpChar(t.charAt(i))) {
        i++; // a longer run of operator chars (====, ::::) is decoration, not an assignment
      }
      if (i > opEnd) {
        continue;
      }
      String op = operator(t, opStart, opEnd);
      if (op.equals("::") || op.contains("::") && !op.endsWith("=")) {
        continue; // C++ scopes, IPv6
      }
      if (op.equals(":") && !yamlOrJsonColon(t, opStart, opEnd)) {
        continue; // maven:coordinates, host:port, scheme:rest
      }
      boolean comparison = op.startsWith("==") || op.startsWith("!=");
      if (!tryForward(t, opStart, opEnd, op, out) && comparison) {
        tryReversed(t, opStart, opEnd, out);
      }
    }
  }

  private static final String[] OPERATORS = {
    "=", ":", "==", "!=", ":=", "=>", "===", "!==", "?=", "::", "::=", "=:", "!", "?", ">"
  };

  /** The operator text, a shared constant where it is a common one (no allocation). */
  private static String operator(String t, int s, int e) {
    for (String op : OPERATORS) {
      if (op.length() == e - s && t.startsWith(op, s)) {
        return op;
      }
    }
    return t.substring(s, e);
  }

  /** The smaller of two indexes, ignoring -1. */
  private static int min(int a, int b) {
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }

  /**
   * A command-line flag followed by its value: {@code --api-key 3f9…}, {@code --password "…"}.
   * Returns the index to continue from.
   */
  private int flag(String t, int i, List<Candidate> out) {
    int n = t.length();
    if (i + 3 >= n
        || t.charAt(i + 1) != '-'
        || (i > 0 && !Character.isWhitespace(t.charAt(i - 1)))) {
      return i;
    }
    int s = i + 2;
    int k = s;
    while (k < n && k - s < MAX_NAME && isNameChar(t.charAt(k))) {
      k++;
    }
    if (k == s || k + 1 >= n || t.charAt(k) != ' ') {
      return k - 1;
    }
    Keyword kw = Keyword.mayNameCredential(t, s, k) ? Keyword.classify(t, s, k) : null;
    if (kw != null && t.charAt(k + 1) != '-') {
      long value = readValue(t, k + 1);
      if (value >= 0) {
        accept(t, value, kw, out);
      }
    }
    return k - 1;
  }

  /** {@code key: value} (YAML, headers) or {@code "key":"value"} (JSON). */
  private static boolean yamlOrJsonColon(String t, int opStart, int opEnd) {
    if (opEnd < t.length() && " \t\"'`".indexOf(t.charAt(opEnd)) >= 0) {
      return true;
    }
    if (opStart > 0 && (t.charAt(opStart - 1) == '"' || t.charAt(opStart - 1) == '\'')) {
      return true;
    }
    // name:value with nothing around the colon: fine unless the name is dotted (a package, a host)
    int k = opStart;
    while (k > 0 && opStart - k < 64 && isNameChar(t.charAt(k - 1))) {
      k--;
    }
    return k < opStart && !contains(t, k, opStart, '.') && (k == 0 || t.charAt(k - 1) != '/');
  }

  private static boolean isOpChar(char c) {
    return c == '=' || c == ':' || c == '!' || c == '?' || c == '>';
  }

  /** {@code name <op> value}. */
  private boolean tryForward(String t, int opStart, int opEnd, String op, List<Candidate> out) {
    int k = opStart;
    while (k > 0 && opStart - k < 4 && (t.charAt(k - 1) == ' ' || t.charAt(k - 1) == '\t')) {
      k--;
    }
    // "name": / name[]= / 'name' =>
    while (k > 0
        && opStart - k < 8
        && (t.charAt(k - 1) == '"'
            || t.charAt(k - 1) == '\''
            || t.charAt(k - 1) == ']'
            || t.charAt(k - 1) == '[')) {
      k--;
    }
    int nameEnd = k;
    while (k > 0 && nameEnd - k < MAX_NAME && isNameChar(t.charAt(k - 1))) {
      k--;
    }
    if (k == nameEnd || !Keyword.mayNameCredential(t, k, nameEnd)) {
      return false;
    }
    Keyword kw = Keyword.classify(t, k, nameEnd);
    if (kw == null) {
      return false;
    }
    long value = readValue(t, opEnd);
    if (value < 0) {
      return false;
    }
    boolean quoted = startOf(value) - 1 >= opEnd && isQuote(t.charAt(startOf(value) - 1));
    if (!quoted && op.equals("=>")) {
      return false; // key => bare_word is a hash entry whose value is an expression
    }
    if (!quoted && endsStatement(t, endOf(value)) && spaced(t, opStart, opEnd)) {
      return false; // name = expression; in C-like code: a literal would be quoted
    }
    return accept(t, value, kw, out);
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'' || c == '`';
  }

  /** A {@code ;} that ends the line: the value is the last thing in a statement. */
  private static boolean endsStatement(String t, int e) {
    if (e >= t.length() || t.charAt(e) != ';') {
      return false;
    }
    return e + 1 == t.length() || t.charAt(e + 1) == '\n' || t.charAt(e + 1) == '\r';
  }

  private static boolean spaced(String t, int opStart, int opEnd) {
    return opStart > 0
        && t.charAt(opStart - 1) == ' '
        && opEnd < t.length()
        && t.charAt(opEnd) == ' ';
  }

  // ------------------------------------------------------------------ quoted literals

  /**
   * Literals that follow a credential name without an assignment operator: a call or constructor
   * ({@code secret("…")}, {@code token.assign("…")}), a declaration ({@code password "…";}) and a
   * name/value argument pair ({@code getenv("api_token", "…")}).
   */
  void scanLiterals(String t, List<Candidate> out) {
    scanLiterals(t, '"', out);
    scanLiterals(t, '\'', out);
  }

  private void scanLiterals(String t, char q, List<Candidate> out) {
    int n = t.length();
    int k = t.indexOf(q);
    while (k >= 0 && k + 1 < n) {
      int next = k + 1;
      char before = k > 0 ? t.charAt(k - 1) : 0;
      if (before == '(') {
        literalAfterName(t, k - 1, k, false, out);
      } else if (before == ' ' && k > 1) {
        char b2 = t.charAt(k - 2);
        if (isNameChar(b2)) {
          literalAfterName(t, k - 1, k, true, out);
        } else if (b2 == ',') {
          literalAfterPair(t, k - 2, k, q, out);
        }
      } else if (before == ',') {
        literalAfterPair(t, k - 1, k, q, out);
      }
      k = t.indexOf(q, next);
    }
  }

  /** {@code name(} or {@code name } at {@code [.., nameEnd)}, then the literal at {@code quote}. */
  private void literalAfterName(
      String t, int nameEnd, int quote, boolean declaration, List<Candidate> out) {
    int s = nameEnd;
    while (s > 0 && nameEnd - s < MAX_NAME && isNameChar(t.charAt(s - 1))) {
      s--;
    }
    if (s == nameEnd || !Keyword.mayNameCredential(t, s, nameEnd)) {
      return;
    }
    if (declaration
        && s > 0
        && !Character.isWhitespace(t.charAt(s - 1))
        && t.charAt(s - 1) != '{') {
      return;
    }
    long value = closedLiteral(t, quote);
    if (value < 0) {
      return;
    }
    if (declaration && !endsStatement(t, endOf(value) + 1) && endOf(value) + 1 != t.length()) {
      return; // prose such as: the token "abc" was
    }
    Keyword kw = Keyword.classify(t, s, nameEnd);
    if (kw != null) {
      accept(t, value, kw, out);
    }
  }

  /** {@code "name", "value"}: the comma at {@code comma}, the value's quote at {@code quote}. */
  private void literalAfterPair(String t, int comma, int quote, char q, List<Candidate> out) {
    int e = comma;
    if (e <= 1 || t.charAt(e - 1) != q) {
      return;
    }
    int nameEnd = e - 1;
    int s = nameEnd;
    while (s > 0 && nameEnd - s < MAX_NAME && isNameChar(t.charAt(s - 1))) {
      s--;
    }
    if (s == nameEnd || s == 0 || t.charAt(s - 1) != q) {
      return;
    }
    if (!Keyword.mayNameCredential(t, s, nameEnd)) {
      return;
    }
    long value = closedLiteral(t, quote);
    if (value < 0) {
      return;
    }
    Keyword kw = Keyword.classify(t, s, nameEnd);
    if (kw != null) {
      accept(t, value, kw, out);
    }
  }

  /** The contents of the literal whose opening quote is at {@code k}, if it closes on the line. */
  private static long closedLiteral(String t, int k) {
    char q = t.charAt(k);
    int e = k + 1;
    int n = t.length();
    while (e < n && e - k <= MAX_VALUE && t.charAt(e) != q && t.charAt(e) != '\n') {
      if (t.charAt(e) == '\\') {
        e++;
      }
      e++;
    }
    return e < n && t.charAt(e) == q && e > k + 1 ? span(k + 1, e) : -1;
  }

  /** {@code "value" == name}. */
  private void tryReversed(String t, int opStart, int opEnd, List<Candidate> out) {
    int k = opEnd;
    while (k < t.length() && k - opEnd < 4 && t.charAt(k) == ' ') {
      k++;
    }
    int s = k;
    while (k < t.length() && k - s < MAX_NAME && isNameChar(t.charAt(k))) {
      k++;
    }
    if (k == s || !Keyword.mayNameCredential(t, s, k)) {
      return;
    }
    Keyword kw = Keyword.classify(t, s, k);
    if (kw == null) {
      return;
    }
    int e = opStart;
    while (e > 0 && opStart - e < 4 && t.charAt(e - 1) == ' ') {
      e--;
    }
    if (e == 0) {
      return;
    }
    char q = t.charAt(e - 1);
    if (q != '"' && q != '\'' && q != '`') {
      return;
    }
    int b = e - 2;
    while (b >= 0 && e - b < MAX_VALUE && t.charAt(b) != q) {
      b--;
    }
    if (b < 0 || t.charAt(b) != q) {
      return;
    }
    accept(t, span(b + 1, e - 1), kw, out);
  }

  /** The value's span (see {@link #span}), quoted or bare, or -1. */
  private static long readValue(String t, int from) {
    int n = t.length();
    int k = from;
    while (k < n && k - from < 4 && (t.charAt(k) == ' ' || t.charAt(k) == '\t')) {
      k++;
    }
    if (k < n && t.charAt(k) == '@') {
      k++;
    }
    if (k >= n) {
      return -1;
    }
    char q = t.charAt(k);
    if (q == '"' || q == '\'' || q == '`') {
      int e = k + 1;
      while (e < n && e - k <= MAX_VALUE && t.charAt(e) != q && t.charAt(e) != '\n') {
        if (t.charAt(e) == '\\') {
          e++;
        }
        e++;
      }
      if (e < n && t.charAt(e) == q) {
        return span(k + 1, e);
      }
      k++; // an unclosed quote: read it bare
    }
    int e = k;
    while (e < n && e - k < MAX_VALUE && !isBareEnd(t.charAt(e))) {
      e++;
    }
    // a trailing quote, punctuation or unbalanced bracket belongs to the code around the value
    while (e > k) {
      char last = t.charAt(e - 1);
      boolean strip =
          ",;.'\"`".indexOf(last) >= 0
              || (last == ')' && !contains(t, k, e, '('))
              || (last == ']' && !contains(t, k, e, '['))
              || (last == '}' && !contains(t, k, e, '{'));
      if (!strip) {
        break;
      }
      e--;
    }
    return e > k ? span(k, e) : -1;
  }

  private static boolean contains(String t, int s, int e, char c) {
    for (int i = s; i < e; i++) {
      if (t.charAt(i) == c) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBareEnd(char c) {
    return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '`' || c == ',' || c == ';';
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-'
        || c == '.';
  }

  /** A span packed into a long, so that reading a value allocates nothing. */
  private static long span(int start, int end) {
    return ((long) start << 32) | end;
  }

  private static int startOf(long span) {
    return (int) (span >>> 32);
  }

  private static int endOf(long span) {
    return (int) span;
  }

  /** Shortest value any keyword accepts (a password). */
  private static final int MIN_VALUE = 6;

  private boolean accept(String t, long span, Keyword kw, List<Candidate> out) {
    int s = startOf(span);
    int e = endOf(span);
    if (e - s < MIN_VALUE || SecretText.isPlaceholderWord(t, s, e)) {
      return false; // checked in place: no copy of the value
    }
    String v = t.substring(s, e);
    double score = score(v, kw);
    if (score <= 0) {
      return false;
    }
    out.add(new Candidate(s, e, kw.format(), kw.entity(), kw.description(), score));
    return true;
  }

  /** 0 to reject; else a score graded by how random the value looks. */
  double score(String v, Keyword kw) {
    if (kw.format().equals("bundler-credentials")) {
      int colon = v.indexOf(':');
      return colon > 0
              && colon < v.length() - 1
              && !hasWhitespace(v)
              && !SecretText.isPlaceholder(v.substring(colon + 1))
          ? 0.85
          : 0;
    }
    boolean password = kw.strength() == Keyword.Strength.PASSWORD;
    int minLength = password ? 6 : kw.strength() == Keyword.Strength.STRONG ? 10 : 20;
    if (v.length() < minLength || v.length() > MAX_VALUE) {
      return 0;
    }
    if (kw.shape() != null && !kw.shape().test(v)) {
      return 0; // the name says which vendor; the value is not in that vendor's format
    }
    if (isNonRandomUuid(v)) {
      return 0; // a time- or name-based UUID is an identifier; only version 4 is random
    }
    if (SecretText.isPlaceholder(v)
        || looksLikeUrl(v)
        || SecretText.looksLikeCode(v)
        || looksLikeHostName(v)
        || SecretRules.hasForeignPrefix(v)) {
      return 0;
    }
    if (!password && (isPlainWords(v) || hasWhitespace(v))) {
      return 0; // keys and tokens have no spaces; a passphrase may
    }
    if (password && ((isPlainWords(v) && words(v) < 4) || !hasLetterOrDigit(v))) {
      return 0; // a word or two is prose; a passphrase has more
    }
    if (v.length() < 24 && SecretText.hasSequence(v, 10)) {
      return 0; // a short made-up value such as 1234567890
    }
    double h = SecretText.entropy(v) + 1e-9;
    int classes = SecretText.charClasses(v);
    double cap = Math.log(v.length()) / Math.log(2) * 0.7;
    double required = Math.min(cap, password ? minEntropy - 0.5 : minEntropy);
    if (kw.strength() == Keyword.Strength.WEAK && (classes < 2 || h < required + 0.3)) {
      return 0;
    }
    if (h < required || (classes < 2 && h < required + 0.5)) {
      return 0;
    }
    double base = kw.strength() == Keyword.Strength.WEAK ? 0.6 : 0.7;
    return Math.min(0.9, base + Math.max(0, h - required) * 0.1);
  }

  /**
   * An RFC 4122 UUID ({@code 8-4-4-4-12} hex) of version 1, 2, 3 or 5: built from a clock, a MAC
   * address or a name hash, so an identifier, not a secret (random ones are version 4).
   */
  static boolean isNonRandomUuid(String v) {
    if (v.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = v.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash != (c == '-')) {
        return false;
      }
      if (!dash && Character.digit(c, 16) < 0) {
        return false;
      }
    }
    char version = v.charAt(14);
    char variant = Character.toLowerCase(v.charAt(19));
    return (version == '1' || version == '2' || version == '3' || version == '5')
        && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
  }

  private static int words(String v) {
    return v.trim().split("\\s+").length;
  }

  private static boolean hasLetterOrDigit(String v) {
    for (int i = 0; i < v.length(); i++) {
      if (Character.isLetterOrDigit(v.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasWhitespace(String v) {
    for (int i = 0; i < v.length(); i++) {
      if (Character.isWhitespace(v.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code postgres://user@host}: a URL is not itself a credential (a password inside one is found
   * by the {@code url-credentials} format).
   */
  static boolean looksLikeUrl(String v) {
    int k = v.indexOf("://");
    if (k < 2 || k > 20) {
      return false;
    }
    for (int i = 0; i < k; i++) {
      char c = v.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '+' || c == '.' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** {@code mail.example.com}, {@code 5h.ca.iphmx.com}: a host name, not a secret. */
  static boolean looksLikeHostName(String v) {
    int dot = v.lastIndexOf('.');
    if (dot <= 0 || dot == v.length() - 1) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
        return false;
      }
    }
    for (int i = dot + 1; i < v.length(); i++) {
      if (!Character.isLetter(v.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code insert_key_here}, {@code not a password}: words, no randomness. */
  private static boolean isPlainWords(String v) {
    String lower = v.toLowerCase(Locale.ROOT);
    int letters = 0;
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (c >= 'a' && c <= 'z') {
        letters++;
      } else if (c != '_' && c != '-' && c != ' ') {
        return false;
      }
    }
    boolean singleCase = lower.equals(v) || v.toUpperCase(Locale.ROOT).equals(v);
    return letters > 0
        && (singleCase && v.length() <= 16
            || lower.indexOf(' ') >= 0
            || lower.indexOf('_') >= 0
            || lower.indexOf('-') >= 0);
  }
}
