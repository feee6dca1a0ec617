package dev.portico.edge.upstream;

import io.netty.resolver.dns.DnsCnameCache;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resolver's caches stay within their bounds whatever names tenants' sites make it look up. */
class BoundedDnsCacheTest {

  private static InetAddress address(int i) throws Exception {
    return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
  }

  @Test
  void aFloodOfNamesHoldsAtMostTheCap() throws Exception {
    BoundedDnsCache cache = new BoundedDnsCache(100, 1, 3600);
    for (int i = 0; i < 5_000; i++) {
      cache.cache("name-" + i + ".test", null, address(i), 300, null);
    }
    assertTrue(cache.size() <= 100, "names held: " + cache.size());
    cache.cache("kept.test", null, address(1), 300, null);
    assertEquals(address(1), cache.get("kept.test.", null).get(0).address(), "a name and its dotted form are one");
  }

  @Test
  void aNameKeepsAtMostItsCapOfAddresses() throws Exception {
    BoundedDnsCache cache = new BoundedDnsCache(100, 1, 3600);
    for (int i = 0; i < 1_000; i++) {
      cache.cache("many.test", null, address(i), 300, null);
    }
    assertEquals(BoundedDnsCache.MAX_ADDRESSES, cache.get("many.test", null).size());
  }

  @Test
  void anAnswerLeavesTheCacheAfterItsSmallestTtl() throws Exception {
    BoundedDnsCache cache = new BoundedDnsCache(100, 1, 3600);
    cache.cache("short.test", null, address(1), 3600, null);
    cache.cache("short.test", null, address(2), 0, null);  // clamped to the 1 s minimum
    assertEquals(2, cache.get("short.test", null).size());
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (cache.get("short.test", null) != null && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertNull(cache.get("short.test", null), "expired after its smallest TTL");
  }

  @Test
  void failuresAreNotCached() {
    BoundedDnsCache cache = new BoundedDnsCache(100, 1, 3600);
    assertNotNull(cache.cache("gone.test", null, new RuntimeException("NXDOMAIN"), null).cause());
    assertNull(cache.get("gone.test", null));
  }

  @Test
  void cnameLinksAreBoundedToo() {
    DnsCnameCache links = BoundedDnsCache.cnames(100, 1, 3600);
    for (int i = 0; i < 5_000; i++) {
      links.cache("alias-" + i + ".test", "target-" + i + ".test", 300, null);
    }
    int held = 0;
    for (int i = 0; i < 5_000; i++) {
      held += links.get("alias-" + i + ".test") == null ? 0 : 1;
    }
    assertTrue(held <= 100, "links held: " + held);
    assertEquals("target-4999.test", links.get("alias-4999.test."));
  }
}
