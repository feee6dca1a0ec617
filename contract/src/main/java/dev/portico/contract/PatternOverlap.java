package dev.portico.contract;

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
    if (!labelCountsMeet(left, right)) {
      return null;
    }
    int width = right.length + 1;
    int states = (left.length + 1) * width;
    int[] previous = new int[states];
    String[] label = new String[states];
    java.util.Arrays.fill(previous, -1);
    previous[0] = 0;
    int[] queue = new int[states];
    int head = 0;
    int tail = 0;
    queue[tail++] = 0;
    int goal = states - 1;
    while (head < tail && previous[goal] < 0) {
      int state = queue[head++];
      int i = state / width;
      int j = state % width;
      for (int x = 0; x < 2; x++) {
        String xToken = token(left, i, x);
        for (int y = 0; xToken != null && y < 2; y++) {
          String yToken = token(right, j, y);
          String shared = yToken == null ? null : sharedLabel(xToken, yToken);
          int next = (i + 1 - x) * width + (j + 1 - y);
          if (shared != null && previous[next] < 0) {
            previous[next] = state;
            label[next] = shared;
            queue[tail++] = next;
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

  /**
   * From state {@code k} (last {@code k} tokens consumed), move 0 takes the next token to state
   * {@code k+1}; move 1 is a {@code **}'s loop, staying at {@code k}. {@code null}: no such move.
   */
  private static String token(String[] tokens, int k, int move) {
    if (move == 0) {
      return k < tokens.length ? tokens[k] : null;
    }
    return k > 0 && tokens[k - 1].equals(DomainPattern.ANY_LABELS) ? DomainPattern.ANY_LABELS : null;
  }

  /** Whether the numbers of labels the two patterns match have one in common (a quick first test). */
  private static boolean labelCountsMeet(String[] left, String[] right) {
    boolean leftUnbounded = List.of(left).contains(DomainPattern.ANY_LABELS);
    boolean rightUnbounded = List.of(right).contains(DomainPattern.ANY_LABELS);
    return (leftUnbounded || left.length >= right.length) && (rightUnbounded || right.length >= left.length);
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
