package dev.portico.launcher;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metrics after real traffic, bounded series under a Host flood, readiness, the access log. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityTest {

  private Harness harness;
  private AdminClient admin;
  private final ListAppender<ILoggingEvent> access = new ListAppender<>();
  private final RawMessageEncoder accessEncoder = new RawMessageEncoder();

  @BeforeAll
  void start() throws Exception {
    access.start();
    ((Logger) LoggerFactory.getLogger("portico.access")).addAppender(access);
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_METRICS_SITE_LIMIT", "5",
        "PORTICO_ADMIN_PASSWORD", "observability test"));
    admin = new AdminClient(harness.portico.config().adminPort());
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger("portico.access")).detachAppender(access);
    harness.close();
  }

  @Test
  void countersMoveWithTraffic() {
    harness.putSite("metered.example.net", harness.namedBackend("metered"));
    harness.putSite("down.example.net", Harness.freePort());
    // the lookup's tree holds the wildcard sites (exact ones are read from Redis)
    harness.putSite("*.wild.example.net", Harness.freePort());
    harness.putSite("**.wilder.example.net", Harness.freePort());
    for (int i = 0; i < 5; i++) {
      assertEquals(200, harness.get("metered.example.net", "/").statusCode());
    }
    assertEquals(502, harness.get("down.example.net", "/").statusCode());
    assertEquals(404, harness.get("nobody.example.net", "/").statusCode());
    // a cached site, whose backend sends its own X-Cache: counted by what the edge's cache did, not by that
    int cached = harness.backend(request -> request.response().putHeader("Cache-Control", "max-age=300")
        .putHeader("X-Cache", "crafted").end("cached page"));
    harness.putSite("cached.example.net", "{\"targets\":[\"127.0.0.1:" + cached + "\"],\"cache\":{}}");
    for (int i = 0; i < 3; i++) {
      harness.get("cached.example.net", "/page");
    }
    harness.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort() + "/page"))
        .header("Host", "cached.example.net").POST(HttpRequest.BodyPublishers.ofString("x")).build());
    String metrics = scrape();
    String cachedSite = "site=\"cached.example.net\"";
    assertEquals(2, value(metrics, "portico_cache_responses_total", "result=\"hit\"," + cachedSite));
    assertEquals(1, value(metrics, "portico_cache_responses_total", "result=\"miss\"," + cachedSite));
    assertEquals(1, value(metrics, "portico_cache_responses_total", "result=\"bypass\"," + cachedSite));
    assertEquals(2 * "cached page".length(), value(metrics, "portico_cache_response_bytes_total",
        "result=\"hit\"," + cachedSite));
    assertTrue(value(metrics, "portico_cache_stored_bytes", "") > "cached page".length());
    assertEquals(0, value(metrics, "portico_cache_evictions_total", ""));
    assertTrue(!metrics.contains("crafted"), "a backend's X-Cache makes no series");
    assertEquals(5, value(metrics, "portico_requests_seconds_count", "site=\"metered.example.net\",status=\"2xx\""));
    assertEquals(1, value(metrics, "portico_requests_seconds_count", "site=\"down.example.net\",status=\"5xx\""));
    assertTrue(value(metrics, "portico_requests_seconds_count", "site=\"_unknown\",status=\"4xx\"") >= 1);
    assertEquals(5, value(metrics, "portico_backend_duration_seconds_count", "site=\"metered.example.net\""));
    assertTrue(value(metrics, "portico_route_resolutions_total", "tier=\"process\"") >= 4, "cached after the first");
    assertTrue(value(metrics, "portico_route_resolutions_total", "tier=\"redis\"") >= 2, "exact sites come from Redis");
    assertTrue(value(metrics, "portico_route_resolutions_total", "tier=\"lookup\"") >= 1, "unknown hosts ask the lookup");
    assertTrue(value(metrics, "portico_lookup_duration_seconds_count", "") >= 1);
    assertTrue(value(metrics, "portico_lookup_sites", "") >= 2);
    assertTrue(metrics.contains("vertx_eventbus_"), "Vert.x's own metrics are there");
  }

  @Test
  void aFloodOfRandomHostsAddsNoSeries() {
    int backend = harness.namedBackend("many");
    for (int i = 0; i < 8; i++) {
      harness.putSite("site" + i + ".example.org", backend);
      assertEquals(200, harness.get("site" + i + ".example.org", "/").statusCode());
    }
    long before = series(scrape(), "portico_requests_seconds_count");
    for (int i = 0; i < 300; i++) {
      harness.get("random-" + i + ".flood.example", "/");
    }
    String metrics = scrape();
    assertEquals(before, series(metrics, "portico_requests_seconds_count"));
    assertTrue(metrics.contains("site=\"_other\""), "sites past the limit share one label");
  }

  @Test
  void readinessFollowsRedis() {
    assertEquals(200, admin.get("/health/ready", null).status());
    harness.stopRedis();
    try {
      assertEquals(503, admin.get("/health/ready", null).status());
      assertEquals(200, admin.get("/health/live", null).status());
    } finally {
      harness.restartRedis();
    }
    Harness.waitFor(() -> admin.get("/health/ready", null).status() == 200, 10_000);
  }

  @Test
  void everyRequestIsOneJsonAccessLogLineWithARequestId() {
    int backend = harness.namedBackend("logged");
    harness.putSite("logged.example.net", backend);
    var response = harness.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort() + "/a/b?q=1"))
        .header("Host", "logged.example.net").header("X-Request-Id", "client-chosen-42").timeout(Duration.ofSeconds(10))
        .build());
    assertEquals(200, response.statusCode());
    assertEquals("client-chosen-42", response.headers().firstValue("X-Request-Id").orElse(null));
    assertTrue(response.body().contains("x-request-id: client-chosen-42\n"), "passed to the backend");
    var generated = harness.get("logged.example.net", "/");
    String id = generated.headers().firstValue("X-Request-Id").orElse(null);
    assertNotNull(id);
    assertTrue(generated.body().contains("x-request-id: " + id + "\n"), generated.body());

    Harness.waitFor(() -> lines().stream().anyMatch(l -> "client-chosen-42".equals(l.getString("requestId"))), 2_000);
    JsonObject line = lines().stream().filter(l -> "client-chosen-42".equals(l.getString("requestId"))).findFirst().orElseThrow();
    assertEquals("logged.example.net", line.getString("host"));
    assertEquals("logged.example.net", line.getString("site"));
    assertEquals("GET", line.getString("method"));
    assertEquals("/a/b", line.getString("path"));
    assertEquals(200, line.getInteger("status"));
    assertEquals("127.0.0.1:" + backend, line.getString("upstream"));
    assertEquals("127.0.0.1", line.getString("client"));
    assertTrue(line.getLong("bytesOut") > 0);
    assertTrue(line.getDouble("durationMs") >= line.getDouble("upstreamMs"));
    assertNotNull(line.getString("time"));
  }

  @Test
  void aPathThatNeedsEscapingKeepsItsLineOneJsonObject() throws Exception {
    harness.putSite("escaped.example.net", harness.namedBackend("escaped"));
    harness.raw("GET /q\"uo\\te HTTP/1.1\r\nHost: escaped.example.net\r\nX-Request-Id: escaped-path-1\r\n"
        + "Connection: close\r\n\r\n");
    // lines() parses every line: a broken one fails here
    Harness.waitFor(() -> lines().stream().anyMatch(l -> "escaped-path-1".equals(l.getString("requestId"))), 5_000);
    JsonObject line = lines().stream().filter(l -> "escaped-path-1".equals(l.getString("requestId"))).findFirst().orElseThrow();
    assertEquals("/q\"uo\\te", line.getString("path"));
  }

  @Test
  void aClientThatLeavesBeforeItsResponseEndsIsLoggedAs499() throws Exception {
    // a backend that sends the start of its body and never ends it
    harness.putSite("leaving.example.net", harness.backend(request -> request.response().setChunked(true).write("first part")));
    try (Socket socket = new Socket("127.0.0.1", harness.httpPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: leaving.example.net\r\nX-Request-Id: leaving-client-1\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      StringBuilder received = new StringBuilder();
      byte[] buffer = new byte[4096];
      while (received.indexOf("first part") < 0) {
        int n = socket.getInputStream().read(buffer);
        assertTrue(n > 0, "the start of the body reached the client: " + received);
        received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
    }
    Harness.waitFor(() -> lines().stream().anyMatch(l -> "leaving-client-1".equals(l.getString("requestId"))), 10_000);
    JsonObject line = lines().stream().filter(l -> "leaving-client-1".equals(l.getString("requestId"))).findFirst().orElseThrow();
    assertEquals(499, line.getInteger("status"), line.encode());
  }

  private List<JsonObject> lines() {
    return List.copyOf(access.list).stream()
        .flatMap(e -> new String(accessEncoder.encode(e), StandardCharsets.UTF_8).lines())  // the bytes the access log gets
        .map(JsonObject::new).toList();
  }

  private String scrape() {
    AdminClient.Answer answer = admin.get("/metrics", null);
    assertEquals(200, answer.status());
    return answer.body();
  }

  /** The value of {@code name{labels...}} (labels matched as a substring of the label set). */
  private static double value(String metrics, String name, String labels) {
    Matcher matcher = Pattern.compile("^" + name + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE).matcher(metrics);
    while (matcher.find()) {
      String set = matcher.group(1) == null ? "" : matcher.group(1);
      if (set.contains(labels)) {
        return Double.parseDouble(matcher.group(2));
      }
    }
    throw new AssertionError("no " + name + " with " + labels + " in:\n" + grep(metrics, name));
  }

  private static long series(String metrics, String name) {
    return metrics.lines().filter(line -> line.startsWith(name + "{")).count();
  }

  private static String grep(String metrics, String name) {
    return String.join("\n", metrics.lines().filter(line -> line.contains(name)).toList());
  }
}
