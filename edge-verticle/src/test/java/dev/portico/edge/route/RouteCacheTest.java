package dev.portico.edge.route;

import dev.portico.edge.EdgeOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How long a cached route serves as it is, on a clock the test moves. */
class RouteCacheTest {

  private static final int HOSTS = 1_000;
  private static final Route FOUND = Route.invalid("site.test", "a found site, whatever it holds");
  private final AtomicLong now = new AtomicLong();
  private final RouteCache cache = new RouteCache(EdgeOptions.fromJson(new JsonObject()
      .put("routeHitTtlMs", 10_000L).put("routeMissTtlMs", 1_000L)), now::get);

  private void at(long millis) {
    now.set(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  private long fresh() {
    return IntStream.range(0, HOSTS).filter(i -> cache.fresh("h" + i) != null).count();
  }

  @Test
  void routesFoundTogetherComeUpForRefreshSpreadOverTheLastFifthOfTheTtl() {
    at(0);
    IntStream.range(0, HOSTS).forEach(i -> cache.put("h" + i, FOUND));
    at(7_999);
    assertEquals(HOSTS, fresh(), "every route is fresh for at least 80 % of the TTL");
    at(9_000);
    long stillFresh = fresh();
    assertTrue(stillFresh > HOSTS / 4 && stillFresh < HOSTS * 3 / 4, stillFresh + " of " + HOSTS + " still fresh");
    at(10_000);
    assertEquals(0, fresh(), "none is fresh past the TTL");
    at(17_999);
    assertTrue(IntStream.range(0, HOSTS).allMatch(i -> cache.refreshable("h" + i) != null),
        "each serves while refreshed for one more TTL after its freshness");
    at(20_000);
    assertTrue(IntStream.range(0, HOSTS).allMatch(i -> cache.refreshable("h" + i) == null));
  }

  @Test
  void anUnknownHostIsRememberedForExactlyTheMissTtl() {
    at(0);
    cache.put("nowhere.test", Route.UNKNOWN);
    at(999);
    assertNotNull(cache.fresh("nowhere.test"));
    at(1_000);
    assertNull(cache.fresh("nowhere.test"));
    assertNull(cache.refreshable("nowhere.test"), "an unknown host is not refreshed ahead");
  }
}
