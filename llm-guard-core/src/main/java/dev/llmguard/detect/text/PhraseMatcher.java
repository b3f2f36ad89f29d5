package dev.llmguard.detect.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds families of phrasings in folded text, in time linear in the text length and without regular
 * expressions. Text is split into words; each word is looked up once in a hash table (without
 * allocating); rules are sequences of word alternatives with bounded gaps, tried only where their
 * first word occurs and some word after it fits the second element of one of them, and never across
 * a sentence end.
 *
 * <p>Rule syntax: elements separated by spaces. An element is a set of alternatives separated by
 * {@code |}; an alternative ending in {@code *} is a prefix ({@code instruct*}). An element may be
 * preceded by {@code +N}, allowing up to {@code N} other words before it ({@code ignore +3
 * instruct*}). Words are folded as {@link TextNormalizer} folds them (lower case, no accents).
 *
 * <p>Immutable and thread-safe once built. All matchers share one lexicon (the words and stems of
 * every rule set in the process), so a folded text is split into words and each word is looked up
 * once, by whichever matcher sees the text first; the others reuse the split (kept with the text,
 * in the calling thread's reused arrays for a text from {@link TextNormalizer#normalize}). A scan
 * into a reused {@link Hits} allocates nothing.
 */
public final class PhraseMatcher {

  /** A rule: a named family of phrasings with a weight. */
  public record Rule(String name, String family, double weight, String pattern) {}

  /** One place a rule matched; offsets are in the folded text. */
  public record Hit(Rule rule, int start, int end) {}

  /**
   * The hits of one {@link #match(NormalizedText, Hits)}, in text order, at most {@value
   * #MAX_HITS}: the rule and folded offsets of each, in arrays reused from match to match (no
   * object per hit). Not thread-safe; {@link Evidence#hits()} gives each scan one.
   */
  public static final class Hits {
    private Rule[] rules = new Rule[8];
    private int[] starts = new int[8];
    private int[] ends = new int[8];
    private int size;

    public int size() {
      return size;
    }

    public Rule rule(int k) {
      return rules[k];
    }

    /** Where hit {@code k} starts in the folded text. */
    public int start(int k) {
      return starts[k];
    }

    /** Where hit {@code k} ends in the folded text. */
    public int end(int k) {
      return ends[k];
    }

    /** Hit {@code k} as an object. */
    public Hit get(int k) {
      return new Hit(rules[k], starts[k], ends[k]);
    }

    /** Empties the buffer (and lets go of the rules it named). */
    void clear() {
      Arrays.fill(rules, 0, size, null);
      size = 0;
    }

    boolean isFull() {
      return size >= MAX_HITS;
    }

    void add(Rule rule, int start, int end) {
      if (size == rules.length) {
        int capacity = Math.min(MAX_HITS, size * 2);
        rules = Arrays.copyOf(rules, capacity);
        starts = Arrays.copyOf(starts, capacity);
        ends = Arrays.copyOf(ends, capacity);
      }
      rules[size] = rule;
      starts[size] = start;
      ends[size] = end;
      size++;
    }

    List<Hit> toList() {
      List<Hit> out = new ArrayList<>(size);
      for (int k = 0; k < size; k++) {
        out.add(get(k));
      }
      return out;
    }
  }

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
  }

  private static final int MAX_HITS = 64;

  private static final Compiled[] NONE = new Compiled[0];

  private final WordTable words = new WordTable();
  private final WordTable stems = new WordTable();

  /** This matcher's words and stems by their ids here. */
  private final String[] wordList;

  private final String[] stemList;

  private final Compiled[][] byFirstWord;
  private final Compiled[][] byFirstStem;

  /**
   * Per first word (and per first stem), the second elements of its rules merged into one (widest
   * gap, every word and stem accepted): where no word after the first fits that, none of the rules
   * can match, and they are not tried one by one. Null where a rule has a single element.
   */
  private final Element[] secondAfterWord;

  private final Element[] secondAfterStem;

  private final Lexicon lexicon;

  /** This matcher's bit in {@link Words#startBits}. */
  private final int clientBit;

  /** Ids of the lexicon's snapshot mapped to this matcher's; replaced when the lexicon grows. */
  private volatile Binding binding;

  /**
   * Compiles the rules into the lexicon every matcher shares (or, once that holds {@value
   * Lexicon#MAX_SHARED_WORDS} words or {@value Lexicon#MAX_CLIENTS} rule sets, into one of its
   * own).
   *
   * @throws IllegalArgumentException when a pattern is malformed
   */
  public PhraseMatcher(List<Rule> rules) {
    this(rules, Lexicon.SHARED.isFull() ? new Lexicon() : Lexicon.SHARED);
  }

  /** Compiles the rules into {@code lexicon} (tests use lexicons of their own). */
  PhraseMatcher(List<Rule> rules, Lexicon lexicon) {
    List<Rule> ruleList = List.copyOf(rules);
    List<int[][]> idsPerRule = new ArrayList<>();
    List<int[]> gapsPerRule = new ArrayList<>();
    Set<String> stemSet = new LinkedHashSet<>();
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
            if (!stem.isEmpty()) {
              stemSet.add(stem);
            }
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
      for (int id : ids[0]) {
        List<Compiled> list = id >= 0 ? firstWord.get(id) : firstStem.get(-2 - id);
        if (!list.contains(c)) {
          list.add(c);
        }
      }
    }
    byFirstWord = toArrays(firstWord);
    byFirstStem = toArrays(firstStem);
    secondAfterWord = merged(byFirstWord);
    secondAfterStem = merged(byFirstStem);
    wordList = words.keysById();
    stemList = stems.keysById();
    this.lexicon = lexicon;
    Set<String> startWords = new LinkedHashSet<>();
    for (int id = 0; id < wordCount; id++) {
      if (byFirstWord[id].length > 0) {
        startWords.add(wordList[id]);
      }
    }
    Set<String> startStems = new LinkedHashSet<>();
    for (int id = 0; id < stems.size(); id++) {
      if (byFirstStem[id].length > 0 && !stemList[id].isEmpty()) {
        startStems.add(stemList[id]);
      }
    }
    clientBit =
        Lexicon.clientBit(lexicon.register(Set.of(wordList), stemSet, startWords, startStems));
    binding = new Binding(lexicon.current());
  }

  /** For each list of rules, their second elements merged (see {@link #secondAfterWord}). */
  private static Element[] merged(Compiled[][] rulesByFirst) {
    Element[] out = new Element[rulesByFirst.length];
    for (int id = 0; id < out.length; id++) {
      Compiled[] rules = rulesByFirst[id];
      if (rules.length == 0) {
        continue;
      }
      int gap = 0;
      long[] accepts = null;
      for (Compiled c : rules) {
        if (c.elements.length < 2) {
          accepts = null;
          break;
        }
        Element second = c.elements[1];
        gap = Math.max(gap, second.gap);
        if (accepts == null) {
          accepts = second.accepts.clone();
        } else {
          for (int k = 0; k < accepts.length; k++) {
            accepts[k] |= second.accepts[k];
          }
        }
      }
      out[id] = accepts == null ? null : new Element(gap, accepts);
    }
    return out;
  }

  private static Compiled[][] toArrays(List<List<Compiled>> lists) {
    Compiled[][] out = new Compiled[lists.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = lists.get(i).isEmpty() ? NONE : lists.get(i).toArray(new Compiled[0]);
    }
    return out;
  }

  /**
   * This matcher's view of one lexicon snapshot: for each word id + 1 of the snapshot the word id
   * here (or -1), and for each trie node the id here of the longest of this matcher's stems that
   * ends at that node or above it (or -1). Immutable.
   */
  private final class Binding {
    final Lexicon.Snapshot snapshot;
    final int[] wordOf;
    final int[] stemOf;

    Binding(Lexicon.Snapshot snapshot) {
      this.snapshot = snapshot;
      wordOf = new int[snapshot.table.size() + 1];
      Arrays.fill(wordOf, -1);
      for (int id = 0; id < wordList.length; id++) {
        int global = snapshot.wordId(wordList[id]);
        if (global >= 0) {
          wordOf[global + 1] = id;
        }
      }
      StemTrie trie = snapshot.trie;
      int nodes = trie.size();
      int[] own = new int[nodes];
      Arrays.fill(own, -1);
      for (int id = 0; id < stemList.length; id++) {
        int node = trie.nodeOf(stemList[id]);
        if (node > StemTrie.ROOT) {
          own[node] = id;
        }
      }
      // A parent is always numbered before its children, so one forward pass carries the
      // longest stem down every path.
      stemOf = new int[nodes];
      stemOf[StemTrie.ROOT] = -1;
      for (int node = 1; node < nodes; node++) {
        stemOf[node] = own[node] >= 0 ? own[node] : stemOf[trie.parent(node)];
      }
    }
  }

  private Binding bindingFor(Lexicon.Snapshot snapshot) {
    Binding b = binding;
    if (b.snapshot != snapshot) {
      // The lexicon grew since this matcher was built (or last bound): map the new ids once.
      b = new Binding(snapshot);
      binding = b;
    }
    return b;
  }

  /**
   * The words of a folded text with their ids in a lexicon. Not thread-safe; one from {@link
   * #words} is owned by its caller.
   */
  public static final class Words {
    /**
     * Where each word starts in the folded text (where it ends is found again from there, for the
     * few words that end a hit: see {@link #end}).
     */
    int[] start;

    /**
     * The id + 1 of each word in the snapshot's table (0 when it holds no such word), shifted left
     * by one; the low bit ({@link #SENTENCE}) is set when a sentence ended between the word before
     * and this one. Two words are in the same sentence when no word after the first up to the
     * second has the bit. (Kept in one array so that the matchers read one array per word.)
     */
    int[] word;

    /** The deepest stem-trie node each word reaches (the root when none). */
    int[] node;

    int count;

    /** The words where some rule may start: their indexes, and the bits of the matchers. */
    int[] startAt;

    int[] startBits;
    int starts;

    /** The text and snapshot these words were split from and looked up in. */
    NormalizedText text;

    Lexicon.Snapshot snapshot;

    Words(int capacity) {
      start = new int[capacity];
      word = new int[capacity];
      node = new int[capacity];
      startAt = new int[capacity];
      startBits = new int[capacity];
    }

    public int count() {
      return count;
    }

    int capacity() {
      return start.length;
    }

    /**
     * Where word {@code k} ends in the folded text: after its word chars, an apostrophe included
     * where a word char follows it (the rule {@link Lexicon.Snapshot#split} splits by).
     */
    int end(int k) {
      char[] c = text.chars();
      int n = text.length();
      int s = start[k];
      int i = s;
      while (i < n) {
        char d = c[i];
        if (!isWordChar(d) && !(d == '\'' && i + 1 < n && isWordChar(c[i + 1]) && i > s)) {
          break;
        }
        i++;
      }
      return i;
    }

    void grow() {
      int nc = start.length * 2;
      start = Arrays.copyOf(start, nc);
      word = Arrays.copyOf(word, nc);
      node = Arrays.copyOf(node, nc);
      startAt = Arrays.copyOf(startAt, nc);
      startBits = Arrays.copyOf(startBits, nc);
    }
  }

  /** Splits folded text into words and looks each up (in arrays of its own; allocates). */
  public Words words(NormalizedText t) {
    Words w = new Words(Lexicon.wordsFor(t.length()));
    lexicon.current().split(t, w);
    return w;
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

  static boolean isWordChar(char c) {
    return c < 128 ? ASCII_WORD[c] : Character.isLetterOrDigit(c);
  }

  /** The bit of {@link Words#word} that marks a word starting a new sentence. */
  static final int SENTENCE = 1;

  private boolean matches(Element e, Binding b, Words w, int k) {
    long[] accepts = e.accepts;
    int word = b.wordOf[w.word[k] >>> 1];
    if (word >= 0 && (accepts[word >>> 6] & 1L << word) != 0) {
      return true;
    }
    int stem = b.stemOf[w.node[k]];
    if (stem < 0) {
      return false;
    }
    int bit = wordList.length + stem;
    return (accepts[bit >>> 6] & 1L << bit) != 0;
  }

  /**
   * Every rule match in {@code t}, in text order, at most {@value #MAX_HITS}. The words of the text
   * are split once for every matcher (see the class comment); the list is empty and shared when
   * nothing matched.
   */
  public List<Hit> match(NormalizedText t) {
    Hits hits = match(t, new Hits());
    return hits.size() == 0 ? List.of() : hits.toList();
  }

  /**
   * Every rule match in {@code t}, in text order, at most {@value #MAX_HITS}, put into {@code into}
   * (emptied first) and returned: as {@link #match(NormalizedText)}, without an object per hit.
   */
  public Hits match(NormalizedText t, Hits into) {
    Words w = lexicon.words(t);
    into.clear();
    match(bindingFor(w.snapshot), w, into);
    return into;
  }

  /** Every rule match, in text order, at most {@value #MAX_HITS}. */
  public List<Hit> match(Words w) {
    Hits hits = new Hits();
    match(bindingFor(w.snapshot), w, hits);
    return hits.toList();
  }

  private void match(Binding b, Words w, Hits hits) {
    int[] wordOf = b.wordOf;
    int[] stemOf = b.stemOf;
    int[] word = w.word;
    int[] node = w.node;
    int[] startAt = w.startAt;
    int[] startBits = w.startBits;
    int bit = clientBit;
    int starts = w.starts;
    for (int j = 0; j < starts && !hits.isFull(); j++) {
      if ((startBits[j] & bit) == 0) {
        continue;
      }
      int i = startAt[j];
      int lw = wordOf[word[i] >>> 1];
      if (lw >= 0 && mayContinue(secondAfterWord[lw], b, w, i)) {
        matchAll(byFirstWord[lw], b, w, i, hits);
      }
      int ls = stemOf[node[i]];
      if (ls >= 0 && mayContinue(secondAfterStem[ls], b, w, i)) {
        matchAll(byFirstStem[ls], b, w, i, hits);
      }
    }
  }

  private void matchAll(Compiled[] rules, Binding b, Words w, int i, Hits hits) {
    for (Compiled c : rules) {
      int end = matchAt(c.elements, b, w, i);
      if (end >= 0 && !hits.isFull()) {
        hits.add(c.rule, w.start[i], w.end(end));
      }
    }
  }

  /**
   * Whether a word that {@code second} accepts follows word {@code i} within its gap and sentence,
   * as {@link #matchAt} looks for a second element (always, for a null {@code second}).
   */
  private boolean mayContinue(Element second, Binding b, Words w, int i) {
    if (second == null) {
      return true;
    }
    int limit = Math.min(w.count - 1, i + 1 + second.gap);
    for (int k = i + 1; k <= limit && (w.word[k] & SENTENCE) == 0; k++) {
      if (matches(second, b, w, k)) {
        return true;
      }
    }
    return false;
  }

  private int matchAt(Element[] els, Binding b, Words w, int i) {
    int pos = i;
    for (int e = 1; e < els.length; e++) {
      Element el = els[e];
      int limit = Math.min(w.count - 1, pos + 1 + el.gap);
      int found = -1;
      for (int k = pos + 1; k <= limit; k++) {
        if ((w.word[k] & SENTENCE) != 0) {
          // A sentence ended before word k, so after word i (the words up to pos have no bit).
          break;
        }
        if (matches(el, b, w, k)) {
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
    private int[] parents = new int[64];
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
          parents[next] = node;
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
        parents = Arrays.copyOf(parents, cap);
      }
      return size++;
    }

    /** Number of nodes, the root included; nodes are numbered from 0 (the root) in order made. */
    int size() {
      return size;
    }

    /** The parent of a node other than the root: always a node numbered before it. */
    int parent(int node) {
      return parents[node];
    }

    /** The node {@code s} leads to from the root, or -1. */
    int nodeOf(String s) {
      int node = ROOT;
      for (int k = 0; k < s.length() && node >= 0; k++) {
        node = next(node, s.charAt(k));
      }
      return node;
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
  }

  /**
   * Open-addressing table from words to ids, looked up by char range without allocating. Words of
   * at most {@value #SHORT_MAX} chars below U+0100 (most words of prose) are also kept packed into
   * one {@code long} each, with their id: {@link #findShort} finds them with one comparison of
   * numbers per probe, without reading the chars of a key.
   */
  static final class WordTable {
    /** Longest word kept packed. */
    static final int SHORT_MAX = 6;

    private static final long SHORT_KEY = (1L << 48) - 1;

    /** Ids up to this one are kept packed (16 bits). */
    private static final int SHORT_MAX_ID = 0xFFFF;

    private final Map<String, Integer> ids = new HashMap<>();
    private char[][] keys = new char[64][];
    private int[] values = new int[64];

    /** Packed words ({@link #pack}) with their ids in the top 16 bits; 0 for an empty slot. */
    private long[] shortSlots = new long[64];

    private int shortCount;

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
      if (pack(word) != 0 && id <= SHORT_MAX_ID) {
        shortCount++;
        if (shortCount * 2 > shortSlots.length) {
          shortSlots = new long[shortSlots.length * 2];
          ids.forEach(this::putShort);
        } else {
          putShort(word, id);
        }
      }
      return id;
    }

    /**
     * The chars of {@code word} packed 8 bits each, when it has 1 to {@value #SHORT_MAX} chars, all
     * in U+0001 to U+00FF (no two such words pack alike); else 0.
     */
    static long pack(String word) {
      if (word.isEmpty() || word.length() > SHORT_MAX) {
        return 0;
      }
      long packed = 0;
      for (int i = 0; i < word.length(); i++) {
        char c = word.charAt(i);
        if (c == 0 || c > 0xFF) {
          return 0;
        }
        packed = packed << 8 | c;
      }
      return packed;
    }

    private void putShort(String word, int id) {
      long packed = pack(word);
      if (packed == 0 || id > SHORT_MAX_ID) {
        return;
      }
      int mask = shortSlots.length - 1;
      int slot = shortHash(packed) & mask;
      while (shortSlots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      shortSlots[slot] = packed | (long) id << 48;
    }

    private static int shortHash(long packed) {
      return (int) ((packed * 0x9E3779B97F4A7C15L) >>> 40);
    }

    /**
     * The id of the word that {@link #pack} packs to {@code packed} (not 0), or -1: the same as
     * {@link #find} on its chars.
     */
    int findShort(long packed) {
      long[] slots = shortSlots;
      int mask = slots.length - 1;
      int slot = shortHash(packed) & mask;
      long e;
      while ((e = slots[slot]) != 0) {
        if ((e & SHORT_KEY) == packed) {
          return (int) (e >>> 48);
        }
        slot = (slot + 1) & mask;
      }
      return -1;
    }

    int size() {
      return ids.size();
    }

    /** The words by id. */
    String[] keysById() {
      String[] out = new String[ids.size()];
      ids.forEach((w, id) -> out[id] = w);
      return out;
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
