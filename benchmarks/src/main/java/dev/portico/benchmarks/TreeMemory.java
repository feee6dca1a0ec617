package dev.portico.benchmarks;

import dev.portico.contract.DomainPattern;
import dev.portico.lookup.DomainTree;

import java.util.List;

/**
 * Heap held by a tree of N patterns, per pattern: the heap in use after a full GC with the tree
 * reachable, minus the same without it (the pattern strings are counted, as the tree keeps them).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.portico.benchmarks.TreeMemory 1000000</pre>
 */
public final class TreeMemory {

  private TreeMemory() {
  }

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    long before = usedAfterGc();
    List<DomainPattern> patterns = Patterns.generate(count);
    long withPatterns = usedAfterGc();
    DomainTree<String> tree = Patterns.tree(patterns);
    patterns = null;
    long withTree = usedAfterGc();
    System.out.printf("%d patterns: tree %.1f MB, %.0f bytes per pattern (parsed patterns alone: %.0f bytes each)%n",
        tree.size(), (withTree - before) / 1e6, (double) (withTree - before) / count,
        (double) (withPatterns - before) / count);
  }

  private static long usedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
