package dev.portico.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
  void refusesMoreThanTwoAnyLabels() {
    assertEquals("**.a.**.example.com", DomainPattern.parse("**.a.**.example.com").text());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DomainPattern.parse("q.**.a.**.a.**.a.**.a.**.a.**"));
    assertTrue(e.getMessage().contains("6 '**' labels (at most 2)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DomainPattern.parse("a" + ".b".repeat(126) + ".c"),
        "128 labels are over 253 characters");
  }

  /** The report's pattern and 122-label name: every split of the name was tried (36 s); now a table of 7 × 123 cells. */
  @Test
  @Timeout(60)
  void matchingIsPolynomialForAnyPattern() {
    DomainPattern attack = DomainPattern.parseUnlimited("q.**.a.**.a.**.a.**.a.**.a.**");
    String name = "a.".repeat(121) + "a";
    assertFalse(attack.matches(name));
    assertTrue(attack.matches("q." + name));
    assertFalse(attack.matches("q.a.a.a.a.a.a.a.a.a.a"), "each '**' takes one label at least");
    assertTrue(attack.matches("q.b.a.c.a.d.a.e.a.f.a.g"));
  }

  @Test
  void exactPatternMatchesOnlyItself() {
    assertFalse(DomainPattern.parse("example.com").matches("www.example.com"));
  }
}
