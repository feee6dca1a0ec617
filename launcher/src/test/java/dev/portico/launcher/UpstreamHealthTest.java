package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Active health checks through a real node with two edge verticles and real backends: a target
 * taken out and brought back under traffic, state in the admin API and the metrics, one checker
 * per node.
 */
class UpstreamHealthTest {

  private static final String PASSWORD = "health-test-password-1";
  private static final String SITE = "health.upstream.test";
  private static final int INTERVAL_MS = 500;

  private Harness harness;
  private AdminClient api;
  private String admin;

  @BeforeEach
  void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", PASSWORD,
        "PORTICO_EDGE_INSTANCES", "2"));
    api = new AdminClient(harness.portico.config().adminPort());
    admin = api.login("admin", PASSWORD);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  /** The admin API's view of {@code target} on the (one) node: up, down, or null while not yet checked there. */
  private Boolean upInApi(SwitchableBackend target) {
    JsonArray nodes = api.get("/api/v1/sites/" + SITE + "/health", admin).json().getJsonArray("nodes");
    if (nodes.size() != 1) {
      return null;
    }
    for (Object state : nodes.getJsonObject(0).getJsonArray("targets")) {
      JsonObject json = (JsonObject) state;
      if (json.getString("target").equals(target.target()) && json.containsKey("checkedAt")) {
        return json.getBoolean("up");
      }
    }
    return null;
  }

  @Test
  void aTargetIsTakenOutAndBroughtBackUnderTrafficWithNoFailedRequestOnceMarked() throws Exception {
    SwitchableBackend a = new SwitchableBackend(harness, "a");
    SwitchableBackend b = new SwitchableBackend(harness, "b");
    JsonObject site = new JsonObject().put("targets", new JsonArray().add(a.target()).add(b.target()))
        .put("healthCheck", new JsonObject().put("path", "/health").put("intervalMs", INTERVAL_MS)
            .put("timeoutMs", INTERVAL_MS).put("healthyThreshold", 1)
            .put("unhealthyThreshold", 2));  // two: one slow check on a loaded machine marks nothing
    assertEquals(201, api.put("/api/v1/sites/" + SITE, admin, site).status());

    AtomicBoolean marked = new AtomicBoolean();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failedOnceMarked = new AtomicInteger();
    AtomicInteger servedOnceMarked = new AtomicInteger();
    Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
    Thread traffic = new Thread(() -> {
      while (running.get()) {
        boolean wasMarked = marked.get();
        var response = harness.get(SITE, "/page");
        servedBy.computeIfAbsent(response.statusCode() == 200 ? response.body() : "failed", k -> new AtomicInteger())
            .incrementAndGet();
        if (wasMarked) {
          servedOnceMarked.incrementAndGet();
          if (response.statusCode() != 200 || !response.body().equals("b")) {
            failedOnceMarked.incrementAndGet();
          }
        }
      }
    });
    traffic.start();
    try {
      Harness.waitFor(() -> Boolean.TRUE.equals(upInApi(a)) && Boolean.TRUE.equals(upInApi(b))
          && servedBy.containsKey("a") && servedBy.containsKey("b"), 20_000);

      a.breakDown();
      Harness.waitFor(() -> Boolean.FALSE.equals(upInApi(a)), 20_000);
      marked.set(true);
      int before = servedOnceMarked.get();
      Harness.waitFor(() -> servedOnceMarked.get() >= before + 300, 60_000);
      marked.set(false);
      assertEquals(0, failedOnceMarked.get(), "once marked down, no request reached the broken target");
      assertEquals("0.0", gauge(a), "the gauge shows it down");
      assertEquals("1.0", gauge(b));

      a.recover();
      Harness.waitFor(() -> Boolean.TRUE.equals(upInApi(a)), 20_000);
      int servedByA = a.requests.get();
      Harness.waitFor(() -> a.requests.get() > servedByA + 20, 20_000);
      assertEquals("1.0", gauge(a), "and up again");
    } finally {
      running.set(false);
      traffic.join(20_000);
    }

    // one checker for the node's two edge verticles: one check per interval, not one per verticle
    int checks = a.healthChecks.get();
    Thread.sleep(10 * INTERVAL_MS);
    int during = a.healthChecks.get() - checks;
    assertTrue(during >= 5 && during <= 13, during + " checks in ten intervals (two checkers would make about 20)");
  }

  @Test
  void theHealthOfAnUnknownSiteIs404AndOfAnUncheckedSiteHasNoNodes() {
    assertEquals(404, api.get("/api/v1/sites/none.upstream.test/health", admin).status());
    assertEquals(201, api.put("/api/v1/sites/" + SITE, admin, new JsonObject().put("targets",
        new JsonArray().add("127.0.0.1:9"))).status());
    assertEquals(new JsonArray(), api.get("/api/v1/sites/" + SITE + "/health", admin).json().getJsonArray("nodes"));
  }

  private String gauge(SwitchableBackend target) {
    String metrics = api.get("/metrics", null).body();
    String series = "portico_upstream_healthy{site=\"" + SITE + "\",target=\"" + target.target() + "\"";
    return metrics.lines().filter(line -> line.startsWith(series)).map(line -> line.substring(line.lastIndexOf(' ') + 1))
        .findFirst().orElse("absent");
  }
}
