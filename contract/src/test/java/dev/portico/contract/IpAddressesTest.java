package dev.portico.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpAddressesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "10.6.6.1, 10.6.6.1",
      "10.6.6.1:1234, 10.6.6.1",
      "::ffff:10.6.6.1, 10.6.6.1",
      "[::ffff:10.6.6.1]:80, 10.6.6.1",
      "0:0:0:0:0:ffff:a06:601, 10.6.6.1",
      "::1, ::1",
      "[::1], ::1",
      "[::1]:80, ::1",
      "2001:DB8::1, 2001:db8::1",
  })
  void hopsAreParsedToTheirNormalisedAddress(String hop, String expected) {
    assertEquals(expected, IpAddresses.text(IpAddresses.parseWithOptionalPort(hop)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "unknown", "10.6.6.1:", "10.6.6.1:http", "10.6.6.1:99999", "10.6.6", "[10.6.6.1]",
      "[::1", "[::1]x", "[::1]:", "::1:80x", " 10.6.6.1", "10.6.6.1 ", "fe80::1%eth0", "example.com:80", "_hidden",
      "1.2.3.4:5:6"})
  void malformedHopsAreNoAddress(String hop) {
    assertNull(IpAddresses.parseWithOptionalPort(hop));
  }

  @Test
  void mappedRangesAreTheirIpv4Ranges() {
    Cidr mapped = Cidr.parse("::ffff:10.6.6.0/120");
    assertEquals(Cidr.parse("10.6.6.0/24"), mapped);
    assertTrue(mapped.contains(IpAddresses.parse("10.6.6.9")));
    assertTrue(Cidr.parse("10.6.6.0/24").contains(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 6, 6, 9}),
        "a mapped address given as 16 bytes is compared as IPv4");
    assertFalse(Cidr.parse("10.6.6.0/24").contains(IpAddresses.parse("10.6.7.1")));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:0:0/80"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("fe80::%eth0/64"));
  }
}
