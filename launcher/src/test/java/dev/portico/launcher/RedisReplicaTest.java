package dev.portico.launcher;

import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An edge reading a node-local replica ({@code PORTICO_REDIS_READ_URL}) of a remote master, on
 * real {@code redis-server} processes: sites written on the master are routed from the replica,
 * and with the replica frozen (SIGSTOP) or gone (SIGKILL), cached and uncached sites keep routing
 * from the master while the ops port's readiness answer shows the replica's state.
 */
class RedisReplicaTest {

  private static final long WITHIN_MS = 30_000;

  @Test
  void anEdgeReadsItsLocalReplicaAndKeepsRoutingWhenTheReplicaStops() throws Exception {
    try (RedisServers servers = new RedisServers()) {
      RedisServers.Server master = servers.server();
      RedisServers.Server replica = servers.replicaOf(master);
      try (TopologyNode node = new TopologyNode(Map.of("PORTICO_REDIS_URL", master.url(),
          "PORTICO_REDIS_READ_URL", replica.url(), "PORTICO_ROLES", "edge,lookup"))) {
        RedisAPI onMaster = node.redis(master);
        RedisAPI onReplica = node.redis(replica);
        int backend = node.backend("replicated");
        TopologyNode.set(onMaster, "portico:site:exact.replica.test", TopologyNode.site(backend));
        TopologyNode.set(onMaster, "portico:site:*.wild.replica.test", TopologyNode.site(backend));
        long exact = Harness.waitFor(() -> node.status("exact.replica.test") == 200, WITHIN_MS);
        long wildcard = Harness.waitFor(() -> node.status("a.wild.replica.test") == 200, WITHIN_MS);
        System.out.printf("written on the master, routed from the replica after %d ms (exact), %d ms (wildcard)%n",
            exact, wildcard);

        String stats = Harness.await(onReplica.info(List.of("commandstats"))).toString();
        assertTrue(stats.contains("cmdstat_mget:"), "the edge and lookup read the replica: " + stats);
        assertTrue(Harness.await(onReplica.pubsub(List.of("NUMPAT"))).toInteger() > 0,
            "the change subscription listens on the replica");
        Harness.waitFor(() -> "in sync".equals(node.readiness().getString("redisReplica")), WITHIN_MS);

        replica.signal("STOP");  // frozen: connections stay open, nothing answers
        TopologyNode.set(onMaster, "portico:site:frozen.replica.test", TopologyNode.site(backend));
        assertEquals(200, node.status("frozen.replica.test"), "read from the master after the replica's silence");
        Harness.waitFor(() -> node.readiness().getString("redisReplica", "").startsWith("unreachable"), WITHIN_MS);
        replica.signal("CONT");
        Harness.waitFor(() -> "in sync".equals(node.readiness().getString("redisReplica")), WITHIN_MS);

        replica.kill();
        TopologyNode.set(onMaster, "portico:site:late.replica.test", TopologyNode.site(backend));
        assertEquals(200, node.status("exact.replica.test"), "cached exact site");
        assertEquals(200, node.status("a.wild.replica.test"), "cached wildcard host");
        assertEquals(200, node.status("b.wild.replica.test"), "uncached host under a wildcard");
        assertEquals(200, node.status("late.replica.test"), "site written after the replica stopped");
        Harness.waitFor(() -> node.readiness().getString("redisReplica", "").startsWith("unreachable"), WITHIN_MS);
        assertEquals("up", node.readiness().getString("status"), "the node stays ready on its master");
      }
    }
  }
}
