package dev.portico.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes made straight into Redis (as with redis-cli) reach the edge at once, through
 * keyspace notifications, the lookup verticle and the event bus; never by waiting out a TTL.
 */
class InvalidationTest {

  /**
   * A generous bound for a pushed change; the node's route TTLs are set far above it, so a change
   * seen within it came through the notification, not a TTL running out. (How fast is measured
   * by bench/write-propagation.sh.)
   */
  private static final long WITHIN_MS = 15_000;
  private static final String TTL_MS = "600000";

  private static Harness harness;

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_ROUTE_HIT_TTL_MS", TTL_MS, "PORTICO_ROUTE_MISS_TTL_MS", TTL_MS));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static String served(String host) {
    var response = harness.get(host, "/");
    return response.statusCode() == 200 ? response.body().substring(0, response.body().indexOf('\n'))
        : Integer.toString(response.statusCode());
  }

  @Test
  void newSiteRoutesAndDeletedSiteStopsWithoutWaitingForATtl() {
    int port = harness.namedBackend("fresh");
    assertEquals("404", served("fresh.example.com"));   // now cached as unknown for 600 s
    harness.putSite("fresh.example.com", port);
    long added = Harness.waitFor(() -> served("fresh.example.com").equals("fresh"), WITHIN_MS);
    harness.deleteSite("fresh.example.com");
    long deleted = Harness.waitFor(() -> served("fresh.example.com").equals("404"), WITHIN_MS);
    System.out.printf("site added: routed after %d ms; deleted: 404 after %d ms%n", added, deleted);
  }

  @Test
  void movedBackendIsUsedWithoutWaitingForATtl() {
    harness.putSite("moving.example.com", harness.namedBackend("old"));
    Harness.waitFor(() -> served("moving.example.com").equals("old"), WITHIN_MS);
    harness.putSite("moving.example.com", harness.namedBackend("new"));
    Harness.waitFor(() -> served("moving.example.com").equals("new"), WITHIN_MS);
  }

  @Test
  void moreSpecificWildcardTakesOverCachedRoutesEverywhere() {
    harness.putSite("**.shop.test", harness.namedBackend("any-depth"));
    Harness.waitFor(() -> served("a.shop.test").equals("any-depth"), WITHIN_MS);
    // the lookup verticle cached a.shop.test -> **.shop.test in Redis as well
    Harness.waitFor(() -> "**.shop.test".equals(routeInRedis("a.shop.test")), WITHIN_MS);

    harness.putSite("*.shop.test", harness.namedBackend("one-label"));
    Harness.waitFor(() -> served("a.shop.test").equals("one-label"), WITHIN_MS);
    assertTrue(routeInRedis("a.shop.test") == null || "*.shop.test".equals(routeInRedis("a.shop.test")));
    assertEquals("any-depth", served("a.b.shop.test"));

    harness.deleteSite("*.shop.test");
    Harness.waitFor(() -> served("a.shop.test").equals("any-depth"), WITHIN_MS);
  }

  @Test
  void brokenSiteRecoversWhenFixed() {
    harness.putSite("fixme.example.com", "{not json");
    Harness.waitFor(() -> served("fixme.example.com").equals("502"), WITHIN_MS);
    harness.putSite("fixme.example.com", harness.namedBackend("fixed"));
    Harness.waitFor(() -> served("fixme.example.com").equals("fixed"), WITHIN_MS);
  }

  @Test
  void sitesWrittenWithNonCanonicalKeysAreIgnored() {
    harness.putSite("Upper.Example.com", harness.namedBackend("upper"));
    harness.putSite("lower.example.com", harness.namedBackend("lower"));
    Harness.waitFor(() -> served("lower.example.com").equals("lower"), WITHIN_MS);
    assertEquals("404", served("upper.example.com"));
  }

  private static String routeInRedis(String host) {
    var value = Harness.await(harness.redisApi.get("portico:route:" + host));
    return value == null ? null : value.toString();
  }

  @Test
  void routeCacheIsIndexedBySiteWithExpiry() {
    harness.putSite("*.indexed.test", harness.namedBackend("indexed"));
    Harness.waitFor(() -> served("x.indexed.test").equals("indexed"), WITHIN_MS);
    Harness.waitFor(() -> "*.indexed.test".equals(routeInRedis("x.indexed.test")), WITHIN_MS);
    long ttl = Harness.await(harness.redisApi.ttl("portico:route:x.indexed.test")).toLong();
    assertTrue(ttl > 3000 && ttl <= 3600, "ttl " + ttl);
    var members = Harness.await(harness.redisApi.zrange(List.of("portico:routes-by-site:*.indexed.test", "0", "-1")));
    assertEquals("x.indexed.test", members.get(0).toString());
    assertNull(routeInRedis("nothing.indexed.example"));
  }
}
