package dev.llmguard.detect.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * <p>Immutable and thread-safe once built. {@link #match(NormalizedText)} splits the text into
 * words in blocks of {@value #BLOCK} (plus the longest reach of a rule) in a per-thread buffer, so
 * a scan allocates only for the hits it returns.
 */
public final class PhraseMatcher {

  /** A rule: a named family of phrasings with a weight. */
  public record Rule(String name, String family, double weight, String pattern) {}

  /** One place a rule matched; offsets are in the folded text. */
  public record Hit(Rule rule, int start, int end) {}

  /**
   * One element of a rule: how many other words may come before it, and which words and stems it
   * accepts, as a bit set over word ids followed by stem ids.
   */
  private static final class Element {
    final int gap;
    final long[] accepts;

    Element(int gap, long[] accepts) {
      this.gap = gap;
      this.accepts = accepts;
    }
  }

  private static final class Compiled {
    final Rule rule;
    final Element[] elements;

    Compiled(Rule rule, Element[] elements) {
      this.rule = rule;
      this.elements = elements;
    }

    /** How many words after the first one a match can reach. */
    int reach() {
      int r = 0;
      for (int e = 1; e < elements.length; e++) {
        r += elements[e].gap + 1;
      }
      return r;
    }
  }

  private static final int MAX_HITS = 64;

  /** Words per block when a text is matched in a reused buffer. */
  static final int BLOCK = 1024;

  private static final Compiled[] NONE = new Compiled[0];

  private final WordTable words = new WordTable();
  private final WordTable stems = new WordTable();

  /** The stems again, as a trie: a word is walked only as far as some stem goes. */
  private final StemTrie stemTrie = new StemTrie();

  private final Compiled[][] byFirstWord;
  private final Compiled[][] byFirstStem;

  /** The longest reach of any rule, in words after its first one. */
  private final int reach;

  private final ThreadLocal<Words> buffer;

  /**
   * Compiles the rules.
   *
   * @throws IllegalArgumentException when a pattern is malformed
   */
  public PhraseMatcher(List<Rule> rules) {
    List<Rule> ruleList = List.copyOf(rules);
    List<int[][]> idsPerRule = new ArrayList<>();
    List<int[]> gapsPerRule = new ArrayList<>();
    for (Rule r : ruleList) {
      String[] parts = r.pattern().trim().split("\\s+");
      List<int[]> els = new ArrayList<>();
      List<Integer> gaps = new ArrayList<>();
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
            int id = stems.add(stem);
            stemTrie.add(stem, id);
            ids[k] = -2 - id;
          } else {
            ids[k] = words.add(vocabulary(alt));
          }
        }
        els.add(ids);
        gaps.add(gap);
        gap = 0;
      }
      if (els.isEmpty()) {
        throw new IllegalArgumentException("empty rule " + r.name());
      }
      idsPerRule.add(els.toArray(new int[0][]));
      gapsPerRule.add(gaps.stream().mapToInt(Integer::intValue).toArray());
    }
    int wordCount = words.size();
    List<List<Compiled>> firstWord = new ArrayList<>();
    List<List<Compiled>> firstStem = new ArrayList<>();
    for (int i = 0; i < wordCount; i++) {
      firstWord.add(new ArrayList<>());
    }
    for (int i = 0; i < stems.size(); i++) {
      firstStem.add(new ArrayList<>());
    }
    int maxReach = 0;
    for (int r = 0; r < ruleList.size(); r++) {
      int[][] ids = idsPerRule.get(r);
      int[] gaps = gapsPerRule.get(r);
      Element[] elements = new Element[ids.length];
      for (int e = 0; e < ids.length; e++) {
        long[] accepts = new long[(wordCount + stems.size()) / 64 + 1];
        for (int id : ids[e]) {
          int bit = id >= 0 ? id : wordCount + (-2 - id);
          accepts[bit >>> 6] |= 1L << bit;
        }
        elements[e] = new Element(gaps[e], accepts);
      }
      Compiled c = new Compiled(ruleList.get(r), elements);
      maxReach = Math.max(maxReach, c.reach());
      for (int id : ids[0]) {
        List<Compiled> list = id >= 0 ? firstWord.get(id) : firstStem.get(-2 - id);
        if (!list.contains(c)) {
          list.add(c);
        }
      }
    }
    byFirstWord = toArrays(firstWord);
    byFirstStem = toArrays(firstStem);
    reach = maxReach;
    buffer = ThreadLocal.withInitial(() -> new Words(BLOCK + reach));
  }

  private static Compiled[][] toArrays(List<List<Compiled>> lists) {
    Compiled[][] out = new Compiled[lists.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = lists.get(i).isEmpty() ? NONE : lists.get(i).toArray(new Compiled[0]);
    }
    return out;
  }

  /** The words of a folded text (or of a block of it) with their ids. Not thread-safe. */
  public static final class Words {
    int[] start;
    int[] end;
    int[] word;
    int[] stem;
    int[] sentence;
    int count;

    /** Sentence number of the next word; carried from block to block. */
    int sentences;

    Words(int capacity) {
      start = new int[capacity];
      end = new int[capacity];
      word = new int[capacity];
      stem = new int[capacity];
      sentence = new int[capacity];
    }

    public int count() {
      return count;
    }

    int capacity() {
      return start.length;
    }

    void grow() {
      int nc = start.length * 2;
      start = Arrays.copyOf(start, nc);
      end = Arrays.copyOf(end, nc);
      word = Arrays.copyOf(word, nc);
      stem = Arrays.copyOf(stem, nc);
      sentence = Arrays.copyOf(sentence, nc);
    }

    /** Moves words {@code [from, count)} to the front. */
    void dropBefore(int from) {
      int keep = count - from;
      System.arraycopy(start, from, start, 0, keep);
      System.arraycopy(end, from, end, 0, keep);
      System.arraycopy(word, from, word, 0, keep);
      System.arraycopy(stem, from, stem, 0, keep);
      System.arraycopy(sentence, from, sentence, 0, keep);
      count = keep;
    }
  }

  /** Splits folded text into words and looks each up (all words at once; allocates). */
  public Words words(NormalizedText t) {
    Words w = new Words(Math.max(8, t.length() / 4));
    int at = 0;
    while ((at = split(t, at, w)) < t.length()) {
      w.grow();
    }
    return w;
  }

  /**
   * Adds the words of {@code t} from char {@code from} on to {@code w} until it is full or the text
   * ends; returns where to go on (at least {@code t.length()} when the text is done).
   */
  private int split(NormalizedText t, int from, Words w) {
    int n = t.length();
    int capacity = w.capacity();
    char[] c = t.chars();
    int count = w.count;
    int sent = w.sentences;
    int i = from;
    while (i < n) {
      char ch = c[i];
      if (!isWordChar(ch)) {
        if (ch == '.' || ch == '!' || ch == '?' || ch == '\n' || ch == ';') {
          sent++;
        }
        i++;
        continue;
      }
      if (count == capacity) {
        break;
      }
      // One pass over the word: its end, the hash of the whole word for the word table, and the
      // longest stem that is a prefix of it, from the trie (walked only while some stem goes on).
      int s = i;
      int h = 0;
      int st = -1;
      int node = StemTrie.ROOT;
      while (i < n) {
        char d = c[i];
        if (!isWordChar(d) && !(d == '\'' && i + 1 < n && isWordChar(c[i + 1]) && i > s)) {
          break;
        }
        h = 31 * h + d;
        if (node >= 0) {
          node = stemTrie.next(node, d);
          if (node >= 0 && stemTrie.stem(node) >= 0) {
            st = stemTrie.stem(node);
          }
        }
        i++;
      }
      w.start[count] = s;
      w.end[count] = i;
      w.word[count] = words.find(c, s, i, h);
      w.stem[count] = st;
      w.sentence[count] = sent;
      count++;
    }
    w.count = count;
    w.sentences = sent;
    return i >= n ? n : i;
  }

  /** ASCII letters and digits, for chars below 128. */
  private static final boolean[] ASCII_WORD = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      ASCII_WORD[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      ASCII_WORD[c] = true;
    }
  }

  private static boolean isWordChar(char c) {
    return c < 128 ? ASCII_WORD[c] : Character.isLetterOrDigit(c);
  }

  private boolean matches(Element e, Words w, int k) {
    long[] accepts = e.accepts;
    int word = w.word[k];
    if (word >= 0 && (accepts[word >>> 6] & 1L << word) != 0) {
      return true;
    }
    int stem = w.stem[k];
    if (stem < 0) {
      return false;
    }
    int bit = words.size() + stem;
    return (accepts[bit >>> 6] & 1L << bit) != 0;
  }

  /**
   * Every rule match in {@code t}, in text order, at most {@value #MAX_HITS}. Splits the text in a
   * per-thread buffer of words; the list is empty and shared when nothing matched.
   */
  public List<Hit> match(NormalizedText t) {
    Words w = buffer.get();
    w.count = 0;
    w.sentences = 0;
    List<Hit> hits = null;
    int n = t.length();
    int at = 0;
    while (true) {
      at = split(t, at, w);
      boolean done = at >= n;
      // Starts whose every possible match lies within the block; the rest wait for the next one.
      int limit = done ? w.count : w.count - reach;
      hits = match(w, 0, limit, hits);
      if (done || hits != null && hits.size() >= MAX_HITS) {
        break;
      }
      w.dropBefore(limit);
    }
    return hits == null ? List.of() : hits;
  }

  /** Every rule match, in text order, at most {@value #MAX_HITS}. */
  public List<Hit> match(Words w) {
    List<Hit> hits = match(w, 0, w.count, null);
    return hits == null ? new ArrayList<>() : hits;
  }

  private List<Hit> match(Words w, int from, int to, List<Hit> hits) {
    for (int i = from; i < to && (hits == null || hits.size() < MAX_HITS); i++) {
      if (w.word[i] >= 0) {
        hits = matchAll(byFirstWord[w.word[i]], w, i, hits);
      }
      if (w.stem[i] >= 0) {
        hits = matchAll(byFirstStem[w.stem[i]], w, i, hits);
      }
    }
    return hits;
  }

  private List<Hit> matchAll(Compiled[] rules, Words w, int i, List<Hit> hits) {
    for (Compiled c : rules) {
      int end = matchAt(c.elements, w, i);
      if (end >= 0 && (hits == null || hits.size() < MAX_HITS)) {
        if (hits == null) {
          hits = new ArrayList<>();
        }
        hits.add(new Hit(c.rule, w.start[i], w.end[end]));
      }
    }
    return hits;
  }

  private int matchAt(Element[] els, Words w, int i) {
    int pos = i;
    for (int e = 1; e < els.length; e++) {
      Element el = els[e];
      int limit = Math.min(w.count - 1, pos + 1 + el.gap);
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

  /**
   * The stems as a trie over their chars: a dense table for {@code a-z}, a map for anything else.
   */
  static final class StemTrie {
    static final int ROOT = 0;
    private int[] children = new int[26 * 64];
    private int[] stems = new int[64];
    private boolean[] otherChildren = new boolean[64];
    private final Map<Long, Integer> other = new HashMap<>();
    private int size = 1;

    StemTrie() {
      Arrays.fill(children, -1);
      Arrays.fill(stems, -1);
    }

    void add(String stem, int id) {
      int node = ROOT;
      for (int k = 0; k < stem.length(); k++) {
        char c = stem.charAt(k);
        int next = next(node, c);
        if (next < 0) {
          next = newNode();
          if (c >= 'a' && c <= 'z') {
            children[node * 26 + (c - 'a')] = next;
          } else {
            other.put((long) node << 16 | c, next);
            otherChildren[node] = true;
          }
        }
        node = next;
      }
      if (node != ROOT) {
        stems[node] = id;
      }
    }

    private int newNode() {
      if (size == stems.length) {
        int cap = size * 2;
        children = Arrays.copyOf(children, cap * 26);
        Arrays.fill(children, size * 26, cap * 26, -1);
        stems = Arrays.copyOf(stems, cap);
        Arrays.fill(stems, size, cap, -1);
        otherChildren = Arrays.copyOf(otherChildren, cap);
      }
      return size++;
    }

    /** The node after {@code c} from {@code node}, or -1. */
    int next(int node, char c) {
      int d = c - 'a';
      if (d >= 0 && d < 26) {
        return children[node * 26 + d];
      }
      if (!otherChildren[node]) {
        return -1;
      }
      Integer n = other.get((long) node << 16 | c);
      return n == null ? -1 : n;
    }

    /** The id of the stem that ends at {@code node}, or -1. */
    int stem(int node) {
      return stems[node];
    }
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
