package dev.portico.launcher;

import dev.portico.contract.redis.RedisSetup;
import dev.portico.contract.redis.ReplicaReads;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Redis variables: Sentinel, a read replica, and start-up refused, with one line naming the
 * problem, only when the variables contradict each other or no endpoint answers.
 */
class RedisConfigTest {

  private static String error(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return assertThrows(ConfigException.class, () -> PorticoConfig.fromEnvironment(env)).getMessage();
  }

  @Test
  void contradictoryRedisSettingsAreRefusedWithOneLine() {
    assertTrue(error("PORTICO_REDIS_URL", "redis://10.0.0.9:6379", "PORTICO_REDIS_SENTINELS", "10.0.0.1:26379",
        "PORTICO_REDIS_SENTINEL_MASTER", "m").startsWith("PORTICO_REDIS_URL and PORTICO_REDIS_SENTINELS are both set"));
    assertEquals("PORTICO_REDIS_SENTINELS needs PORTICO_REDIS_SENTINEL_MASTER (the master's name)",
        error("PORTICO_REDIS_SENTINELS", "10.0.0.1:26379"));
    assertEquals("PORTICO_REDIS_SENTINEL_MASTER needs PORTICO_REDIS_SENTINELS (host:port list)",
        error("PORTICO_REDIS_SENTINEL_MASTER", "m"));
    assertEquals("PORTICO_REDIS_SENTINELS names 'sentinel one': expected host:port or a redis:// URL",
        error("PORTICO_REDIS_SENTINELS", "sentinel one", "PORTICO_REDIS_SENTINEL_MASTER", "m"));
    assertTrue(error("PORTICO_REDIS_READ_URL", "redis://127.0.0.1:6380")
        .startsWith("PORTICO_REDIS_READ_URL needs PORTICO_REDIS_URL or PORTICO_REDIS_SENTINELS"));
    assertEquals("PORTICO_REDIS_READ_URL='http://127.0.0.1:6380' must start with redis:// or rediss://",
        error("PORTICO_REDIS_URL", "redis://10.0.0.9:6379", "PORTICO_REDIS_READ_URL", "http://127.0.0.1:6380"));
    assertEquals("PORTICO_REDIS_WAIT_TIMEOUT_MS=0 must be between 10 and 60000",
        error("PORTICO_REDIS_URL", "redis://10.0.0.9:6379", "PORTICO_REDIS_WAIT_TIMEOUT_MS", "0"));
  }

  @Test
  void sentinelAndReplicaEndpointsReachEveryVerticleWithPasswordsHiddenInLogs() {
    PorticoConfig config = PorticoConfig.fromEnvironment(Map.of(
        "PORTICO_REDIS_SENTINELS", "10.0.0.1:26379, rediss://portico:s3cret@10.0.0.2:26380",
        "PORTICO_REDIS_SENTINEL_MASTER", "main", "PORTICO_REDIS_READ_URL", "redis://reader:pw@127.0.0.1:6380"));
    assertFalse(config.embeddedRedis(), "Sentinel is an external Redis");
    RedisSetup setup = RedisSetup.fromConfig(config.verticleConfig());
    assertEquals(List.of("redis://10.0.0.1:26379", "rediss://portico:s3cret@10.0.0.2:26380"), setup.sentinels());
    assertEquals("main", setup.masterName());
    assertEquals("redis://reader:pw@127.0.0.1:6380", setup.readUrl());
    assertEquals("Sentinel redis://10.0.0.1:26379,rediss://portico:***@10.0.0.2:26380 master main, "
        + "reads from redis://reader:***@127.0.0.1:6380", config.redisUrlForLog());
  }

  @Test
  void startUpIsRefusedOnlyWhenNoEndpointAnswers() throws Exception {
    int nothing = Harness.freePort();
    int alsoNothing = Harness.freePort();
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_SECRET_KEY", Harness.SECRET_KEY);
    env.put("PORTICO_ROLES", "edge,lookup");
    env.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + nothing);
    env.put("PORTICO_REDIS_READ_URL", "redis://127.0.0.1:" + alsoNothing);
    String refused = assertThrows(ConfigException.class, () -> Portico.start(PorticoConfig.fromEnvironment(env)))
        .getMessage();
    assertTrue(refused.startsWith("cannot reach Redis at redis://127.0.0.1:" + nothing + ", reads from "), refused);
    assertTrue(refused.contains("master: ") && refused.contains("replica: ") && !refused.contains("\n"), refused);

    try (RedisServers servers = new RedisServers()) {
      RedisServers.Server orphan = servers.server("--replicaof", "127.0.0.1", Integer.toString(nothing));
      env.put("PORTICO_REDIS_READ_URL", orphan.url());
      env.putAll(Harness.listenersOnFreePorts());
      try (Portico portico = Portico.start(PorticoConfig.fromEnvironment(env))) {
        // the node runs on its replica while the master is away, and says the replica lags
        assertTrue(portico.vertx().deploymentIDs().size() >= 2, "edge and lookup deployed");
        Harness.waitFor(() -> String.valueOf(portico.vertx().sharedData().getLocalMap(ReplicaReads.HEALTH_MAP)
            .get(ReplicaReads.HEALTH_KEY)).startsWith("lagging: link to its master is down"), 30_000);
      }
    }
  }
}
