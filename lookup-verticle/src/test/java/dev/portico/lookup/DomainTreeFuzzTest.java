package dev.portico.lookup;

import dev.portico.contract.DomainPattern;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random patterns and names against the tree: its answers equal a brute-force reference
 * (every pattern, every way of aligning it, in the walk's order) and {@link DomainPattern#matches},
 * and its walk stays within (nodes) × (labels + 1) × (labels + 2) steps, with patterns within the
 * API's limits and past them (as if written straight into Redis).
 *
 * <p>Runs for {@code -Dfuzz.seconds} (10 by default); {@code -Dfuzz.seed} replays a run, and a
 * failure names the seed of its case.
 */
class DomainTreeFuzzTest {

  private static final long SECONDS = Long.getLong("fuzz.seconds", 10);
  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  private static final String[] LITERALS = {"a", "b", "c"};

  @Test
  void smallTreesAnswerAsTheReferenceDoes() {
    forEachCase(random -> {
      Map<String, DomainPattern> patterns = new LinkedHashMap<>();
      int count = 1 + random.nextInt(8);
      while (patterns.size() < count) {
        DomainPattern pattern = DomainPattern.parseUnlimited(randomPattern(random, 1 + random.nextInt(6)));
        patterns.put(pattern.text(), pattern);
      }
      DomainTree<String> tree = new DomainTree<>();
      patterns.values().forEach(pattern -> tree.put(pattern, pattern.text()));
      for (int i = 0; i < 20; i++) {
        String host = randomHost(random, 1 + random.nextInt(8));
        List<String> expected = reference(patterns.values(), host);
        List<String> all = tree.matchAll(host).stream().map(DomainTree.Entry::pattern).toList();
        assertEquals(expected, all, "matchAll(" + host + ") of " + patterns.keySet());
        assertWithinBound(tree, patterns.values(), host);
        DomainTree.Entry<String> first = tree.match(host);
        assertEquals(expected.isEmpty() ? null : expected.get(0), first == null ? null : first.pattern(),
            "match(" + host + ") of " + patterns.keySet());
        assertWithinBound(tree, patterns.values(), host);
        for (DomainPattern pattern : patterns.values()) {
          assertEquals(expected.contains(pattern.text()), pattern.matches(host), pattern + " matches " + host);
        }
      }
    });
  }

  @Test
  void longNamesAndManyAnyLabelsStayPolynomial() {
    forEachCase(random -> {
      List<DomainPattern> patterns = new ArrayList<>();
      DomainTree<String> tree = new DomainTree<>();
      for (int i = 0; i < 1 + random.nextInt(4); i++) {
        DomainPattern pattern = DomainPattern.parseUnlimited(randomPattern(random, 2 + random.nextInt(40)));
        patterns.add(pattern);
        tree.put(pattern, pattern.text());
      }
      // half of them all 'a': the name of the report, which no split fails early on
      int labels = 1 + random.nextInt(127);
      String host = random.nextBoolean() ? randomHost(random, labels) : "a.".repeat(labels - 1) + "a";
      DomainTree.Entry<String> first = tree.match(host);
      assertWithinBound(tree, patterns, host);
      boolean anyMatches = patterns.stream().anyMatch(pattern -> pattern.matches(host));
      assertEquals(anyMatches, first != null, "match(" + host + ") of " + patterns);
      assertTrue(first == null || DomainPattern.parseUnlimited(first.pattern()).matches(host));
    });
  }

  /** Runs cases until the time is up, each from its own seed, which a failure names. */
  private static void forEachCase(java.util.function.Consumer<Random> test) {
    Random seeds = new Random(SEED);
    long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
    int cases = 0;
    while (System.nanoTime() < deadline || cases == 0) {
      long seed = seeds.nextLong();
      try {
        test.accept(new Random(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("fuzz case " + cases + " (run -Dfuzz.seed=" + SEED + ", case seed " + seed + "): "
            + e.getMessage(), e);
      }
      cases++;
    }
  }

  /** Labels a, b, c, '*' and '**' (never two '**' side by side: the parser refuses them). */
  private static String randomPattern(Random random, int labels) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < labels; i++) {
      int kind = random.nextInt(10);
      String label = kind < 6 ? LITERALS[random.nextInt(LITERALS.length)] : kind < 8 ? "*" : "**";
      if (label.equals("**") && !parts.isEmpty() && parts.get(parts.size() - 1).equals("**")) {
        label = "a";
      }
      parts.add(label);
    }
    return String.join(".", parts);
  }

  private static String randomHost(Random random, int labels) {
    StringBuilder host = new StringBuilder();
    for (int i = 0; i < labels; i++) {
      host.append(i == 0 ? "" : ".").append(LITERALS[random.nextInt(LITERALS.length)]);
    }
    return host.toString();
  }

  /**
   * Every visited state is explored once per memory scope, and scopes cover disjoint subtrees, so
   * a walk makes at most (tree nodes) × (host labels + 1) × (host labels + 2) calls; the nodes are
   * at most the patterns' labels plus the root.
   */
  private static void assertWithinBound(DomainTree<String> tree, Iterable<DomainPattern> patterns, String host) {
    long nodes = 1;
    for (DomainPattern pattern : patterns) {
      nodes += pattern.labels().length;
    }
    long labels = host.split("\\.").length;
    long bound = nodes * (labels + 1) * (labels + 2);
    assertTrue(tree.lastSteps() <= bound, "walk of " + host + " took " + tree.lastSteps() + " steps, bound " + bound);
  }

  /** The patterns matching {@code host}, in the order the walk prefers them. */
  private static List<String> reference(Iterable<DomainPattern> patterns, String host) {
    String[] name = host.split("\\.");
    Map<String, List<Integer>> keys = new LinkedHashMap<>();
    for (DomainPattern pattern : patterns) {
      String[] labels = pattern.labels();
      List<Integer> key = firstAlignment(labels, labels.length - 1, name, name.length - 1);
      if (key != null) {
        keys.put(pattern.text(), key);
      }
    }
    return keys.entrySet().stream().sorted(Map.Entry.comparingByValue(DomainTreeFuzzTest::compare))
        .map(Map.Entry::getKey).toList();
  }

  /**
   * The walk's choices for the first way {@code labels[0..p]} matches {@code name[0..n]}, right to
   * left: 0 for a literal label, 1 for '*', then 2 and the labels taken for '**' (fewest first),
   * or {@code null} if there is none. The walk tries choices in this order, so the pattern it
   * answers with has the smallest sequence.
   */
  private static List<Integer> firstAlignment(String[] labels, int p, String[] name, int n) {
    if (p < 0) {
      return n < 0 ? new ArrayList<>() : null;
    }
    if (n < 0) {
      return null;
    }
    String label = labels[p];
    if (label.equals("**")) {
      for (int take = 1; take <= n + 1; take++) {
        List<Integer> rest = firstAlignment(labels, p - 1, name, n - take);
        if (rest != null) {
          rest.add(0, take);
          rest.add(0, 2);
          return rest;
        }
      }
      return null;
    }
    if (!label.equals("*") && !label.equals(name[n])) {
      return null;
    }
    List<Integer> rest = firstAlignment(labels, p - 1, name, n - 1);
    if (rest != null) {
      rest.add(0, label.equals("*") ? 1 : 0);
    }
    return rest;
  }

  private static int compare(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int order = Integer.compare(a.get(i), b.get(i));
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
