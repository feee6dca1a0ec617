package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Purging a site's cached responses through the admin API: the whole site, one path, a prefix; bad bodies refused. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CachePurgeTest {

  private static final String SITE = "purge.example.net";

  private Harness harness;
  private AdminClient admin;
  private String token;
  private final AtomicInteger served = new AtomicInteger();

  @BeforeAll
  void start() throws Exception {
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", "purge test password"));
    admin = new AdminClient(harness.portico.config().adminPort());
    token = admin.login("admin", "purge test password");
    int backend = harness.backend(request -> request.response().putHeader("Cache-Control", "max-age=300")
        .end("response " + served.incrementAndGet()));
    AdminClient.Answer answer = admin.put("/api/v1/sites/" + SITE, token, new JsonObject()
        .put("targets", new JsonArray().add("127.0.0.1:" + backend)).put("cache", new JsonObject()));
    assertTrue(answer.status() == 200 || answer.status() == 201, answer.body());
    Harness.waitFor(() -> harness.get(SITE, "/").statusCode() == 200, 5_000);
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  private String xCache(String path) {
    HttpResponse<String> response = harness.get(SITE, path);
    return response.headers().firstValue("X-Cache").orElse("");
  }

  private void purge(JsonObject body) {
    AdminClient.Answer answer = admin.post("/api/v1/sites/" + SITE + "/cache/purge", token, body);
    assertEquals(202, answer.status(), answer.body());
  }

  @Test
  void aPurgeEmptiesWhatItNames() {
    for (String path : new String[] {"/docs/a", "/docs/b?x=1", "/img/c"}) {
      xCache(path);
      assertEquals("HIT", xCache(path), path);
    }
    purge(new JsonObject().put("path", "/docs/b"));
    Harness.waitFor(() -> xCache("/docs/b?x=1").equals("MISS"), 5_000);
    assertEquals("HIT", xCache("/docs/a"));
    purge(new JsonObject().put("prefix", "/docs/"));
    Harness.waitFor(() -> xCache("/docs/a").equals("MISS"), 5_000);
    assertEquals("HIT", xCache("/img/c"));
    purge(new JsonObject());
    Harness.waitFor(() -> xCache("/img/c").equals("MISS"), 5_000);
  }

  @Test
  void badPurgesAreRefused() {
    String url = "/api/v1/sites/" + SITE + "/cache/purge";
    assertEquals(400, admin.post(url, token, new JsonObject().put("path", "no-slash")).status());
    assertEquals(400, admin.post(url, token, new JsonObject().put("path", "/a").put("prefix", "/b")).status());
    assertEquals(400, admin.post(url, token, new JsonObject().put("other", "/a")).status());
    assertEquals(404, admin.post("/api/v1/sites/unknown.example.net/cache/purge", token, new JsonObject()).status());
    assertEquals(401, admin.post(url, null, new JsonObject()).status());
  }
}
