package dev.portico.benchmarks;

import dev.portico.contract.DomainPattern;
import dev.portico.lookup.DomainTree;

import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic site population: mostly exact names spread over many zones, a tenth of them
 * wildcards of all three shapes, as a large multi-tenant edge would hold.
 */
final class Patterns {

  private Patterns() {
  }

  static List<DomainPattern> generate(int count) {
    List<DomainPattern> patterns = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String pattern = switch (i % 20) {
        case 0 -> "*." + site(i);
        case 1 -> "**." + site(i);
        default -> site(i);
      };
      patterns.add(DomainPattern.parse(pattern));
    }
    return patterns;
  }

  /** The zone of the i-th site: 5000 zones under three suffixes. */
  static String zone(int i) {
    return "zone" + (i % 5000) + (i % 3 == 0 ? ".com" : i % 3 == 1 ? ".net" : ".co.uk");
  }

  /** The i-th site's name: a pattern itself when i % 20 > 1, else the base of a wildcard. */
  static String site(int i) {
    return "site" + i + "." + zone(i);
  }

  static DomainTree<String> tree(List<DomainPattern> patterns) {
    DomainTree<String> tree = new DomainTree<>();
    for (DomainPattern pattern : patterns) {
      tree.put(pattern, pattern.text());
    }
    return tree;
  }
}
