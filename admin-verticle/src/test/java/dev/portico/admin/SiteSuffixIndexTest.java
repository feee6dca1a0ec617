package dev.portico.admin;

import dev.portico.contract.DomainPattern;
import dev.portico.contract.PatternOverlap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiteSuffixIndexTest {

  @Test
  void membersAreThePatternReversed() {
    assertEquals("test.corp.*", SiteSuffixIndex.reversed("*.corp.test"));
    assertEquals("*.corp.test", SiteSuffixIndex.reversed(SiteSuffixIndex.reversed("*.corp.test")));
    assertEquals("**", SiteSuffixIndex.reversed("**"));
  }

  @Test
  void rangesOfANameUnderADomain() {
    List<String> ranges = SiteSuffixIndex.ranges(DomainPattern.parse("api.*.corp.test")).stream()
        .map(range -> range.min() + " " + range.max()).toList();
    assertEquals(List.of("[test.corp [test.corp", "[test.corp. [test.corp.\u00ff", "[* [*\u00ff",
        "[test.* [test.*\u00ff"), ranges, "under corp.test, or a wildcard before corp.test is read whole");
  }

  /**
   * The ranges must hold every site that shares a host with the pattern (or whose parent does, for
   * includeApex): a site outside them would go unchecked. Every pair of patterns of up to four
   * labels from {a, b, *, **}.
   */
  @Test
  void everySiteSharingAHostLiesInARange() {
    List<DomainPattern> patterns = new ArrayList<>();
    for (String text : words(List.of("a", "b", "*", "**"), 4)) {
      try {
        patterns.add(DomainPattern.parse(text));
      } catch (IllegalArgumentException repeatsAnyLabels) {
        // '**.**' is not a pattern
      }
    }
    int checked = 0;
    for (DomainPattern claim : patterns) {
      List<SiteSuffixIndex.Range> ranges = SiteSuffixIndex.ranges(claim);
      for (DomainPattern site : patterns) {
        boolean apexShares = site.text().startsWith("*.")
            && PatternOverlap.overlap(claim, DomainPattern.parse(site.text().substring(2)));
        if (PatternOverlap.overlap(claim, site) || apexShares) {
          String member = SiteSuffixIndex.reversed(site.text());
          assertTrue(ranges.stream().anyMatch(range -> holds(range, member)), site + " for " + claim);
          checked++;
        }
      }
    }
    assertTrue(checked > 10_000, "pairs checked: " + checked);
  }

  /** ZRANGEBYLEX with inclusive bounds, '-' and '+' for the ends. */
  private static boolean holds(SiteSuffixIndex.Range range, String member) {
    boolean aboveMin = range.min().equals("-") || member.compareTo(range.min().substring(1)) >= 0;
    boolean belowMax = range.max().equals("+") || member.compareTo(range.max().substring(1)) <= 0;
    return aboveMin && belowMax;
  }

  private static List<String> words(List<String> alphabet, int maxLength) {
    List<String> all = new ArrayList<>();
    List<String> current = List.of("");
    for (int length = 1; length <= maxLength; length++) {
      List<String> next = new ArrayList<>();
      for (String prefix : current) {
        for (String letter : alphabet) {
          next.add(prefix.isEmpty() ? letter : prefix + "." + letter);
        }
      }
      all.addAll(next);
      current = next;
    }
    return all;
  }
}
