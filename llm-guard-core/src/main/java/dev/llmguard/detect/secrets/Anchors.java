package dev.llmguard.detect.secrets;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The literal anchors of every rule (vendor prefixes such as {@code ghp_}, markers such as {@code
 * ://}) in one Aho-Corasick automaton, stored as a dense table over ASCII: one table lookup per
 * char of input finds every anchor occurrence, whatever the number of rules. Immutable and
 * thread-safe.
 */
final class Anchors {
  private static final int ALPHABET = 128;

  /** {@code delta[state * 128 + c]}: the next state. */
  private final int[] delta;

  /** Per state, the anchors that end there (own and inherited through failure links), or null. */
  private final int[][] out;

  private final int[] ruleOf;
  private final int[] lengthOf;

  /** Marks, in {@link #delta}, a char that ends a run of credential chars. */
  private static final int END = Integer.MIN_VALUE;

  /**
   * @param rules the rules whose anchors to find
   * @param inRun the ASCII chars that may occur in a credential; any other char ends a run
   */
  Anchors(List<SecretRule> rules, boolean[] inRun) {
    List<int[]> next = new ArrayList<>();
    List<List<Integer>> ends = new ArrayList<>();
    List<Integer> ruleIds = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    next.add(newState());
    ends.add(new ArrayList<>());
    for (int r = 0; r < rules.size(); r++) {
      for (String anchor : rules.get(r).anchors()) {
        int s = 0;
        for (int i = 0; i < anchor.length(); i++) {
          char c = anchor.charAt(i);
          if (c >= ALPHABET) {
            throw new IllegalArgumentException("anchors are ASCII: " + anchor);
          }
          if (next.get(s)[c] < 0) {
            next.get(s)[c] = next.size();
            next.add(newState());
            ends.add(new ArrayList<>());
          }
          s = next.get(s)[c];
        }
        ends.get(s).add(ruleIds.size());
        ruleIds.add(r);
        lengths.add(anchor.length());
      }
    }
    int states = next.size();
    int[] fail = new int[states];
    delta = new int[states * ALPHABET];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int c = 0; c < ALPHABET; c++) {
      int child = next.get(0)[c];
      if (child < 0) {
        delta[c] = 0;
      } else {
        delta[c] = child;
        fail[child] = 0;
        queue.add(child);
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      ends.get(s).addAll(ends.get(fail[s]));
      for (int c = 0; c < ALPHABET; c++) {
        int child = next.get(s)[c];
        if (child < 0) {
          delta[s * ALPHABET + c] = delta[fail[s] * ALPHABET + c];
        } else {
          delta[s * ALPHABET + c] = child;
          fail[child] = delta[fail[s] * ALPHABET + c];
          queue.add(child);
        }
      }
    }
    out = new int[states][];
    for (int s = 0; s < states; s++) {
      List<Integer> e = ends.get(s);
      if (!e.isEmpty()) {
        out[s] = e.stream().distinct().mapToInt(Integer::intValue).toArray();
      }
    }
    // store each target pre-multiplied by the alphabet size, negative when anchors end there,
    // so the scan loop needs one load per char and no multiplication
    for (int i = 0; i < delta.length; i++) {
      int target = delta[i];
      delta[i] =
          !inRun[i % ALPHABET] ? END : out[target] != null ? -target * ALPHABET : target * ALPHABET;
    }
    ruleOf = ruleIds.stream().mapToInt(Integer::intValue).toArray();
    lengthOf = lengths.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] newState() {
    int[] s = new int[ALPHABET];
    Arrays.fill(s, -1);
    return s;
  }

  /** Called for each anchor occurrence, in order of its last char. */
  interface Hit {
    void at(int rule, int start, int anchorLength);
  }

  /**
   * Reports every anchor occurrence in the run of credential chars that starts at {@code from};
   * allocates nothing.
   *
   * @return the end of the run (the index of the first char not in it)
   */
  int scan(String t, int from, Hit hit) {
    int state = 0;
    int n = t.length();
    for (int i = from; i < n; i++) {
      char c = t.charAt(i);
      if (c >= ALPHABET) {
        return i;
      }
      state = delta[state + c];
      if (state < 0) {
        if (state == END) {
          return i;
        }
        state = -state;
        for (int id : out[state / ALPHABET]) {
          hit.at(ruleOf[id], i - lengthOf[id] + 1, lengthOf[id]);
        }
      }
    }
    return n;
  }
}
