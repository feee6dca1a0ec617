package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The matcher blow-up of issue 14, item 9: the pattern {@code q.**.a.**.a.**.a.**.a.**.a.**} and
 * one request for a 122-label name kept the lookup busy for minutes, so every new host answered
 * 503. The admin API refuses such a pattern; written straight into Redis, the lookup ignores it.
 */
class BadInputMatcherTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final String ATTACK = "q.**.a.**.a.**.a.**.a.**.a.**";
  private static Harness harness;
  private static RecordingBackend backend;
  private static AdminClient api;
  private static String admin;

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", PASSWORD));
    backend = new RecordingBackend(harness.testVertx);
    api = new AdminClient(harness.portico.config().adminPort());
    admin = api.login("admin", PASSWORD);
  }

  @AfterAll
  static void stop() {
    backend.close();
    harness.close();
  }

  private static JsonObject site() {
    return new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend.port()));
  }

  @Test
  void theApiRefusesPatternsWithMoreThanTwoAnyLabels() {
    AdminClient.Answer refused = api.put("/api/v1/sites/" + ATTACK, admin, site());
    assertEquals(400, refused.status(), refused.body());
    assertEquals("pattern", refused.json().getString("field"), refused.body());
    assertEquals(201, api.put("/api/v1/sites/**.api.**.two.test", admin, site()).status());
    assertEquals(null, Harness.await(harness.redisApi.get("portico:site:" + ATTACK)));
  }

  @Test
  void aPatternWrittenStraightIntoRedisIsIgnoredAndNewHostsKeepRouting() {
    harness.putSite(ATTACK, site().encode());
    harness.putSite("*.fine.test", site().encode());
    Harness.waitFor(() -> harness.get("first.fine.test", "/").statusCode() == 200, 5000);

    String name = "a.".repeat(121) + "a";
    assertEquals(404, harness.get(name, "/").statusCode());
    assertEquals(404, harness.get("q." + name.substring(2), "/").statusCode(), "the pattern serves nothing");
    backend.clear();
    for (String host : List.of("second.fine.test", "third.fine.test")) {
      assertEquals(200, harness.get(host, "/").statusCode(), host);
    }
    assertEquals(List.of("second.fine.test", "third.fine.test"),
        backend.requests().stream().map(request -> request.header("host").get(0)).toList());
    assertTrue(backend.raw().contains("Host: third.fine.test\r\n"), backend.raw());
  }
}
