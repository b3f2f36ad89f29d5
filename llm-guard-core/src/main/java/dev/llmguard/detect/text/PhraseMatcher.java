package dev.llmguard.detect.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Finds families of phrasings in folded text, in time linear in the text length and without regular
 * expressions. Text is split into words; each word is looked up once in a hash table (without
 * allocating); rules are sequences of word alternatives with bounded gaps, tried only where their
 * first word occurs, and never across a sentence end.
 *
 * <p>Rule syntax: elements separated by spaces. An element is a set of alternatives separated by
 * {@code |}; an alternative ending in {@code *} is a prefix ({@code instruct*}). An element may be
 * preceded by {@code +N}, allowing up to {@code N} other words before it ({@code ignore +3
 * instruct*}). Words are folded as {@link TextNormalizer} folds them (lower case, no accents).
 *
 * <p>Immutable and thread-safe once built.
 */
public final class PhraseMatcher {

  /** A rule: a named family of phrasings with a weight. */
  public record Rule(String name, String family, double weight, String pattern) {}

  /** One place a rule matched; offsets are in the folded text. */
  public record Hit(Rule rule, int start, int end) {}

  private record Element(int gap, int[] ids) {}

  private record Compiled(Rule rule, Element[] elements) {}

  private static final int MAX_HITS = 64;

  private final WordTable words = new WordTable();
  private final WordTable stems = new WordTable();
  private final int[] stemLengths;
  private final List<List<Compiled>> byFirstWord = new ArrayList<>();
  private final List<List<Compiled>> byFirstStem = new ArrayList<>();

  /**
   * Compiles the rules.
   *
   * @throws IllegalArgumentException when a pattern is malformed
   */
  public PhraseMatcher(List<Rule> rules) {
    TreeSet<Integer> lengths = new TreeSet<>();
    List<Compiled> compiled = new ArrayList<>();
    for (Rule r : rules) {
      String[] parts = r.pattern().trim().split("\\s+");
      List<Element> els = new ArrayList<>();
      int gap = 0;
      for (String p : parts) {
        if (p.startsWith("+")) {
          gap = Integer.parseInt(p.substring(1));
          continue;
        }
        String[] alts = p.split("\\|");
        int[] ids = new int[alts.length];
        for (int k = 0; k < alts.length; k++) {
          String alt = alts[k];
          if (alt.isEmpty()) {
            throw new IllegalArgumentException("empty alternative in rule " + r.name());
          }
          if (alt.endsWith("*")) {
            String stem = vocabulary(alt.substring(0, alt.length() - 1));
            lengths.add(stem.length());
            ids[k] = -2 - stems.add(stem);
          } else {
            ids[k] = words.add(vocabulary(alt));
          }
        }
        els.add(new Element(gap, ids));
        gap = 0;
      }
      if (els.isEmpty()) {
        throw new IllegalArgumentException("empty rule " + r.name());
      }
      compiled.add(new Compiled(r, els.toArray(new Element[0])));
    }
    stemLengths = lengths.stream().mapToInt(Integer::intValue).toArray();
    for (int i = 0; i < words.size(); i++) {
      byFirstWord.add(new ArrayList<>());
    }
    for (int i = 0; i < stems.size(); i++) {
      byFirstStem.add(new ArrayList<>());
    }
    for (Compiled c : compiled) {
      for (int id : c.elements()[0].ids()) {
        List<Compiled> list = id >= 0 ? byFirstWord.get(id) : byFirstStem.get(-2 - id);
        if (!list.contains(c)) {
          list.add(c);
        }
      }
    }
  }

  /** The words of a folded text with their ids; computed once per text and matcher. */
  public static final class Words {
    final int[] start;
    final int[] end;
    final int[] word;
    final int[] stem;
    final int[] sentence;
    final int count;

    Words(int[] start, int[] end, int[] word, int[] stem, int[] sentence, int count) {
      this.start = start;
      this.end = end;
      this.word = word;
      this.stem = stem;
      this.sentence = sentence;
      this.count = count;
    }

    public int count() {
      return count;
    }
  }

  /** Splits folded text into words and looks each up. */
  public Words words(NormalizedText t) {
    int n = t.length();
    int cap = Math.max(8, n / 4);
    int[] start = new int[cap];
    int[] end = new int[cap];
    int[] word = new int[cap];
    int[] stem = new int[cap];
    int[] sentence = new int[cap];
    int count = 0;
    int sent = 0;
    char[] c = t.chars();
    int i = 0;
    while (i < n) {
      char ch = c[i];
      if (!isWordChar(ch)) {
        if (ch == '.' || ch == '!' || ch == '?' || ch == '\n' || ch == ';') {
          sent++;
        }
        i++;
        continue;
      }
      int s = i;
      while (i < n
          && (isWordChar(c[i]) || c[i] == '\'' && i + 1 < n && isWordChar(c[i + 1]) && i > s)) {
        i++;
      }
      if (count == start.length) {
        int nc = count * 2;
        start = java.util.Arrays.copyOf(start, nc);
        end = java.util.Arrays.copyOf(end, nc);
        word = java.util.Arrays.copyOf(word, nc);
        stem = java.util.Arrays.copyOf(stem, nc);
        sentence = java.util.Arrays.copyOf(sentence, nc);
      }
      start[count] = s;
      end[count] = i;
      // One pass of the hash over the word gives the hash of every prefix: look up the whole
      // word and each stem length without hashing again.
      int len = i - s;
      int h = 0;
      int st = -1;
      int nextStem = 0;
      for (int k = 0; k < len; k++) {
        h = 31 * h + c[s + k];
        while (nextStem < stemLengths.length && stemLengths[nextStem] < k + 1) {
          nextStem++;
        }
        if (nextStem < stemLengths.length && stemLengths[nextStem] == k + 1) {
          int found = stems.find(c, s, s + k + 1, h);
          if (found >= 0) {
            st = found;
          }
        }
      }
      word[count] = words.find(c, s, i, h);
      stem[count] = st;
      sentence[count] = sent;
      count++;
    }
    return new Words(start, end, word, stem, sentence, count);
  }

  private static boolean isWordChar(char c) {
    return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c > 0x7F && Character.isLetterOrDigit(c);
  }

  private static boolean matches(Element e, Words w, int k) {
    int word = w.word[k];
    int stem = w.stem[k];
    for (int id : e.ids()) {
      if (id >= 0 ? id == word : stem >= 0 && -2 - id == stem) {
        return true;
      }
    }
    return false;
  }

  /** Every rule match, in text order, at most {@value #MAX_HITS}. */
  public List<Hit> match(Words w) {
    List<Hit> hits = new ArrayList<>();
    for (int i = 0; i < w.count && hits.size() < MAX_HITS; i++) {
      if (w.word[i] >= 0) {
        matchAll(byFirstWord.get(w.word[i]), w, i, hits);
      }
      if (w.stem[i] >= 0) {
        matchAll(byFirstStem.get(w.stem[i]), w, i, hits);
      }
    }
    return hits;
  }

  private static void matchAll(List<Compiled> rules, Words w, int i, List<Hit> hits) {
    for (Compiled c : rules) {
      int end = matchAt(c.elements(), w, i);
      if (end >= 0 && hits.size() < MAX_HITS) {
        hits.add(new Hit(c.rule(), w.start[i], w.end[end]));
      }
    }
  }

  private static int matchAt(Element[] els, Words w, int i) {
    int pos = i;
    for (int e = 1; e < els.length; e++) {
      Element el = els[e];
      int limit = Math.min(w.count - 1, pos + 1 + el.gap());
      int found = -1;
      for (int k = pos + 1; k <= limit; k++) {
        if (w.sentence[k] != w.sentence[i]) {
          break;
        }
        if (matches(el, w, k)) {
          found = k;
          break;
        }
      }
      if (found < 0) {
        return -1;
      }
      pos = found;
    }
    return pos;
  }

  /** Open-addressing table from words to ids, looked up by char range without allocating. */
  static final class WordTable {
    private final Map<String, Integer> ids = new HashMap<>();
    private char[][] keys = new char[64][];
    private int[] values = new int[64];

    int add(String word) {
      Integer existing = ids.get(word);
      if (existing != null) {
        return existing;
      }
      int id = ids.size();
      ids.put(word, id);
      if (ids.size() * 2 > keys.length) {
        rehash(keys.length * 2);
      } else {
        put(word, id);
      }
      return id;
    }

    int size() {
      return ids.size();
    }

    private void rehash(int size) {
      keys = new char[size][];
      values = new int[size];
      ids.forEach(this::put);
    }

    private void put(String word, int id) {
      int mask = keys.length - 1;
      int h = hash(word) & mask;
      while (keys[h] != null) {
        h = (h + 1) & mask;
      }
      keys[h] = word.toCharArray();
      values[h] = id;
    }

    private static int hash(CharSequence s) {
      int h = 0;
      for (int i = 0; i < s.length(); i++) {
        h = 31 * h + s.charAt(i);
      }
      return mix(h);
    }

    /** Spreads the polynomial hash over all bits (Fibonacci hashing) to keep probe runs short. */
    private static int mix(int rawHash) {
      int h = rawHash * 0x9E3779B9;
      return h ^ (h >>> 15);
    }

    int find(char[] c, int from, int to) {
      int h = 0;
      for (int i = from; i < to; i++) {
        h = 31 * h + c[i];
      }
      return find(c, from, to, h);
    }

    /** Looks up {@code c[from, to)} whose plain polynomial hash is {@code rawHash}. */
    int find(char[] c, int from, int to, int rawHash) {
      int h = mix(rawHash);
      int mask = keys.length - 1;
      int slot = h & mask;
      int len = to - from;
      char[] k;
      while ((k = keys[slot]) != null) {
        if (k.length == len) {
          int j = 0;
          while (j < len && k[j] == c[from + j]) {
            j++;
          }
          if (j == len) {
            return values[slot];
          }
        }
        slot = (slot + 1) & mask;
      }
      return -1;
    }
  }

  /**
   * Folds a rule word as the text is folded: words outside ASCII (Cyrillic, Greek, accented) go
   * through {@link TextNormalizer#fold}, so that a Cyrillic rule word meets the same look-alike
   * folding as the text; ASCII words are only squeezed (the rules are written folded already).
   */
  static String vocabulary(String alt) {
    for (int i = 0; i < alt.length(); i++) {
      if (alt.charAt(i) > 0x7F) {
        return TextNormalizer.squeeze(TextNormalizer.fold(alt).toString().strip());
      }
    }
    return TextNormalizer.squeeze(alt);
  }
}
