package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routes within a site through real edges, real Redis and real backends: seed 003's scenario, priorities, rewrites, spellings. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutesEdgeTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  private Harness harness;
  private RecordingBackend api;
  private RecordingBackend root;

  @BeforeAll
  void start() throws Exception {
    harness = new Harness();
    api = new RecordingBackend(harness.testVertx);
    root = new RecordingBackend(harness.testVertx);
  }

  @AfterAll
  void stop() {
    api.close();
    root.close();
    harness.close();
  }

  private HttpResponse<String> request(int port, String method, String host, String path, Map<String, String> headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Host", host)
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10));
    headers.forEach(builder::header);
    return harness.send(builder.build());
  }

  private HttpResponse<String> get(String host, String path, Map<String, String> headers) {
    return request(harness.httpPort(), "GET", host, path, headers);
  }

  private static String backend(RecordingBackend backend) {
    return "127.0.0.1:" + backend.port();
  }

  private static JsonObject site(String targets, String routes) {
    return new JsonObject().put("targets", new JsonArray().add(targets)).put("routes", new JsonArray(routes.replace('\'', '"')));
  }

  @Test
  void seed003RateLimitedApiAcrossTwoEdgesJwtClaimsAsHeadersAndAHealthPage() throws Exception {
    harness.putSite("seed.test", site(backend(root), "[{'prefix': '/api/', 'targets': ['" + backend(api) + "'],"
        + " 'rateLimit': {'requests': 4, 'perSeconds': 60, 'by': 'ip'}},"
        + " {'prefix': '/api/protected/', 'targets': ['" + backend(api) + "'], 'jwt': {'keys': [{'alg': 'HS256', 'secret': '"
        + SECRET + "'}], 'claimHeaders': {'sub': 'X-User-Id', 'role': 'X-User-Role'}}},"
        + " {'exact': '/healthz', 'respond': {'status': 200, 'body': 'ok', 'headers': {'Content-Type': 'text/plain'}}}]").encode());
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + harness.redisPort);
    env.put("PORTICO_SECRET_KEY", Harness.SECRET_KEY);
    env.put("PORTICO_ROLES", "edge");
    env.put("PORTICO_EDGE_INSTANCES", "1");
    try (Portico second = Portico.start(PorticoConfig.fromEnvironment(env))) {
      int passed = 0;
      HttpResponse<String> refused = null;
      for (int i = 0; i < 8; i++) {
        int port = i % 2 == 0 ? harness.httpPort() : second.config().httpPort();
        HttpResponse<String> response = request(port, "GET", "seed.test", "/api/items/" + i, Map.of());
        if (response.statusCode() == 200) {
          passed++;
        } else {
          assertEquals(429, response.statusCode(), response.body());
          refused = response;
        }
      }
      assertEquals(4, passed, "4 requests per minute per client address, counted across both edges");
      int retryAfter = Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);
      assertEquals("too many requests", new JsonObject(refused.body()).getString("error"));
      assertEquals(4, api.requests().size());
      assertEquals("/api/items/0", api.requests().get(0).uri());

      HttpResponse<String> home = request(second.config().httpPort(), "GET", "seed.test", "/", Map.of());
      assertEquals(200, home.statusCode(), "/ has its own backend and no limit: the /api/ limit spent none of it");
      assertEquals("/", root.requests().get(root.requests().size() - 1).uri());
    }

    assertEquals(401, get("seed.test", "/api/protected/profile", Map.of()).statusCode());
    String token = JWTAuth.create(harness.testVertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("HS256").setBuffer(SECRET))).generateToken(new JsonObject().put("sub", "alice").put("role", "admin"),
        new JWTOptions().setExpiresInSeconds(60));
    HttpResponse<String> profile = get("seed.test", "/api/protected/profile", Map.of("Authorization", "Bearer " + token,
        "X-User-Role", "forged"));
    assertEquals(200, profile.statusCode(), profile.body());
    RecordingBackend.Received received = api.requests().get(api.requests().size() - 1);
    assertEquals("/api/protected/profile", received.uri());
    assertEquals(List.of("alice"), received.header("X-User-Id"));
    assertEquals(List.of("admin"), received.header("X-User-Role"), "the token's claim, never the client's header");

    int before = api.requests().size() + root.requests().size();
    HttpResponse<String> health = get("seed.test", "/healthz", Map.of());
    assertEquals(200, health.statusCode());
    assertEquals("ok", health.body());
    assertEquals("text/plain", health.headers().firstValue("Content-Type").orElse(null));
    assertEquals(before, api.requests().size() + root.requests().size(), "answered at the edge");
  }

  @Test
  void thePriorityTableStripAndAddPrefixRedirectsMethodsAndHeadersThroughARealEdge() {
    String[] names = {"exact", "api", "apiv1", "beta", "svc", "root"};
    Map<String, Integer> ports = new java.util.HashMap<>();
    for (String name : names) {
      ports.put(name, harness.namedBackend(name));
    }
    harness.putSite("table.test", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + ports.get("root")))
        .put("routes", new JsonArray(("[{'regex': '^/v[0-9]+/', 'methods': ['GET'], 'header': {'name': 'X-Beta', 'value': '1'},"
            + " 'targets': ['127.0.0.1:" + ports.get("beta") + "']},"
            + " {'prefix': '/api', 'targets': ['127.0.0.1:" + ports.get("api") + "']},"
            + " {'prefix': '/api/v1/', 'targets': ['127.0.0.1:" + ports.get("apiv1") + "']},"
            + " {'exact': '/api/status', 'targets': ['127.0.0.1:" + ports.get("exact") + "']},"
            + " {'prefix': '/svc/', 'stripPrefix': true, 'addPrefix': '/inner', 'targets': ['127.0.0.1:" + ports.get("svc") + "']},"
            + " {'prefix': '/old/', 'stripPrefix': true, 'redirect': {'status': 301, 'location': 'https://new.test$path$query'}}]")
            .replace('\'', '"'))).encode());
    Map<String, String> table = new java.util.LinkedHashMap<>();
    table.put("/api/status", "exact\nGET /api/status");
    table.put("/api/v1/users", "apiv1\nGET /api/v1/users");
    table.put("/api/v2/users", "api\nGET /api/v2/users");
    table.put("/api", "api\nGET /api");
    table.put("/apix", "root\nGET /apix");
    table.put("/v2/users", "root\nGET /v2/users");
    table.put("/svc/a/b?q=1", "svc\nGET /inner/a/b?q=1");
    table.forEach((path, expected) -> assertTrue(get("table.test", path, Map.of()).body().startsWith(expected + "\n"),
        path + " → " + get("table.test", path, Map.of()).body()));
    assertTrue(get("table.test", "/v2/users", Map.of("X-Beta", "1")).body().startsWith("beta\nGET /v2/users\n"));
    assertTrue(request(harness.httpPort(), "DELETE", "table.test", "/v2/users", Map.of("X-Beta", "1")).body()
        .startsWith("root\nDELETE /v2/users\n"), "a method the route does not take goes to the next candidate");
    String stripped = get("table.test", "/svc/a", Map.of("X-Forwarded-Prefix", "/forged")).body();
    assertTrue(stripped.contains("\nx-forwarded-prefix: /svc\n") && !stripped.contains("/forged"), stripped);
    HttpResponse<String> moved = get("table.test", "/old/a/../b?x=1", Map.of());
    assertEquals(301, moved.statusCode());
    assertEquals("https://new.test/b?x=1", moved.headers().firstValue("Location").orElse(null));
    HttpResponse<String> ambiguous = get("table.test", "/API/status", Map.of());
    assertEquals(400, ambiguous.statusCode(), ambiguous.body());
    assertEquals("ambiguous path", new JsonObject(ambiguous.body()).getString("error"));
    assertEquals(414, get("table.test", "/x" + "/abcdefgh".repeat(130), Map.of()).statusCode());
  }

  @Test
  void traversalAndEncodingSpellingsNeverSlipPastAProtectedPrefix() {
    RecordingBackend backend = new RecordingBackend(harness.testVertx);
    try {
      harness.putSite("guarded.test", site(backend(backend), "[{'prefix': '/admin', 'ipAllow': ['10.9.9.9/32']}]").encode());
      for (String attempt : List.of("/admin/users", "/public/../admin/users", "/%61dmin/users", "//admin//users",
          "/./admin/users", "/public/%2e%2e/admin/users", "/admin;jsessionid=1/users", "/;x/admin/users", "/ADMIN/users",
          "/Admin/users", "/admin./users", "/admin%20/users", "/admin%3Bx/users", "/admin%2Fusers", "/public/..%2Fadmin/users",
          "/admin%5Cusers", "/admin/%00", "/admin", "/admin?x=1")) {
        int status = get("guarded.test", attempt, Map.of()).statusCode();
        assertTrue(status == 403 || status == 400, attempt + " answered " + status);
      }
      assertEquals("", backend.raw(), "the backend received none of them");
      assertEquals(200, get("guarded.test", "/public/../public/x", Map.of()).statusCode());
      assertEquals(200, get("guarded.test", "/administrator", Map.of()).statusCode(), "segment-aware: not under /admin");
      assertEquals(List.of("/public/x", "/administrator"), backend.requests().stream().map(RecordingBackend.Received::uri).toList());
      assertFalse(backend.raw().contains("/admin/"));
    } finally {
      backend.close();
    }
  }

  @Test
  void aSiteAtTheRouteCapServesItsLastRoute() {
    int last = harness.namedBackend("last");
    JsonArray routes = new JsonArray();
    for (int i = 0; i < 499; i++) {
      routes.add(new JsonObject().put("prefix", "/p" + i + "/").put("respond", new JsonObject().put("body", "route " + i)));
    }
    routes.add(new JsonObject().put("prefix", "/p499/").put("stripPrefix", true).put("targets", new JsonArray().add("127.0.0.1:" + last)));
    harness.putSite("cap.test", new JsonObject().put("targets", new JsonArray().add(backend(root))).put("routes", routes).encode());
    assertEquals("route 0", get("cap.test", "/p0/x", Map.of()).body());
    assertEquals("route 498", get("cap.test", "/p498/", Map.of()).body());
    assertTrue(get("cap.test", "/p499/x", Map.of()).body().startsWith("last\nGET /x\n"));
    routes.add(new JsonObject().put("prefix", "/one-more/"));
    harness.putSite("cap.test", new JsonObject().put("targets", new JsonArray().add(backend(root))).put("routes", routes).encode());
    Harness.waitFor(() -> get("cap.test", "/p0/x", Map.of()).statusCode() == 502, 10_000);  // past the cap: invalid site
  }
}
