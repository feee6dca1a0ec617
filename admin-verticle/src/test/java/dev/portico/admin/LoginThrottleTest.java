package dev.portico.admin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which address a login attempt counts for. */
class LoginThrottleTest {

  @Test
  void ipv4CountsAsItIsAlsoWhenMapped() {
    assertEquals("10.6.6.1", LoginThrottle.addressBucket("10.6.6.1"));
    assertEquals("10.6.6.1", LoginThrottle.addressBucket("::ffff:10.6.6.1"));
    assertEquals("10.6.6.1", LoginThrottle.addressBucket("0:0:0:0:0:ffff:a06:601"));
  }

  /** One client usually holds a whole /64: counting its addresses one by one would let it guess 2^64 times as much. */
  @Test
  void ipv6CountsByItsSlash64() {
    String bucket = LoginThrottle.addressBucket("2001:db8:1:2::1");
    assertEquals(bucket, LoginThrottle.addressBucket("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    assertEquals(bucket, LoginThrottle.addressBucket("2001:0db8:0001:0002:0:0:0:9"));
    assertEquals("2001:db8:1:2:0:0:0:0/64", bucket);
    assertEquals("2001:db8:1:3:0:0:0:0/64", LoginThrottle.addressBucket("2001:db8:1:3::1"));
  }

  @Test
  void anythingElseCountsAsItIs() {
    assertEquals("not-an-address", LoginThrottle.addressBucket("not-an-address"));
  }
}
