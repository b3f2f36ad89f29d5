package dev.llmguard.detect.secrets;

import java.util.Locale;

/** Small, allocation-light checks on candidate secret values. Stateless. */
final class SecretText {
  private SecretText() {}

  /** Per-thread char counts, so that measuring a value allocates nothing. */
  private static final ThreadLocal<int[]> COUNTS = ThreadLocal.withInitial(() -> new int[128]);

  private static int[] counts() {
    int[] c = COUNTS.get();
    java.util.Arrays.fill(c, 0);
    return c;
  }

  /** Shannon entropy in bits per char. */
  static double entropy(CharSequence s) {
    int n = s.length();
    if (n == 0) {
      return 0;
    }
    int[] counts = counts();
    int other = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 128) {
        counts[c]++;
      } else {
        other++;
      }
    }
    double h = 0;
    for (int c : counts) {
      if (c > 0) {
        double p = c / (double) n;
        h -= p * (Math.log(p) / Math.log(2));
      }
    }
    if (other > 0) {
      double p = other / (double) n;
      h -= p * (Math.log(p) / Math.log(2));
    }
    return h;
  }

  /** How many of lower case, upper case, digits and other symbols occur. */
  static int charClasses(CharSequence s) {
    boolean lo = false;
    boolean up = false;
    boolean dg = false;
    boolean sy = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z') {
        lo = true;
      } else if (c >= 'A' && c <= 'Z') {
        up = true;
      } else if (c >= '0' && c <= '9') {
        dg = true;
      } else {
        sy = true;
      }
    }
    return (lo ? 1 : 0) + (up ? 1 : 0) + (dg ? 1 : 0) + (sy ? 1 : 0);
  }

  private static final String[] PLACEHOLDER_WORDS = {
    "example",
    "changeme",
    "change_me",
    "change-me",
    "placeholder",
    "dummy",
    "redacted",
    "your_",
    "your-",
    "yourapi",
    "yourtoken",
    "yoursecret",
    "yourpassword",
    "_here",
    "-here",
    "insert_",
    "replace_",
    "replace-",
    "fake",
    "sample",
    "xxxx",
    "****",
    "####",
    "••••",
    "notreal",
    "not_real",
    "put_your",
    "enter_your"
  };

  private static final String[] PLACEHOLDER_VALUES = {
    "password",
    "passwd",
    "secret",
    "token",
    "null",
    "none",
    "nil",
    "undefined",
    "true",
    "false",
    "test",
    "testing",
    "admin",
    "root",
    "user",
    "username",
    "pass",
    "apikey",
    "api_key",
    "key",
    "value",
    "string",
    "empty",
    "default",
    "required",
    "optional",
    "hidden",
    "masked",
    "foobar",
    "hunter2",
    "letmein",
    "qwerty",
    "123456",
    "12345678",
    "password123",
    "abc123",
    "real_key"
  };

  /** Whether {@code t[s, e)} is one of the placeholder words, ignoring case; allocates nothing. */
  static boolean isPlaceholderWord(String t, int s, int e) {
    for (String p : PLACEHOLDER_VALUES) {
      if (p.length() == e - s && t.regionMatches(true, s, p, 0, p.length())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Placeholders, templates and masked values: {@code changeme}, {@code ${DB_PASSWORD}}, {@code
   * <your-token>}, {@code {{ secret }}}, {@code $API_KEY}, {@code %s}, {@code xxxx…}, {@code ****},
   * environment lookups and the like. A template marker inside a longer value (a password that
   * happens to contain {@code ${}) does not make it a placeholder; the whole value must be one.
   */
  static boolean isPlaceholder(String value) {
    if (value.isEmpty()) {
      return true;
    }
    String v = value.toLowerCase(Locale.ROOT);
    if (isTemplate(v)) {
      return true;
    }
    for (String p : PLACEHOLDER_VALUES) {
      if (v.equals(p)) {
        return true;
      }
    }
    for (String p : PLACEHOLDER_WORDS) {
      if (v.contains(p)) {
        return true;
      }
    }
    if (v.startsWith("env.")
        || v.startsWith("process.env")
        || v.startsWith("os.environ")
        || v.contains("getenv")
        || v.startsWith("secrets.")
        || v.startsWith("vars.")) {
      return true;
    }
    return sameCharShare(v) > 0.6;
  }

  /** The whole value is one template expression or variable reference. */
  private static boolean isTemplate(String v) {
    int n = v.length();
    char first = v.charAt(0);
    char last = v.charAt(n - 1);
    if ((v.startsWith("${")
            || v.startsWith("#{")
            || v.startsWith("{{")
            || v.startsWith("%(")
            || v.startsWith("$(")
            || first == '{')
        && (last == '}' || last == ')')) {
      return true;
    }
    if ((first == '<' && last == '>') || (first == '[' && last == ']')) {
      return true;
    }
    if (first == '%' && n <= 3) {
      return true; // %s, %d
    }
    if (first == '$' || first == '%') {
      // $API_KEY, $env:TOKEN, %APPDATA%
      for (int i = 1; i < n; i++) {
        char c = v.charAt(i);
        if (!(Character.isLetterOrDigit(c)
            || c == '_'
            || c == ':'
            || c == '%'
            || c == '{'
            || c == '}')) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Masked or documentation values inside a vendor-format token: {@code xxxx}, {@code ****}, {@code
   * EXAMPLE}, a value made mostly of one char. Unlike {@link #isPlaceholder} it does not look for
   * short words, which random tokens contain by chance ({@code …1lFaKe…}).
   */
  static boolean isMasked(String v) {
    return v.contains("xxxx")
        || v.contains("XXXX")
        || v.contains("****")
        || v.contains("####")
        || v.contains("EXAMPLE")
        || v.contains("example")
        || v.contains("<")
        || v.contains("${")
        || sameCharShare(v) > 0.6;
  }

  /** Share of the most frequent char: {@code aaaaaaab} is not a secret. */
  static double sameCharShare(CharSequence v) {
    int[] counts = counts();
    int max = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 128 && ++counts[c] > max) {
        max = counts[c];
      }
    }
    return v.length() == 0 ? 1 : max / (double) v.length();
  }

  /** An ascending run such as {@code abcdefghij} or {@code 0123456789} marks a made-up value. */
  static boolean hasSequence(CharSequence v, int minRun) {
    int run = 1;
    for (int i = 1; i < v.length(); i++) {
      run = v.charAt(i) == v.charAt(i - 1) + 1 ? run + 1 : 1;
      if (run >= minRun) {
        return true;
      }
    }
    return false;
  }

  /** Code, not a literal: {@code config.password}, {@code X25519.KeyPair}, {@code getToken()}. */
  static boolean looksLikeCode(String v) {
    boolean dot = false;
    boolean paren = false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '.') {
        dot = true;
      } else if (c == '(' || c == ')') {
        paren = true;
      } else if (!(Character.isLetterOrDigit(c) || c == '_')) {
        return false;
      }
    }
    if (paren) {
      return true;
    }
    if (dot) {
      // member access: segments that start with a letter, e.g. self.token or Foo.BAR
      for (String seg : v.split("\\.", -1)) {
        if (seg.isEmpty() || !Character.isLetter(seg.charAt(0))) {
          return false;
        }
      }
      return true;
    }
    return false;
  }
}
