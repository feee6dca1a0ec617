package dev.portico.edge.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.portico.contract.IpAddresses;
import org.junit.jupiter.api.Test;

/** Whose wrong passwords count together (the addresses a client can rotate through must not each get their own budget). */
class BasicAuthVerifierTest {

  private static String key(String address) {
    return BasicAuthVerifier.clientKey(IpAddresses.parse(address));
  }

  @Test
  void anIpv6ClientCountsByItsSlash64() {
    assertEquals(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:ffff:ffff:fffe"));
    assertEquals(key("2001:db8:1:2::1"), key("2001:db8:1:2:8000::"));
    assertNotEquals(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
  }

  @Test
  void anIpv4ClientCountsByItsAddress() {
    assertNotEquals(key("192.0.2.1"), key("192.0.2.2"));
    assertEquals(key("192.0.2.1"), key("::ffff:192.0.2.1"));  // the mapped form is the same client
    assertEquals("none", BasicAuthVerifier.clientKey(null));
  }
}
