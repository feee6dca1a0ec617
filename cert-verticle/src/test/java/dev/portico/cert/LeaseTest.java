package dev.portico.cert;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leases against a real Redis: two leases of one node never pass for each other. */
class LeaseTest {

  private static RedisServer redisServer;
  private static Vertx vertx;
  private static Redis redis;

  @BeforeAll
  static void start() throws Exception {
    int port = Pebble.freePort();
    redisServer = RedisServer.newRedisServer().bind("127.0.0.1").port(port).build();
    redisServer.start();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, "redis://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
    redisServer.stop();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String value(String key) throws Exception {
    Response value = await(redis.send(Request.cmd(Command.GET).arg(key)));
    return value == null ? null : value.toString();
  }

  @Test
  void aLeaseThatExpiredNeitherExtendsNorReleasesItsSuccessorFromTheSameNode() throws Exception {
    Lease first = new Lease(redis, "test:lease:a", "node-1", 30_000);
    Lease second = new Lease(redis, "test:lease:a", "node-1", 30_000);
    assertTrue(await(first.acquire()));
    assertFalse(await(second.acquire()), "held");
    await(redis.send(Request.cmd(Command.DEL).arg("test:lease:a")));  // as when it expires
    assertTrue(await(second.acquire()));
    String secondValue = value("test:lease:a");
    assertTrue(secondValue.startsWith("node-1#"), secondValue);

    assertFalse(await(first.extend()), "the first lease is over, though the node is the same");
    assertFalse(await(first.release()));
    assertEquals(secondValue, value("test:lease:a"), "the successor keeps it");
    assertTrue(await(second.release()));
    assertEquals(null, value("test:lease:a"));
  }

  @Test
  void aLeaseKeptAliveOutlivesItsTimeAndNoticesWhenItIsTaken() throws Exception {
    Lease kept = new Lease(redis, "test:lease:b", "node-1", 300);
    assertTrue(await(kept.acquire()));
    kept.keepAlive(vertx);
    Thread.sleep(1_000);
    assertTrue(value("test:lease:b") != null, "extended past its 300 ms");
    assertFalse(kept.lost());

    await(redis.send(Request.cmd(Command.SET).arg("test:lease:b").arg("node-2#1")));  // taken meanwhile
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!kept.lost() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(kept.lost(), "the next keep-alive finds it gone");
    await(kept.release());
    assertEquals("node-2#1", value("test:lease:b"));
  }

  @Test
  void aLeaseReleasedWithAHoldIsTakenByNobodyUntilTheHoldEnds() throws Exception {
    Lease turn = new Lease(redis, "test:lease:c", "node-1", 30_000);
    Lease next = new Lease(redis, "test:lease:c", "node-2", 30_000);
    assertTrue(await(turn.acquire()));
    assertTrue(await(turn.release(800)));
    assertFalse(await(next.acquire()), "held for the pause after the turn");
    assertTrue(value("test:lease:c").startsWith("released:node-1#"), value("test:lease:c"));
    assertFalse(await(turn.extend()), "given up: the released lease does not take it back");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!await(next.acquire()) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(value("test:lease:c").startsWith("node-2#"), "taken once the pause is over");
  }
}
