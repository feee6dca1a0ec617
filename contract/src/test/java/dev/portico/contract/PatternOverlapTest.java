package dev.portico.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatternOverlapTest {

  @ParameterizedTest(name = "{0} and {1} overlap: {2}")
  @CsvSource({
      "api.corp.test, api.corp.test, true",
      "api.corp.test, *.corp.test, true",
      "api.corp.test, **.corp.test, true",
      "api.corp.test, **, true",
      "a.b.corp.test, *.corp.test, false",
      "a.b.corp.test, **.corp.test, true",
      "corp.test, *.corp.test, false",
      "corp.test, **.corp.test, false",
      "*.corp.test, **.corp.test, true",
      "*.corp.test, *.*.test, true",
      "*.corp.test, *.*.*.test, false",
      "**.corp.test, *.other.test, false",
      "**.corp.test, api.*.test, true",
      "api.*.test, web.*.test, false",
      "api.**.test, **.v1.test, true",
      "a.**.b.c, **.b.c, true",
      "a.**.b.test, *.c.test, false",
      "**, **, true",
      "*, **, true",
      "*, a.b, false",
      "**.com, corp.test, false",
  })
  void overlapIsSymmetricAndNamesASharedHost(String a, String b, boolean expected) {
    DomainPattern left = DomainPattern.parse(a);
    DomainPattern right = DomainPattern.parse(b);
    assertEquals(expected, PatternOverlap.overlap(left, right));
    assertEquals(expected, PatternOverlap.overlap(right, left));
    String shared = PatternOverlap.sharedHost(left, right);
    if (expected) {
      assertNotNull(shared);
      assertTrue(left.matches(shared) && right.matches(shared), shared);
    } else {
      assertNull(shared);
    }
  }

  @Test
  void theSharedHostIsAsShortAsPossible() {
    assertEquals("api.corp.test", PatternOverlap.sharedHost(DomainPattern.parse("api.corp.test"),
        DomainPattern.parse("**")));
    assertEquals("x.corp.test", PatternOverlap.sharedHost(DomainPattern.parse("**.corp.test"),
        DomainPattern.parse("*.*.test")));
  }

  /**
   * Every pair of patterns of up to three tokens from {a, b, *, **} against every host of up to six
   * labels from {a, b, c} (c standing for any other label): the automaton agrees with matching.
   * (Patterns that {@link DomainPattern#parse} refuses, such as too many '**', are left out.)
   */
  @Test
  void agreesWithMatchingEveryHostOnSmallPatterns() {
    List<DomainPattern> patterns = new ArrayList<>();
    for (String text : words(List.of("a", "b", "*", "**"), 3)) {
      try {
        patterns.add(DomainPattern.parse(text));
      } catch (IllegalArgumentException repeatsAnyLabels) {
        // '**.**' is not a pattern
      }
    }
    List<String> hosts = words(List.of("a", "b", "c"), 6);
    for (DomainPattern a : patterns) {
      List<String> matchedByA = hosts.stream().filter(a::matches).toList();
      for (DomainPattern b : patterns) {
        boolean shared = matchedByA.stream().anyMatch(b::matches);
        assertEquals(shared, PatternOverlap.overlap(a, b), a + " and " + b);
      }
    }
  }

  @ParameterizedTest(name = "{0} inside {1}: {2}")
  @CsvSource({
      "corp.test, corp.test, true",
      "api.corp.test, corp.test, true",
      "*.corp.test, corp.test, true",
      "**.corp.test, corp.test, true",
      "api.*.corp.test, corp.test, true",
      "*.test, corp.test, false",
      "**.test, corp.test, false",
      "**, corp.test, false",
      "*, corp.test, false",
      "corp.*, corp.test, false",
      "test, corp.test, false",
      "xcorp.test, corp.test, false",
  })
  void insideADomain(String pattern, String domain, boolean expected) {
    assertEquals(expected, PatternOverlap.inside(DomainPattern.parse(pattern), DomainPattern.parse(domain)));
  }

  @Test
  void aDomainHasNoWildcard() {
    assertThrows(IllegalArgumentException.class,
        () -> PatternOverlap.inside(DomainPattern.parse("a.test"), DomainPattern.parse("*.test")));
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
