package dev.llmguard.detect.exfiltration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the URLs of an answer and where they sit: markdown images and links (inline and
 * reference-style), HTML elements, autolinks and bare URLs.
 *
 * <p>Every pass moves forward only: after a URL has been read the scan resumes behind it, and every
 * read is bounded ({@value #MAX_URL} chars for a URL, {@value #MAX_TAG} for a tag), so the cost is
 * linear in the length of the text whatever it contains. Stateless; thread-safe.
 */
final class UrlScanner {

  /** Longest URL that is read; longer ones are cut (and still analysed). */
  static final int MAX_URL = 8192;

  /** Farthest a link text's {@code [} may lie before its {@code ]}. */
  static final int MAX_LABEL = 2000;

  /** Longest HTML tag that is read. */
  static final int MAX_TAG = 4096;

  /** How many unclosed {@code [} are remembered (older ones are forgotten). */
  private static final int STACK = 64;

  private static final List<String> FETCH_TAGS =
      List.of(
          "img", "image", "iframe", "frame", "script", "video", "audio", "source", "embed", "track",
          "input");
  private static final List<String> LINK_TAGS = List.of("a", "area", "form");

  /** A URL found in the text: {@code [start, end)} covers the URL itself. */
  record Candidate(UrlKind kind, int start, int end) {}

  private UrlScanner() {}

  private static final Comparator<Candidate> BY_START = Comparator.comparingInt(Candidate::start);

  /**
   * The URLs of {@code text}, sorted by start; an empty immutable list when there are none. One
   * list holds every candidate from first to last (overlaps are dropped in place).
   */
  static List<Candidate> scan(String text) {
    List<Candidate> out = new ArrayList<>();
    if (text.indexOf(']') >= 0) {
      markdown(text, out);
    }
    if (text.indexOf('<') >= 0) {
      html(text, out);
    }
    if (out.size() > 1) {
      out.sort(BY_START);
      withoutOverlaps(out);
    }
    if (text.indexOf("://") >= 0) {
      bare(text, out);
    }
    return out.isEmpty() ? List.of() : out;
  }

  /**
   * One candidate per stretch of text: {@code ![x](<https://…>)} is both a markdown image and, to
   * the HTML pass, an autolink. Of overlapping candidates the one a renderer fetches by itself
   * wins. Works in place on the sorted list.
   */
  private static void withoutOverlaps(List<Candidate> sorted) {
    int kept = 0;
    for (int i = 0; i < sorted.size(); i++) {
      Candidate c = sorted.get(i);
      Candidate last = kept == 0 ? null : sorted.get(kept - 1);
      if (last != null && c.start() < last.end()) {
        if (c.kind().fetchedOnRender() && !last.kind().fetchedOnRender()) {
          sorted.set(kept - 1, c);
        }
        continue;
      }
      sorted.set(kept++, c);
    }
    sorted.subList(kept, sorted.size()).clear();
  }

  // ---------------------------------------------------------------- markdown

  private static void markdown(String t, List<Candidate> out) {
    int n = t.length();
    int[] stack = new int[8]; // a ring, grown up to STACK while it fills
    int top = 0; // number of pushes minus pops; the ring holds the last STACK entries
    int size = 0;
    List<int[]> refDefs = null; // {start, end} of the URL; ids in refIds
    List<String> refIds = null;
    Set<String> imageRefs = null;
    // Reference-style images only matter when the text defines references at all.
    boolean hasDefinitions = t.indexOf("]:") >= 0;
    int i = 0;
    while (i < n) {
      char c = t.charAt(i);
      if (c == '[') {
        if (size == stack.length && size < STACK) {
          stack = grown(stack, top, size);
        }
        stack[top++ & (stack.length - 1)] = i;
        size = Math.min(size + 1, stack.length);
        i++;
        continue;
      }
      if (c != ']') {
        i++;
        continue;
      }
      int open = -1;
      if (size > 0) {
        open = stack[--top & (stack.length - 1)];
        size--;
      }
      if (open < 0 || i - open > MAX_LABEL || i + 1 >= n) {
        i++;
        continue;
      }
      boolean image = open > 0 && t.charAt(open - 1) == '!';
      char next = t.charAt(i + 1);
      if (next == '(') {
        int end =
            inlineDestination(
                t, i + 2, image ? UrlKind.MARKDOWN_IMAGE : UrlKind.MARKDOWN_LINK, out);
        i = Math.max(i + 2, end);
        continue;
      }
      if (next == ':' && atLineStart(t, open)) {
        int[] dest = definitionDestination(t, i + 2);
        if (dest != null) {
          if (refDefs == null) {
            refDefs = new ArrayList<>();
            refIds = new ArrayList<>();
          }
          refDefs.add(dest);
          refIds.add(normaliseLabel(t, open + 1, i));
          i = dest[1];
          continue;
        }
      } else if (image && hasDefinitions) {
        if (imageRefs == null) {
          imageRefs = new HashSet<>();
        }
        if (next == '[') {
          int close = indexOf(t, ']', i + 2, Math.min(n, i + 2 + MAX_LABEL));
          if (close > i + 2) {
            imageRefs.add(normaliseLabel(t, i + 2, close));
          } else {
            imageRefs.add(normaliseLabel(t, open + 1, i));
          }
        } else {
          imageRefs.add(normaliseLabel(t, open + 1, i)); // shortcut reference ![alt]
        }
      }
      i++;
    }
    if (refDefs != null) {
      for (int k = 0; k < refDefs.size(); k++) {
        int[] d = refDefs.get(k);
        boolean image = imageRefs != null && imageRefs.contains(refIds.get(k));
        out.add(new Candidate(image ? UrlKind.MARKDOWN_IMAGE : UrlKind.MARKDOWN_LINK, d[0], d[1]));
      }
    }
  }

  /** The full ring {@code stack} (its last push at {@code top - 1}) in a ring twice as large. */
  private static int[] grown(int[] stack, int top, int size) {
    int[] bigger = new int[stack.length * 2];
    for (int k = top - size; k < top; k++) {
      bigger[k & (bigger.length - 1)] = stack[k & (stack.length - 1)];
    }
    return bigger;
  }

  /** Reads an inline destination starting at {@code from}; returns where the scan resumes. */
  private static int inlineDestination(String t, int from, UrlKind kind, List<Candidate> out) {
    int n = t.length();
    int j = skipBlanks(t, from, n);
    if (j < n && t.charAt(j) == '<') {
      int limit = Math.min(n, j + 1 + MAX_URL);
      int k = j + 1;
      while (k < limit && t.charAt(k) != '>' && t.charAt(k) != '\n' && t.charAt(k) != '<') {
        k++;
      }
      if (k > j + 1) {
        out.add(new Candidate(kind, j + 1, k));
      }
      return k;
    }
    int limit = Math.min(n, j + MAX_URL);
    int depth = 0;
    int k = j;
    while (k < limit) {
      char c = t.charAt(k);
      if (c <= ' ') {
        break;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (depth == 0) {
          break;
        }
        depth--;
      }
      k++;
    }
    if (k > j) {
      out.add(new Candidate(kind, j, k));
    }
    return k;
  }

  /** The URL of a reference definition {@code [id]: url}, or null. */
  private static int[] definitionDestination(String t, int from) {
    int n = t.length();
    int j = skipBlanks(t, from, n);
    boolean angle = j < n && t.charAt(j) == '<';
    if (angle) {
      j++;
    }
    int limit = Math.min(n, j + MAX_URL);
    int k = j;
    while (k < limit) {
      char c = t.charAt(k);
      if (c <= ' ' || (angle && c == '>')) {
        break;
      }
      k++;
    }
    return k > j ? new int[] {j, k} : null;
  }

  private static boolean atLineStart(String t, int pos) {
    int spaces = 0;
    int p = pos - 1;
    while (p >= 0 && t.charAt(p) == ' ' && spaces <= 3) {
      spaces++;
      p--;
    }
    return spaces <= 3 && (p < 0 || t.charAt(p) == '\n');
  }

  /**
   * A reference label as CommonMark compares them: trimmed, inner white space collapsed,
   * case-folded.
   */
  private static String normaliseLabel(String t, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    boolean space = false;
    for (int k = from; k < to; k++) {
      char c = t.charAt(k);
      if (Character.isWhitespace(c)) {
        space = sb.length() > 0;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(Character.toLowerCase(c));
      }
    }
    return sb.toString();
  }

  /** Skips spaces and tabs and at most one line break. */
  private static int skipBlanks(String t, int from, int n) {
    int j = from;
    boolean newline = false;
    while (j < n) {
      char c = t.charAt(j);
      if (c == ' ' || c == '\t') {
        j++;
      } else if (c == '\n' && !newline) {
        newline = true;
        j++;
      } else {
        break;
      }
    }
    return j;
  }

  // ---------------------------------------------------------------- HTML and autolinks

  private static void html(String t, List<Candidate> out) {
    int n = t.length();
    int i = t.indexOf('<');
    while (i >= 0 && i + 1 < n) {
      int resume = i + 1;
      int nameEnd = i + 1;
      while (nameEnd < n && nameEnd - i <= 32 && isSchemeChar(t.charAt(nameEnd))) {
        nameEnd++;
      }
      if (nameEnd > i + 1
          && nameEnd < n
          && t.charAt(nameEnd) == ':'
          && isAsciiLetter(t.charAt(i + 1))) {
        resume = autolink(t, i + 1, out);
      } else if (nameEnd > i + 1) {
        boolean fetch = isOneOf(t, i + 1, nameEnd, FETCH_TAGS);
        if (fetch || isOneOf(t, i + 1, nameEnd, LINK_TAGS)) {
          resume = attributes(t, nameEnd, Math.min(n, i + MAX_TAG), fetch, out);
        }
      }
      i = t.indexOf('<', Math.max(resume, i + 1));
    }
  }

  private static int autolink(String t, int from, List<Candidate> out) {
    int n = t.length();
    int limit = Math.min(n, from + MAX_URL);
    int k = from;
    while (k < limit) {
      char c = t.charAt(k);
      if (c <= ' ' || c == '<' || c == '>') {
        break;
      }
      k++;
    }
    if (k < n && t.charAt(k) == '>') {
      out.add(new Candidate(UrlKind.AUTOLINK, from, k));
      return k + 1;
    }
    return k;
  }

  /** Reads the attributes of one tag; returns where the scan resumes. */
  private static int attributes(String t, int from, int limit, boolean fetch, List<Candidate> out) {
    int j = from;
    while (j < limit) {
      char c = t.charAt(j);
      if (c == '>' || c == '<') {
        return j;
      }
      if (c <= ' ' || c == '/') {
        j++;
        continue;
      }
      int nameStart = j;
      while (j < limit && !isAttrNameEnd(t.charAt(j))) {
        j++;
      }
      int nameEnd = j;
      while (j < limit && t.charAt(j) <= ' ') {
        j++;
      }
      if (j >= limit || t.charAt(j) != '=') {
        continue;
      }
      j++;
      while (j < limit && t.charAt(j) <= ' ') {
        j++;
      }
      if (j >= limit) {
        return j;
      }
      int valueStart;
      int valueEnd;
      char q = t.charAt(j);
      if (q == '"' || q == '\'') {
        valueStart = j + 1;
        int k = valueStart;
        while (k < limit && t.charAt(k) != q) {
          k++;
        }
        valueEnd = k;
        j = Math.min(limit, k + 1);
      } else {
        valueStart = j;
        while (j < limit && t.charAt(j) > ' ' && t.charAt(j) != '>' && t.charAt(j) != '<') {
          j++;
        }
        valueEnd = j;
      }
      if (valueEnd > valueStart && isUrlAttribute(t, nameStart, nameEnd, fetch)) {
        out.add(
            new Candidate(fetch ? UrlKind.HTML_FETCH : UrlKind.HTML_LINK, valueStart, valueEnd));
      }
    }
    return j;
  }

  private static boolean isUrlAttribute(String t, int from, int to, boolean fetch) {
    if (fetch) {
      return regionIs(t, from, to, "src") || regionIs(t, from, to, "poster");
    }
    return regionIs(t, from, to, "href") || regionIs(t, from, to, "action");
  }

  private static boolean isOneOf(String t, int from, int to, List<String> names) {
    for (String name : names) {
      if (regionIs(t, from, to, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean regionIs(String t, int from, int to, String name) {
    return to - from == name.length() && t.regionMatches(true, from, name, 0, name.length());
  }

  private static boolean isAttrNameEnd(char c) {
    return c <= ' ' || c == '=' || c == '>' || c == '<' || c == '/';
  }

  // ---------------------------------------------------------------- bare URLs

  /**
   * Adds the bare URLs that overlap no candidate of {@code found} (sorted by start) to it, and
   * keeps it sorted.
   */
  private static void bare(String t, List<Candidate> found) {
    int n = t.length();
    int foundSize = found.size();
    int p = 0; // first found candidate that may still overlap
    int k = t.indexOf("://");
    while (k >= 0) {
      int s = k;
      while (s > 0 && k - s < 16 && isSchemeChar(t.charAt(s - 1))) {
        s--;
      }
      while (s < k && !isAsciiLetter(t.charAt(s))) {
        s++;
      }
      int limit = Math.min(n, k + 3 + MAX_URL);
      int e = k + 3;
      while (e < limit && !isBareTerminator(t.charAt(e))) {
        e++;
      }
      while (e > k + 3 && isTrailingPunctuation(t.charAt(e - 1))) {
        e--;
      }
      if (s < k && e > k + 3) {
        while (p < foundSize && found.get(p).end() <= s) {
          p++;
        }
        boolean overlaps = p < foundSize && found.get(p).start() < e;
        if (!overlaps) {
          found.add(new Candidate(UrlKind.BARE, s, e));
        }
      }
      k = t.indexOf("://", Math.max(e, k + 3));
    }
    if (found.size() > foundSize && foundSize > 0) {
      found.sort(BY_START);
    }
  }

  private static boolean isBareTerminator(char c) {
    return c <= ' '
        || c == '<'
        || c == '>'
        || c == '"'
        || c == '\''
        || c == '`'
        || c == ')'
        || c == '('
        || c == '['
        || c == ']'
        || c == '{'
        || c == '}'
        || c == '|'
        || c == '\\'
        || c == '^'
        || Character.isWhitespace(c);
  }

  private static boolean isTrailingPunctuation(char c) {
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '*'
        || c == '_' || c == '~';
  }

  static boolean isSchemeChar(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
  }

  static boolean isAsciiLetter(char c) {
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  }

  private static int indexOf(String t, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (t.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }
}
