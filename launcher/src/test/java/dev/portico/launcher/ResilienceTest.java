package dev.portico.launcher;

import dev.portico.contract.Addresses;
import dev.portico.contract.SiteChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What keeps serving when the lookup verticle or Redis is gone, and what comes back after. */
class ResilienceTest {

  private Harness harness;

  @BeforeEach
  void start() throws IOException {
    // short TTLs, so the tests also cover routes past their freshness
    harness = new Harness(Map.of("PORTICO_ROUTE_HIT_TTL_MS", "300", "PORTICO_ROUTE_MISS_TTL_MS", "300",
        "PORTICO_LOOKUP_TIMEOUT_MS", "500"));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private int status(String host) {
    return harness.get(host, "/").statusCode();
  }

  @Test
  void withLookupStoppedCachedSitesKeepServing() throws InterruptedException {
    int port = harness.namedBackend("backend");
    harness.putSite("exact.example.com", port);
    harness.putSite("*.wild.example.com", port);
    Harness.waitFor(() -> status("exact.example.com") == 200 && status("a.wild.example.com") == 200, 2000);
    Harness.waitFor(() -> harness.get("a.wild.example.com", "/").statusCode() == 200
        && Harness.await(harness.redisApi.exists(java.util.List.of("portico:route:a.wild.example.com"))).toInteger() == 1,
        2000);

    harness.stopLookup();
    // drop the edge's in-process routes: what serves now comes from Redis
    harness.portico.vertx().eventBus().publish(Addresses.SITE_CHANGED, SiteChange.ALL.toJson());
    Thread.sleep(400);
    assertEquals(200, status("exact.example.com"));        // the exact site, read from Redis
    assertEquals(200, status("a.wild.example.com"));       // the route the lookup cached in Redis
    assertEquals(503, status("b.wild.example.com"));       // never resolved: nobody can say now

    harness.startLookup();
    Harness.waitFor(() -> status("b.wild.example.com") == 200, 3000);
  }

  @Test
  void withRedisStoppedCachedSitesKeepServingAndRedisComesBack() throws InterruptedException {
    int port = harness.namedBackend("backend");
    harness.putSite("cached.example.com", port);
    Harness.waitFor(() -> status("cached.example.com") == 200, 2000);

    harness.stopRedis();
    assertEquals(200, status("cached.example.com"));
    Thread.sleep(500);                                      // past the (test) hit TTL: served stale
    for (int i = 0; i < 5; i++) {
      assertEquals(200, status("cached.example.com"));
    }

    harness.restartRedis();                                 // same port and data (AOF)
    // resubscribed and resynchronised: a site written now is routed without anyone restarting
    harness.putSite("after-restart.example.com", port);
    Harness.waitFor(() -> status("after-restart.example.com") == 200, 10_000);
    harness.deleteSite("cached.example.com");
    Harness.waitFor(() -> status("cached.example.com") == 404, 3000);
  }

  @Test
  void withRedisAndLookupBothDownCachedRoutesServePastTheirTtl() throws InterruptedException {
    harness.putSite("stale.example.com", harness.namedBackend("backend"));
    Harness.waitFor(() -> status("stale.example.com") == 200, 2000);
    harness.stopLookup();
    harness.stopRedis();
    Thread.sleep(500);                                      // past the (test) hit TTL
    for (int i = 0; i < 3; i++) {
      assertEquals(200, status("stale.example.com"));
    }
    assertEquals(503, status("never-seen.example.com"));
  }
}
