package dev.portico.launcher;

import dev.portico.launcher.TestDnsServer.Entry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Targets given by host name, resolved through CNAME chains served by a {@link TestDnsServer}:
 * one link per answer, so the edge follows each link itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsTargetTest {

  private TestDnsServer dns;
  private Map<String, Entry> zone;
  private AtomicInteger queries;
  private Harness harness;
  private int backend;

  @BeforeAll
  void start() throws Exception {
    dns = new TestDnsServer();
    zone = dns.zone;
    queries = dns.queries;
    harness = new Harness(Map.of("PORTICO_DNS_RESOLVER", dns.address()));
    backend = harness.namedBackend("named");
  }

  @AfterAll
  void stop() {
    harness.close();
    dns.close();
  }

  /** {@code prefix1 -> prefix2 -> ... -> prefix<links> -> address}: a chain of that many CNAME links. */
  private String chain(String prefix, int links, long ttl) {
    for (int i = 1; i <= links; i++) {
      zone.put(prefix + i + ".test", new Entry(prefix + (i + 1) + ".test", null, ttl));
    }
    zone.put(prefix + (links + 1) + ".test", new Entry(null, "127.0.0.1", ttl));
    return prefix + "1.test";
  }

  private int status(String site, String target) {
    harness.putSite(site, "{\"targets\":[\"" + target + ":" + backend + "\"]}");
    return harness.get(site, "/").statusCode();
  }

  @Test
  void chainsOfOneAndTenLinksResolve() {
    assertEquals(200, status("one.example.net", chain("one-", 1, 60)));
    assertEquals(200, status("ten.example.net", chain("ten-", 10, 60)));
    assertEquals(200, status("direct.example.net", chain("direct-", 0, 60)));
  }

  @Test
  void elevenLinksAndLoopsAre502() {
    assertEquals(502, status("eleven.example.net", chain("eleven-", 11, 60)));
    zone.put("loop-a.test", new Entry("loop-b.test", null, 60));
    zone.put("loop-b.test", new Entry("loop-a.test", null, 60));
    assertEquals(502, status("loop.example.net", "loop-a.test"));
    assertEquals(502, status("nxdomain.example.net", "missing.test"));
  }

  @Test
  void anAnswerTruncatedOverUdpIsAskedAgainOverTcp() {
    zone.put("large.test", new Entry(null, "127.0.0.1", 60));
    dns.tcpOnly.add("large.test");
    assertEquals(200, status("tcp.example.net", "large.test"));
    assertTrue(dns.tcpQueries.get() > 0, "the truncated answer was asked for again over TCP");
  }

  @Test
  void answersAreCachedForTheirTtl() {
    String name = chain("ttl-", 1, 1);
    assertEquals(200, status("ttl.example.net", name));
    int asked = queries.get();
    assertEquals(200, harness.get("ttl.example.net", "/").statusCode());
    assertEquals(asked, queries.get(), "answered from the cache within the TTL");
    Harness.waitFor(() -> {
      harness.get("ttl.example.net", "/");
      return queries.get() > asked;
    }, 3_000);
    assertTrue(queries.get() - asked >= 2, "the chain is asked again after the TTL");
  }
}
