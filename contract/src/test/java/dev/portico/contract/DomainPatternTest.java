package dev.portico.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainPatternTest {

  @Test
  void canonicalisesCaseDotAndIdn() {
    assertEquals("*.example.com", DomainPattern.parse("*.Example.COM.").text());
    assertEquals("xn--bcher-kva.example", DomainPattern.parse("Bücher.example").text());
    assertEquals(DomainPattern.Kind.EXACT, DomainPattern.parse("example.com").kind());
    assertEquals(DomainPattern.Kind.WILDCARD, DomainPattern.parse("api.*.example.com").kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a..b", ".a", "a.**.**.b", "a b.com", "ex$mple.com", "*a.example.com"})
  void rejectsInvalidPatterns(String pattern) {
    assertThrows(IllegalArgumentException.class, () -> DomainPattern.parse(pattern));
  }

  @Test
  void rejectsOverlongLabels() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DomainPattern.parse("a".repeat(64) + ".com"));
    assertTrue(e.getMessage().contains("64 characters"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
      "*.example.com, a.example.com, true",
      "*.example.com, a.b.example.com, false",
      "*.example.com, example.com, false",
      "**.example.com, a.b.example.com, true",
      "**.example.com, example.com, false",
      "api.**.example.com, api.a.b.example.com, true",
      "api.**.example.com, web.a.example.com, false",
      "example.com, example.com, true",
      "**, anything.at.all, true",
  })
  void matchesOnItsOwn(String pattern, String host, boolean expected) {
    assertEquals(expected, DomainPattern.parse(pattern).matches(host));
  }

  @Test
  void exactPatternMatchesOnlyItself() {
    assertFalse(DomainPattern.parse("example.com").matches("www.example.com"));
  }
}
