package dev.portico.contract;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Relations between site patterns decided on the patterns alone, with no list of hosts: whether
 * two patterns share a host name (they overlap), and whether every name a pattern matches lies
 * inside a domain. The admin API uses them to keep a tenant's sites away from hosts another owner
 * serves.
 */
public final class PatternOverlap {

  /** The label a shared host gets where both patterns have a wildcard: any label would do. */
  static final String ANY = "x";

  private PatternOverlap() {
  }

  /** Whether some host name matches both patterns. */
  public static boolean overlap(DomainPattern a, DomainPattern b) {
    return sharedHost(a, b) != null;
  }

  /**
   * A host name both patterns match (with as few labels as possible), or {@code null} when there
   * is none. Each pattern is read as an automaton over labels from the right: state {@code k} has
   * consumed its last {@code k} labels; a literal label takes that label, {@code *} any one label,
   * {@code **} any one label and then, looping on the state after it, any number more. The two
   * automata walk together, so the search visits at most {@code (m+1)(n+1)} pairs of states:
   * polynomial however many wildcards either holds. The name found may be longer than DNS allows
   * (253 characters): such a pair is still said to overlap, which errs on the refusing side.
   */
  public static String sharedHost(DomainPattern a, DomainPattern b) {
    String[] left = rightToLeft(a);
    String[] right = rightToLeft(b);
    int width = right.length + 1;
    int states = (left.length + 1) * width;
    int[] previous = new int[states];
    String[] label = new String[states];
    java.util.Arrays.fill(previous, -1);
    previous[0] = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(0);
    int goal = states - 1;
    while (!queue.isEmpty() && previous[goal] < 0) {
      int state = queue.poll();
      int i = state / width;
      int j = state % width;
      for (Move x : moves(left, i)) {
        for (Move y : moves(right, j)) {
          String shared = sharedLabel(x.token, y.token);
          int next = x.to * width + y.to;
          if (shared != null && previous[next] < 0) {
            previous[next] = state;
            label[next] = shared;
            queue.add(next);
          }
        }
      }
    }
    return previous[goal] < 0 ? null : name(previous, label, goal);
  }

  /**
   * Whether every name {@code pattern} matches is {@code domain} or a name under it: its last
   * labels are the domain's, each one literal. {@code *.example.com} and {@code example.com} lie
   * inside {@code example.com}; {@code *.com}, {@code **} and {@code example.*} do not.
   *
   * @param domain a pattern without wildcards
   */
  public static boolean inside(DomainPattern pattern, DomainPattern domain) {
    if (domain.isWildcard()) {
      throw new IllegalArgumentException("a domain has no wildcard: " + domain);
    }
    String[] labels = pattern.labels();
    String[] suffix = domain.labels();
    if (labels.length < suffix.length) {
      return false;
    }
    for (int i = 1; i <= suffix.length; i++) {
      if (!labels[labels.length - i].equals(suffix[suffix.length - i])) {
        return false;
      }
    }
    return true;
  }

  /** One step of a pattern's automaton: the token it consumes a label with, and the state after. */
  private record Move(String token, int to) {
  }

  /** From state {@code k} (last {@code k} tokens consumed): the next token, and a {@code **}'s loop. */
  private static List<Move> moves(String[] tokens, int k) {
    List<Move> moves = new ArrayList<>(2);
    if (k < tokens.length) {
      moves.add(new Move(tokens[k], k + 1));
    }
    if (k > 0 && tokens[k - 1].equals(DomainPattern.ANY_LABELS)) {
      moves.add(new Move(DomainPattern.ANY_LABELS, k));
    }
    return moves;
  }

  /** A label both tokens accept, or {@code null}: two literals must be equal, a wildcard takes any. */
  private static String sharedLabel(String x, String y) {
    boolean xAny = isWildcard(x);
    boolean yAny = isWildcard(y);
    if (xAny && yAny) {
      return ANY;
    }
    if (xAny) {
      return y;
    }
    return yAny || x.equals(y) ? x : null;
  }

  private static boolean isWildcard(String token) {
    return token.equals(DomainPattern.ONE_LABEL) || token.equals(DomainPattern.ANY_LABELS);
  }

  private static String[] rightToLeft(DomainPattern pattern) {
    List<String> labels = new ArrayList<>(List.of(pattern.labels()));
    Collections.reverse(labels);
    return labels.toArray(String[]::new);
  }

  /** The name spelled by the labels on the way back from {@code goal} to the start. */
  private static String name(int[] previous, String[] label, int goal) {
    List<String> labels = new ArrayList<>();
    for (int state = goal; state != 0; state = previous[state]) {
      labels.add(label[state]);
    }
    return String.join(".", labels);
  }
}
