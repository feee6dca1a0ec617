package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node on Sentinel (three sentinels, a master, two replicas, one of them node-local) while the
 * master is killed (SIGKILL) under traffic: cached sites never fail, uncached ones route, an admin
 * write acknowledged before the kill survives it, and admin writes are accepted again once a
 * replica is promoted. Sentinel timings are lowered (down after 1 s).
 */
class RedisSentinelTest {

  private static final long WITHIN_MS = 60_000;

  @Test
  void theNodeFollowsAFailoverWithoutFailingCachedSitesOrLosingAcknowledgedWrites() throws Exception {
    try (RedisServers servers = new RedisServers()) {
      RedisServers.Server master = servers.server("--enable-debug-command", "yes");
      RedisServers.Server local = servers.replicaOf(master, "--enable-debug-command", "yes");
      RedisServers.Server other = servers.replicaOf(master, "--enable-debug-command", "yes");
      List<RedisServers.Server> sentinels = List.of(servers.sentinel(master), servers.sentinel(master),
          servers.sentinel(master));
      String sentinelList = String.join(",", sentinels.stream().map(s -> "127.0.0.1:" + s.port()).toList());
      try (TopologyNode node = new TopologyNode(Map.of("PORTICO_REDIS_SENTINELS", sentinelList,
          "PORTICO_REDIS_SENTINEL_MASTER", RedisServers.MASTER_NAME, "PORTICO_REDIS_READ_URL", local.url(),
          "PORTICO_ROLES", "edge,lookup,admin"))) {
        // a write is acknowledged by a replica once one is online (one still loading its first copy
        // cannot acknowledge): on a loaded machine the two may still be loading when the node is up
        Harness.waitFor(() -> Harness.await(node.redis(master).info(List.of("replication"))).toString()
            .split("state=online", -1).length - 1 == 2, WITHIN_MS);
        AdminClient admin = node.admin();
        String token = admin.login("admin", TopologyNode.ADMIN_PASSWORD);
        int backend = node.backend("sentinel");
        JsonObject site = new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend));

        assertEquals(200, admin.put("/api/v1/sites/cached.sentinel.test", token, site).status() / 100 * 100);
        assertTrue(TopologyNode.get(node.redis(local), "portico:site:cached.sentinel.test") != null
            || TopologyNode.get(node.redis(other), "portico:site:cached.sentinel.test") != null,
            "an acknowledged write is on a replica");
        assertEquals(200, admin.put("/api/v1/sites/uncached.sentinel.test", token, site).status() / 100 * 100);
        Harness.waitFor(() -> node.status("cached.sentinel.test") == 200, WITHIN_MS);

        notAcknowledgedWhileNoReplicaConfirms(node, admin, token, site, local, other);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Thread traffic = new Thread(() -> {
          while (running.get()) {
            (node.status("cached.sentinel.test") == 200 ? served : failed).incrementAndGet();
          }
        });
        traffic.start();
        long killedAt = System.nanoTime();
        master.kill();
        Redis sentinel = Redis.createClient(node.testVertx, sentinels.get(0).url());
        long promoted = Harness.waitFor(() -> Harness.await(sentinel.send(Request.cmd(Command.SENTINEL)
            .arg("get-master-addr-by-name").arg(RedisServers.MASTER_NAME))).get(1).toInteger() != master.port(), WITHIN_MS);
        long uncached = Harness.waitFor(() -> node.status("uncached.sentinel.test") == 200, WITHIN_MS);
        JsonObject after = site.copy().put("targets", new JsonArray().add("127.0.0.1:" + node.backend("after")));
        Harness.waitFor(() -> admin.put("/api/v1/sites/after.sentinel.test", token, after)
            .status() / 100 == 2, WITHIN_MS);
        running.set(false);
        traffic.join();
        System.out.printf("failover: promoted after %d ms; uncached site routed %d ms, admin writes accepted %d ms"
            + " after the kill; %d requests to the cached site, %d failed%n", promoted, promoted + uncached,
            (System.nanoTime() - killedAt) / 1_000_000, served.get() + failed.get(), failed.get());
        assertEquals(0, failed.get(), "requests to a cached site while the master died");
        assertTrue(served.get() > 0);
        assertEquals(200, admin.get("/api/v1/sites/cached.sentinel.test", token).status(),
            "written before the kill, present after");
        Harness.waitFor(() -> node.status("after.sentinel.test") == 200, WITHIN_MS);
      }
    }
  }

  /**
   * With both replicas stalled (DEBUG SLEEP), a write is made on the master but no replica confirms
   * it within the wait timeout: the API does not acknowledge it.
   */
  private static void notAcknowledgedWhileNoReplicaConfirms(TopologyNode node, AdminClient admin, String token,
      JsonObject site, RedisServers.Server... replicas) {
    for (RedisServers.Server replica : replicas) {
      node.redis(replica).debug(List.of("SLEEP", "3"));
    }
    AdminClient.Answer stalled = admin.put("/api/v1/sites/stalled.sentinel.test", token, site);
    assertEquals(503, stalled.status(), stalled.body());
    assertTrue(stalled.body().contains("no replica confirmed"), stalled.body());
  }
}
