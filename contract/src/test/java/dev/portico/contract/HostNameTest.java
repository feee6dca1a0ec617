package dev.portico.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class HostNameTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "example.com, example.com",
      "Example.COM, example.com",
      "example.com., example.com",
      "example.com:8080, example.com",
      "EXAMPLE.com.:443, example.com",
      "_dmarc.example.com, _dmarc.example.com",
      "10.0.0.1:80, 10.0.0.1",
      "[::1]:8080, [::1]",
      "[2001:DB8::1], [2001:db8::1]",
      "localhost, localhost",
  })
  void canonicalises(String authority, String expected) {
    assertEquals(expected, HostName.canonical(authority));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "a..b", ".example.com", "exa mple.com", "example.com:", "example.com:99999",
      "example.com:80:80", "example.com:8o", "ex@mple.com", "bücher.example", "a/b", "[::1", "[zz::1]", "[::1]x",
      "example.com\r\nX: y"})
  void rejectsMalformed(String authority) {
    assertNull(HostName.canonical(authority));
  }

  @Test
  void rejectsOverlongNamesAndLabels() {
    assertNull(HostName.canonical("a".repeat(64) + ".com"));
    assertEquals("a".repeat(63) + ".com", HostName.canonical("a".repeat(63) + ".com"));
    String longest = "a.".repeat(126) + "z";
    assertEquals(longest, HostName.canonical(longest));
    assertNull(HostName.canonical("b" + longest));
  }

  @Test
  void returnsCanonicalInputItself() {
    String host = "shop.example.com";
    assertSame(host, HostName.canonical(host));
  }
}
