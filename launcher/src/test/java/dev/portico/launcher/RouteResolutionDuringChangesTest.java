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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A site change drops only the route resolutions it may concern: with the control plane busy,
 * a change to one site must not turn the misses of every other site into uncached ones (each of
 * their requests would go to Redis again). Redis holds the resolution with CLIENT PAUSE while
 * the change arrives.
 */
class RouteResolutionDuringChangesTest {

  private static final long PAUSE_MS = 3_000;

  private Harness harness;
  private AdminClient admin;

  @BeforeEach
  void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", "resolution test"));
    admin = new AdminClient(harness.portico.config().adminPort());
    harness.putSite("busy.example.com", harness.namedBackend("busy"));
    harness.putSite("other.example.com", harness.namedBackend("other"));
    Harness.waitFor(() -> harness.get("other.example.com", "/").statusCode() == 200, 10_000);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aChangeToAnotherSiteLeavesAResolutionUnderWayCached() throws Exception {
    assertEquals(200, resolvedWhile(new SiteChange("other.example.com")));
    double fromRedis = redisResolutions();
    for (int i = 0; i < 3; i++) {
      assertEquals(200, harness.get("busy.example.com", "/").statusCode());
    }
    assertEquals(fromRedis, redisResolutions(), "the route resolved during the change is served from the edge's cache");
  }

  @Test
  void aChangeToTheSiteItselfKeepsItsResolutionUnderWayOutOfTheCache() throws Exception {
    assertEquals(200, resolvedWhile(new SiteChange("busy.example.com")));
    double fromRedis = redisResolutions();
    assertEquals(200, harness.get("busy.example.com", "/").statusCode());
    assertEquals(fromRedis + 1, redisResolutions(), "an answer that may predate the change is read again");
  }

  /** Asks for the busy site while Redis holds its resolution and {@code change} arrives; its status. */
  private int resolvedWhile(SiteChange change) throws Exception {
    Harness.await(harness.redisApi.client(List.of("PAUSE", Long.toString(PAUSE_MS), "ALL")));
    CompletableFuture<Integer> held =
        CompletableFuture.supplyAsync(() -> harness.get("busy.example.com", "/").statusCode());
    // time for the request to reach the edge, whose resolution then waits on the paused Redis
    Thread.sleep(PAUSE_MS / 3);
    harness.portico.vertx().eventBus().publish(Addresses.SITE_CHANGED, change.toJson());
    return held.get(30, TimeUnit.SECONDS);
  }

  private double redisResolutions() {
    AdminClient.Answer answer = admin.get("/metrics", null);
    assertEquals(200, answer.status());
    Matcher matcher = Pattern.compile("^portico_route_resolutions_total\\{[^}]*tier=\"redis\"[^}]*} (\\S+)$",
        Pattern.MULTILINE).matcher(answer.body());
    if (!matcher.find()) {
      throw new AssertionError("no Redis tier in the metrics");
    }
    return Double.parseDouble(matcher.group(1));
  }
}
