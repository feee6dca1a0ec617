package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A site's routes through the admin API: validation naming the field, the cap, secrets in routes, resolve with a path. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutesAdminTest {

  private static final String ADMIN_PASSWORD = "correct horse battery staple";
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  private Harness harness;
  private AdminClient api;
  private String admin;

  @BeforeAll
  void start() throws Exception {
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", ADMIN_PASSWORD));
    api = new AdminClient(harness.portico.config().adminPort());
    admin = api.login("admin", ADMIN_PASSWORD);
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  private static JsonObject site(String routes) {
    return new JsonObject().put("targets", new JsonArray().add("10.0.0.5:8080"))
        .put("routes", new JsonArray(routes.replace('\'', '"')));
  }

  @Test
  void anInvalidRouteIsRefusedNamingTheField() {
    String path = "/api/v1/sites/invalid.routes.test";
    Map<String, String> cases = Map.of(
        "[{'prefix': '/a'}, {'regex': '(unclosed'}]", "routes[1].regex",
        "[{'prefix': '/a/../b'}]", "routes[0].prefix",
        "[{'prefix': '/a', 'rateLimitt': {'requests': 1}}]", "routes[0].rateLimitt",
        "[{'prefix': '/a', 'rateLimit': {'requests': 1, 'perSeconds': 1, 'bye': 'ip'}}]", "routes[0].rateLimit.bye",
        "[{'prefix': '/a'}, {'prefix': '/a', 'targets': ['b:1']}]", "routes[1]",
        "[{'prefix': '/a', 'stripPrefix': true, 'addPrefix': 'x'}]", "routes[0].addPrefix",
        "[{'prefix': '/a', 'jwt': {'keys': [{'alg': 'HS256', 'secret': 'short'}]}}]", "routes[0].jwt.keys",
        "[{'regex': '(a{1000}){1000}'}]", "routes[0].regex",
        "[{'exact': '/x', 'redirect': {'location': '/y$host'}}]", "routes[0].redirect.location");
    cases.forEach((routes, field) -> {
      AdminClient.Answer answer = api.put(path, admin, site(routes));
      assertEquals(400, answer.status(), routes + " → " + answer.body());
      assertEquals(field, answer.json().getString("field"), routes + " → " + answer.body());
    });
    assertEquals(404, api.get(path, admin).status(), "nothing was written");
  }

  @Test
  void aSiteAtTheRouteCapFitsTheApisBodyLimitAndOneMoreRouteIsRefused() {
    JsonArray routes = new JsonArray();
    for (int i = 0; i < 500; i++) {
      routes.add(new JsonObject().put("prefix", "/service-" + i + "/").put("targets", new JsonArray().add("10.0.1." + (i % 250) + ":8080"))
          .put("stripPrefix", true).put("rateLimit", new JsonObject().put("requests", 100).put("perSeconds", 60))
          .put("requestHeaders", new JsonObject().put("set", new JsonObject().put("X-Service", "service-" + i))));
    }
    JsonObject site = new JsonObject().put("targets", new JsonArray().add("10.0.0.5:8080")).put("routes", routes);
    assertTrue(site.encode().length() > 64 * 1024, "larger than the old body limit: " + site.encode().length());
    AdminClient.Answer created = api.put("/api/v1/sites/cap.routes.test", admin, site);
    assertEquals(201, created.status(), created.body());
    assertEquals(500, api.get("/api/v1/sites/cap.routes.test", admin).json().getJsonObject("site").getJsonArray("routes").size());
    routes.add(new JsonObject().put("prefix", "/one-more/"));
    AdminClient.Answer refused = api.put("/api/v1/sites/cap.routes.test", admin, site);
    assertEquals(400, refused.status(), refused.body());
    assertEquals("routes", refused.json().getString("field"));
  }

  @Test
  void secretsInRoutesAreHashedMaskedAndKeptWhenSentBack() {
    JsonObject site = site("[{'prefix': '/staff/', 'basicAuth': {'users': {'ann': {'password': 'a long password'}}}},"
        + " {'prefix': '/api/', 'jwt': {'keys': [{'alg': 'HS256', 'secret': '" + SECRET + "'}]}}]");
    assertEquals(201, api.put("/api/v1/sites/secrets.routes.test", admin, site).status());
    AdminClient.Answer read = api.get("/api/v1/sites/secrets.routes.test", admin);
    assertFalse(read.body().contains("pbkdf2") || read.body().contains(SECRET), read.body());
    JsonArray shown = read.json().getJsonObject("site").getJsonArray("routes");
    assertEquals("(hidden)", shown.getJsonObject(0).getJsonObject("basicAuth").getJsonObject("users").getString("ann"));
    assertEquals("(hidden)", shown.getJsonObject(1).getJsonObject("jwt").getJsonArray("keys").getJsonObject(0).getString("secret"));
    AdminClient.Answer again = api.put("/api/v1/sites/secrets.routes.test", admin, read.json().getJsonObject("site"));
    assertEquals(200, again.status(), again.body());
    String audit = api.get("/api/v1/audit?limit=5", admin).body();
    assertFalse(audit.contains("pbkdf2") || audit.contains(SECRET), "the audit masks route secrets too");
    AdminClient.Answer unknown = api.put("/api/v1/sites/secrets.routes.test", admin,
        site("[{'prefix': '/staff/', 'basicAuth': {'users': {'bob': '(hidden)'}}}]"));
    assertEquals(400, unknown.status());
    assertEquals("routes[0].basicAuth.users", unknown.json().getString("field"));
  }

  @Test
  void aTenantsRouteTargetsAreHeldToTheTenantRules() {
    assertEquals(201, api.post("/api/v1/users", admin, new JsonObject().put("username", "rita")
        .put("password", ADMIN_PASSWORD).put("role", "user")).status());
    assertEquals(201, api.put("/api/v1/users/rita/grants/rita.test", admin, new JsonObject().put("role", "manager")).status());
    String rita = api.login("rita", ADMIN_PASSWORD);
    AdminClient.Answer refused = api.put("/api/v1/sites/rita.test", rita,
        site("[{'prefix': '/meta/', 'targets': ['169.254.169.254:80']}]"));
    assertEquals(403, refused.status(), refused.body());
    assertTrue(refused.json().getString("detail").startsWith("routes[0].targets: "), refused.body());
  }

  @Test
  void resolveExplainsWhichRouteTakesAPathAndWhyTheOthersLost() {
    assertEquals(201, api.put("/api/v1/sites/resolve.routes.test", admin, site("[{'prefix': '/api/'},"
        + " {'prefix': '/api/protected/', 'methods': ['POST']}, {'prefix': '/api/protected/'}, {'regex': '^/api/'},"
        + " {'exact': '/healthz', 'respond': {'body': 'ok'}}]")).status());
    Harness.waitFor(() -> api.get("/api/v1/resolve/resolve.routes.test", admin).json().getValue("match") != null, 5_000);
    JsonObject route = api.get("/api/v1/resolve/resolve.routes.test?path=" + encode("/API/../api/protected/x?q=1"), admin)
        .json().getJsonObject("route");
    assertEquals("route", route.getString("outcome"), route.encode());
    assertEquals(2, route.getInteger("chosen"));
    assertEquals("/api/protected/x?q=1", route.getString("normalised"));
    JsonArray tried = route.getJsonArray("candidates");
    assertEquals(new JsonObject().put("index", 1).put("route", "prefix /api/protected/ POST").put("result", "passed over")
        .put("why", "method GET is not one of [POST]"), tried.getJsonObject(0));
    assertEquals("chosen", tried.getJsonObject(1).getString("result"));
    assertEquals("the longer prefix /api/protected/ comes first", tried.getJsonObject(2).getString("why"));
    assertEquals("prefix routes come before regex routes", tried.getJsonObject(3).getString("why"));
    assertEquals(1, route.getInteger("unmatched"));
    JsonObject post = api.get("/api/v1/resolve/resolve.routes.test?method=POST&path=/api/protected/", admin).json()
        .getJsonObject("route");
    assertEquals(1, post.getInteger("chosen"));
    assertEquals("ambiguous", api.get("/api/v1/resolve/resolve.routes.test?path=/HEALTHZ", admin).json()
        .getJsonObject("route").getString("outcome"));
    assertEquals("refused", api.get("/api/v1/resolve/resolve.routes.test?path=" + encode("/a/%2F"), admin).json()
        .getJsonObject("route").getString("outcome"));
    assertEquals(400, api.get("/api/v1/resolve/resolve.routes.test?path=/x&method=G%20T", admin).status());
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
