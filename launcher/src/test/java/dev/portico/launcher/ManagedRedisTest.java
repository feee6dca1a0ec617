package dev.portico.launcher;

import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A Redis that acts like a managed one (ElastiCache, Memorystore): {@code CONFIG} refused
 * (renamed away) and keyspace notifications off. Sites and certificates written straight into it
 * ({@code redis-cli SET}), and an exact site changed there, are found by the sweep ({@code PORTICO_REDIS_SWEEP_S}, here 1 s), within
 * the README's bound of two sweep periods; the test polls with a generous bound and prints the delay.
 */
class ManagedRedisTest {

  private static final long WITHIN_MS = 30_000;

  @Test
  void sitesAndCertificatesWrittenStraightIntoAManagedRedisAreServed() throws Exception {
    try (RedisServers servers = new RedisServers()) {
      RedisServers.Server managed = servers.server("--rename-command", "CONFIG", "");
      try (TopologyNode node = new TopologyNode(Map.of("PORTICO_REDIS_URL", managed.url(),
          "PORTICO_REDIS_SWEEP_S", "1", "PORTICO_ROLES", "edge,lookup"))) {
        RedisAPI redis = node.redis(managed);
        assertThrows(AssertionError.class, () -> Harness.await(redis.config(List.of("GET", "notify-keyspace-events"))),
            "CONFIG is refused");
        int backend = node.backend("managed");
        assertNotEquals(200, node.status("a.wild.managed.test"));

        long start = System.nanoTime();
        TopologyNode.set(redis, "portico:site:*.wild.managed.test", TopologyNode.site(backend));
        Harness.waitFor(() -> node.status("a.wild.managed.test") == 200, WITHIN_MS);
        long site = (System.nanoTime() - start) / 1_000_000;

        TopologyNode.set(redis, "portico:site:tls.managed.test",
            "{\"targets\":[\"127.0.0.1:" + backend + "\"],\"tls\":\"manual\"}");
        int httpsPort = node.portico.config().httpsPort();
        X509Certificate fallback = TlsClient.leaf(httpsPort, "tls.managed.test");
        assertFalse(TlsClient.dnsNames(fallback).contains("tls.managed.test"), "no certificate yet");
        start = System.nanoTime();
        TopologyNode.set(redis, "portico:cert:tls.managed.test", TestCertificates.stored("tls.managed.test"));
        Harness.waitFor(() -> TlsClient.dnsNames(TlsClient.leaf(httpsPort, "tls.managed.test"))
            .contains("tls.managed.test"), WITHIN_MS);
        long certificate = (System.nanoTime() - start) / 1_000_000;

        start = System.nanoTime();
        Harness.await(redis.del(List.of("portico:site:*.wild.managed.test")));
        Harness.waitFor(() -> node.status("b.wild.managed.test") != 200 && node.status("a.wild.managed.test") != 200,
            WITHIN_MS);
        long deleted = (System.nanoTime() - start) / 1_000_000;
        // An exact site is not held by the lookup; while it sweeps, its fingerprint tells a changed one.
        TopologyNode.set(redis, "portico:site:exact.managed.test", TopologyNode.site(backend));
        Harness.waitFor(() -> node.status("exact.managed.test") == 200, WITHIN_MS);
        start = System.nanoTime();
        TopologyNode.set(redis, "portico:site:exact.managed.test", "{\"targets\":[\"127.0.0.1:1\"]}");
        Harness.waitFor(() -> node.status("exact.managed.test") == 502, WITHIN_MS);
        long exactChanged = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("managed Redis, sweep 1 s: wildcard site served %d ms after SET, certificate %d ms, "
            + "deletion %d ms, exact site's change %d ms%n", site, certificate, deleted, exactChanged);
      }
    }
  }
}
