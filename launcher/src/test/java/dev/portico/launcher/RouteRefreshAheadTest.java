package dev.portico.launcher;

import dev.portico.contract.Addresses;
import dev.portico.contract.SiteChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route just past its TTL keeps serving while the edge looks it up again: a request never waits
 * on Redis for a site the edge already had (Redis is made to hold every command with CLIENT PAUSE).
 */
class RouteRefreshAheadTest {

  private static final long TTL_MS = 3_000;
  private static final long PAUSE_MS = 8_000;

  private Harness harness;

  @BeforeEach
  void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_ROUTE_HIT_TTL_MS", Long.toString(TTL_MS)));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aRoutePastItsTtlServesWhileRedisHoldsItsRefresh() throws Exception {
    harness.putSite("ahead.example.com", harness.namedBackend("backend"));
    Harness.waitFor(() -> harness.get("ahead.example.com", "/").statusCode() == 200, 10_000);
    // start the route's TTL at a known moment: drop it, then resolve it once. The change reaches the
    // edge's event loop asynchronously: a request that overtook it would cache a route the change
    // then drops, and the paused request below would be a plain miss
    CompletableFuture<Void> delivered = new CompletableFuture<>();
    var witness = harness.portico.vertx().eventBus().consumer(Addresses.SITE_CHANGED, m -> delivered.complete(null));
    Harness.await(witness.completion());
    harness.portico.vertx().eventBus().publish(Addresses.SITE_CHANGED, SiteChange.ALL.toJson());
    delivered.get(10, TimeUnit.SECONDS);
    Harness.await(witness.unregister());
    Thread.sleep(1_000);  // the edge's consumer runs on its own event loop, after the witness's
    assertEquals(200, harness.get("ahead.example.com", "/").statusCode());
    Thread.sleep(TTL_MS + 500);

    Harness.await(harness.redisApi.client(List.of("PAUSE", Long.toString(PAUSE_MS), "ALL")));
    long asked = System.nanoTime();
    int status = harness.get("ahead.example.com", "/").statusCode();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);

    assertEquals(200, status);
    // without the refresh ahead the request waits for Redis, i.e. for the whole pause
    assertTrue(tookMs < PAUSE_MS / 2, "answered after " + tookMs + " ms of an " + PAUSE_MS + " ms Redis pause");
    // once Redis answers again, the refreshed route serves on
    Harness.waitFor(() -> harness.get("ahead.example.com", "/").statusCode() == 200, 3 * PAUSE_MS);
  }
}
