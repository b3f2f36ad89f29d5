package dev.llmguard.detect.text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The words and stems of every {@link PhraseMatcher} built on it, so that a folded text is split
 * into words and each word looked up once for all of them: the prompt-injection and jailbreak
 * matchers scan the same text, and before they shared a lexicon each split it and hashed every word
 * on its own. A matcher maps the lexicon's ids to its own with two array reads per word.
 *
 * <p>Thread-safe. {@link #register} (a matcher's constructor) publishes a new immutable {@link
 * Snapshot}; a split is tied to the snapshot it used, so a matcher built later never reads a split
 * that lacks its words. The lexicon only grows: it is meant for the rule sets of a process, built
 * once, not for rules made per request ({@link #isFull} caps {@link #SHARED}).
 */
final class Lexicon {

  /**
   * The lexicon of every matcher built with {@link PhraseMatcher#PhraseMatcher(java.util.List)}.
   */
  static final Lexicon SHARED = new Lexicon();

  /**
   * Per-thread word arrays are kept between texts up to this many words (20 bytes a word: a 100 KB
   * prose text has about 20,000); a text with more gets arrays of its own, dropped after use.
   */
  static final int MAX_RETAINED_WORDS = 1 << 16;

  private final Set<String> words = new LinkedHashSet<>();
  private final Set<String> stems = new LinkedHashSet<>();

  /** Per registered matcher, the words and the stems its rules start with. */
  private final List<Set<String>> firstWords = new ArrayList<>();

  private final List<Set<String>> firstStems = new ArrayList<>();

  private volatile Snapshot current = new Snapshot(Set.of(), Set.of(), List.of(), List.of());

  /**
   * Adds a matcher's words and stems (already folded), with those its rules start with, and returns
   * its client number: the bit {@code 1 << min(client, 31)} marks the words where one of its rules
   * may start ({@link PhraseMatcher.Words#startBits}). A matcher whose rules start with the same
   * words and stems as an earlier one shares its number, and one that adds nothing leaves the
   * snapshot as it is: building the same rules again does not grow the lexicon.
   */
  synchronized int register(
      Set<String> newWords, Set<String> newStems, Set<String> starts, Set<String> stemStarts) {
    for (int client = 0; client < firstWords.size(); client++) {
      if (firstWords.get(client).equals(starts)
          && firstStems.get(client).equals(stemStarts)
          && words.containsAll(newWords)
          && stems.containsAll(newStems)) {
        return client;
      }
    }
    words.addAll(newWords);
    stems.addAll(newStems);
    firstWords.add(Set.copyOf(starts));
    firstStems.add(Set.copyOf(stemStarts));
    current = new Snapshot(words, stems, firstWords, firstStems);
    return firstWords.size() - 1;
  }

  /**
   * Whether this lexicon is past the size up to which new matchers join it: beyond {@value
   * #MAX_SHARED_WORDS} words and stems or {@value #MAX_CLIENTS} distinct rule sets, a matcher gets
   * a lexicon of its own (as fast for itself, without the split shared), so that rule sets built at
   * run time cannot grow the shared one without bound.
   */
  synchronized boolean isFull() {
    return words.size() + stems.size() > MAX_SHARED_WORDS || firstWords.size() >= MAX_CLIENTS;
  }

  /** Words and stems beyond which {@link #SHARED} takes no new matchers. */
  static final int MAX_SHARED_WORDS = 1 << 16;

  /** Distinct rule sets beyond which {@link #SHARED} takes no new matchers. */
  static final int MAX_CLIENTS = 64;

  /** The bit of client {@code client} in {@link PhraseMatcher.Words#startBits}. */
  static int clientBit(int client) {
    return 1 << Math.min(client, 31);
  }

  Snapshot current() {
    return current;
  }

  /**
   * The words of {@code t} split and looked up in the current snapshot: computed once per text and
   * snapshot, then reused by every matcher that asks. A text from {@link TextNormalizer#normalize}
   * or {@link TextNormalizer#foldDecoded} is split into its thread's reused arrays (valid as long
   * as the text is); one from {@link TextNormalizer#fold} gets arrays of its own.
   */
  PhraseMatcher.Words words(NormalizedText t) {
    Snapshot s = current;
    PhraseMatcher.Words w = t.words;
    if (w != null && w.text == t && w.snapshot == s) {
      return w;
    }
    w =
        t.scratch != null
            ? t.scratch.words(wordsFor(t.length()))
            : new PhraseMatcher.Words(wordsFor(t.length()));
    s.split(t, w);
    t.words = w;
    return w;
  }

  /** A first guess of the word count of a text of {@code length} folded chars. */
  static int wordsFor(int length) {
    return 16 + length / 5;
  }

  /**
   * The lexicon at one moment: a word table and a trie of the stems, each node of the trie numbered
   * so that a matcher can tell, per node, its own longest stem on the way there.
   */
  static final class Snapshot {
    final PhraseMatcher.WordTable table = new PhraseMatcher.WordTable();
    final PhraseMatcher.StemTrie trie = new PhraseMatcher.StemTrie();

    /** Per word id + 1, the client bits of the matchers with a rule that starts with it. */
    private final int[] startWord;

    /** Per trie node, the client bits of the matchers with a rule that starts with a stem there. */
    private final int[] startNode;

    Snapshot(
        Set<String> words,
        Set<String> stems,
        List<Set<String>> firstWords,
        List<Set<String>> firstStems) {
      for (String w : words) {
        table.add(w);
      }
      int id = 0;
      for (String s : stems) {
        trie.add(s, id++);
      }
      startWord = new int[table.size() + 1];
      startNode = new int[trie.size()];
      for (int client = 0; client < firstWords.size(); client++) {
        int bit = clientBit(client);
        for (String w : firstWords.get(client)) {
          startWord[wordId(w) + 1] |= bit;
        }
        for (String s : firstStems.get(client)) {
          startNode[trie.nodeOf(s)] |= bit;
        }
      }
      // A stem starts a rule for every word that reaches its node or goes deeper; a parent is
      // numbered before its children.
      for (int node = 1; node < startNode.length; node++) {
        startNode[node] |= startNode[trie.parent(node)];
      }
    }

    /** Id of {@code word} in this snapshot, or -1. */
    int wordId(String word) {
      char[] c = word.toCharArray();
      return table.find(c, 0, c.length);
    }

    /**
     * Splits all of {@code t} into {@code w}: for each word its start, its id + 1 in the word table
     * (0 when absent) with the bit that says whether a sentence ended before it (see {@link
     * PhraseMatcher.Words#word}), and the deepest trie node its chars reach (0, the root, when
     * none).
     */
    void split(NormalizedText t, PhraseMatcher.Words w) {
      w.text = null;
      w.snapshot = this;
      int n = t.length();
      char[] c = t.chars();
      PhraseMatcher.WordTable table = this.table;
      PhraseMatcher.StemTrie trie = this.trie;
      int count = 0;
      int starts = 0;
      int sent = 0;
      int sentOfLast = 0;
      int capacity = w.capacity();
      int i = 0;
      while (i < n) {
        char ch = c[i];
        if (!PhraseMatcher.isWordChar(ch)) {
          if (ch == '.' || ch == '!' || ch == '?' || ch == '\n' || ch == ';') {
            sent++;
          }
          i++;
          continue;
        }
        if (count == capacity) {
          w.grow();
          capacity = w.capacity();
        }
        // One pass over the word: its end, its hash for the word table, and the trie walked as far
        // as some stem goes.
        int s = i;
        int h = 0;
        long packed = 0;
        int wide = 0;
        int node = PhraseMatcher.StemTrie.ROOT;
        int at = node;
        while (i < n) {
          char d = c[i];
          if (!PhraseMatcher.isWordChar(d)
              && !(d == '\'' && i + 1 < n && PhraseMatcher.isWordChar(c[i + 1]) && i > s)) {
            break;
          }
          h = 31 * h + d;
          packed = packed << 8 | d;
          wide |= d;
          if (node >= 0) {
            node = trie.next(node, d);
            if (node >= 0) {
              at = node;
            }
          }
          i++;
        }
        // Short words (most of them) are found by their chars packed into a number.
        int word =
            (i - s <= PhraseMatcher.WordTable.SHORT_MAX && wide <= 0xFF
                    ? table.findShort(packed)
                    : table.find(c, s, i, h))
                + 1;
        w.start[count] = s;
        w.word[count] = word << 1 | (sent != sentOfLast ? PhraseMatcher.SENTENCE : 0);
        w.node[count] = at;
        sentOfLast = sent;
        // Words where some rule may start are listed, so that a matcher visits only those.
        int bits = startWord[word] | startNode[at];
        if (bits != 0) {
          w.startAt[starts] = count;
          w.startBits[starts++] = bits;
        }
        count++;
      }
      w.count = count;
      w.starts = starts;
      w.text = t;
    }
  }
}
