package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 100,000 sites and several {@code *} and {@code **} wildcards, imported through the admin API,
 * routed by the edge for every kind of host — before and after the lookup verticle reloads them
 * all — and listed, paged and searched through the API. (The million-site run is
 * {@code bench/million-sites.sh}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleTest {

  private static final String ADMIN_PASSWORD = "scale test admin password";
  private static final int EXACT_SITES = 100_000;

  private Harness harness;
  private AdminClient api;
  private String admin;
  /** Backend name by the pattern it serves. */
  private final Map<String, Integer> backends = new LinkedHashMap<>();

  @BeforeAll
  void start() throws Exception {
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", ADMIN_PASSWORD));
    api = new AdminClient(harness.portico.config().adminPort());
    admin = api.login("admin", ADMIN_PASSWORD);
    for (String pattern : List.of("exact", "x.shop.scale.test", "*.shop.scale.test", "**.deep.scale.test",
        "*.eu.deep.scale.test", "a.**.b.scale.test", "*.*.two.scale.test", "**.scale.test")) {
      backends.put(pattern, harness.namedBackend(pattern));
    }
    List<JsonObject> items = new ArrayList<>();
    for (int i = 0; i < EXACT_SITES; i++) {
      items.add(item("site" + i + ".scale.test", backends.get("exact")));
    }
    backends.forEach((pattern, port) -> {
      if (!pattern.equals("exact")) {
        items.add(item(pattern, port));
      }
    });
    for (int from = 0; from < items.size(); from += 1000) {
      JsonArray page = new JsonArray(items.subList(from, Math.min(from + 1000, items.size())));
      AdminClient.Answer imported = api.post("/api/v1/sites", admin, new JsonObject().put("sites", page));
      assertEquals(200, imported.status(), imported.body());
      assertEquals(0, imported.json().getInteger("failed"), imported.body());
    }
    // the lookup applies the changes in the order written, and the wildcards came last
    waitUntilTheLookupKnows("**.scale.test");
  }

  private void waitUntilTheLookupKnows(String wildcard) {
    Harness.waitFor(() -> api.get("/api/v1/resolve/nobody.scale.test", admin).body().contains(wildcard), 60_000);
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  private static JsonObject item(String pattern, int port) {
    return new JsonObject().put("pattern", pattern)
        .put("site", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + port)));
  }

  @Test
  void everyKindOfHostIsRoutedBeforeAndAfterTheLookupReloads() {
    assertRoutes("1");
    harness.stopLookup();
    harness.startLookup();
    waitUntilTheLookupKnows("**.scale.test");
    assertRoutes("2");
  }

  /** Hosts of every kind, made unique by {@code round} so no cache of an earlier round answers. */
  private void assertRoutes(String round) {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("site" + (EXACT_SITES - 1) + ".scale.test", "exact");
    expected.put("site4" + round + ".scale.test", "exact");
    expected.put("x.shop.scale.test", "x.shop.scale.test");
    expected.put("r" + round + ".shop.scale.test", "*.shop.scale.test");
    expected.put("a.b.c" + round + ".deep.scale.test", "**.deep.scale.test");
    expected.put("q" + round + ".eu.deep.scale.test", "*.eu.deep.scale.test");
    expected.put("a.m.n" + round + ".b.scale.test", "a.**.b.scale.test");
    expected.put("p.q" + round + ".two.scale.test", "*.*.two.scale.test");
    expected.put("y.z" + round + ".shop.scale.test", "**.scale.test");
    expected.put("nobody" + round + ".scale.test", "**.scale.test");
    expected.forEach((host, backend) -> {
      var response = harness.get(host, "/");
      assertEquals(200, response.statusCode(), host);
      assertEquals(backend, response.body().lines().findFirst().orElse(""), host);
    });
    assertEquals(404, harness.get("unknown" + round + ".other.test", "/").statusCode());
  }

  @Test
  void theApiPagesThroughAndSearchesEverySite() {
    Set<String> listed = new HashSet<>();
    String after = null;
    do {
      AdminClient.Answer page = api.get("/api/v1/sites?limit=1000" + (after == null ? "" : "&after=" + after), admin);
      assertEquals(200, page.status(), page.body());
      page.json().getJsonArray("items").forEach(item -> listed.add(((JsonObject) item).getString("pattern")));
      after = page.json().getString("next");
    } while (after != null);
    assertEquals(EXACT_SITES, listed.stream().filter(pattern -> pattern.matches("site[0-9]+\\.scale\\.test")).count());
    backends.keySet().stream().filter(pattern -> !pattern.equals("exact"))
        .forEach(pattern -> assertTrue(listed.contains(pattern), pattern));
    AdminClient.Answer found = api.get("/api/v1/sites?prefix=site4242", admin);
    List<String> patterns = found.json().getJsonArray("items").stream()
        .map(item -> ((JsonObject) item).getString("pattern")).toList();
    assertEquals(11, patterns.size(), patterns.toString());
    assertTrue(patterns.stream().allMatch(pattern -> pattern.startsWith("site4242")), patterns.toString());
  }

  @Test
  void importedSitesAreAuditedAndBadItemsRefusedOneByOne() {
    JsonArray sites = new JsonArray().add(item("good.import.test", backends.get("exact")))
        .add(new JsonObject().put("pattern", "bad..pattern").put("site", new JsonObject()))
        .add(new JsonObject().put("pattern", "no-targets.import.test").put("site", new JsonObject().put("targets", 5)));
    AdminClient.Answer answer = api.post("/api/v1/sites", admin, new JsonObject().put("sites", sites));
    assertEquals(200, answer.status(), answer.body());
    JsonArray results = answer.json().getJsonArray("results");
    assertEquals(201, results.getJsonObject(0).getInteger("status"));
    assertEquals(400, results.getJsonObject(1).getInteger("status"));
    assertEquals("pattern", results.getJsonObject(1).getString("field"));
    assertEquals(400, results.getJsonObject(2).getInteger("status"));
    assertEquals(2, answer.json().getInteger("failed"));
    assertEquals(404, api.get("/api/v1/sites/no-targets.import.test", admin).status());
    AdminClient.Answer audit = api.get("/api/v1/audit?limit=5", admin);
    assertTrue(audit.body().contains("site:good.import.test"), audit.body());
    assertEquals(200, harness.get("good.import.test", "/").statusCode());
  }

  @Test
  void sitesWrittenStraightIntoRedisAreIndexedByTheNextAdminNode() throws Exception {
    for (int i = 0; i < 500; i++) {
      harness.putSite("legacy" + i + ".old.test", backends.get("exact"));
    }
    Harness.await(harness.redisApi.del(List.of("portico:index-version")));
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_SECRET_KEY", Harness.SECRET_KEY);
    env.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + harness.redisPort);
    env.put("PORTICO_ROLES", "admin");
    try (Portico second = Portico.start(PorticoConfig.fromEnvironment(env))) {
      AdminClient secondApi = new AdminClient(second.config().adminPort());
      String token = secondApi.login("admin", ADMIN_PASSWORD);
      Harness.waitFor(() -> secondApi.get("/api/v1/sites?prefix=legacy&limit=1000", token).json()
          .getJsonArray("items").size() == 500, 60_000);
    }
  }
}
