package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input against the edge's access checks: client addresses written to slip past an address
 * rule, unsigned or wrongly signed JWTs and hostile JWKS servers, tenants' sites aimed at the
 * node itself or at metadata endpoints, and basic-auth checks used to stall the edge. Every
 * refused case asserts that the backend received nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputEdgeAuthTest {

  private Harness harness;
  private RecordingBackend backend;

  @BeforeAll
  void start() throws Exception {
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", "edge auth test password"));
    backend = new RecordingBackend(harness.testVertx);
    site("xff.bad.test", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
        .put("ipDeny", new JsonArray().add("10.6.6.0/24")));
    site("mapped-deny.bad.test", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
        .put("ipDeny", new JsonArray().add("::ffff:10.6.6.0/120")));
  }

  @AfterAll
  void stop() {
    backend.close();
    harness.close();
  }

  @BeforeEach
  void clear() {
    backend.clear();
  }

  /** Stores a site (as the operator: no owner) targeting the recording backend and waits until the edge serves it. */
  private void site(String pattern, JsonObject site) {
    harness.putSite(pattern, site.copy().put("targets", new JsonArray().add("127.0.0.1:" + backend.port())).encode());
    Harness.waitFor(() -> get(pattern, "/", Map.of()).statusCode() != 404, 5_000);
    backend.clear();
  }

  private HttpResponse<String> get(String host, String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort() + path))
        .header("Host", host).timeout(Duration.ofSeconds(20));
    headers.forEach(request::header);
    return harness.send(request.build());
  }

  private void assertRefused(int status, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(List.of(), backend.requests(), "the backend received nothing");
    assertEquals("", backend.raw(), "not a byte reached the backend");
  }

  // Item 14: client addresses are compared normalised, and an unknown client fails closed.

  @ParameterizedTest(name = "X-Forwarded-For: {0}")
  @ValueSource(strings = {"10.6.6.1:1234", "::ffff:10.6.6.1", "[::ffff:10.6.6.1]:443", "0:0:0:0:0:ffff:a06:601",
      "203.0.113.7, 10.6.6.1:80", "unknown", "10.6.6.1 junk", "10.6.6.1, _hidden", "",
      "10.6.6.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,"
          + "127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1"})
  void aDeniedOrUnknownClientBehindATrustedProxyIsRefused(String forwardedFor) {
    assertRefused(403, get("xff.bad.test", "/", Map.of("X-Forwarded-For", forwardedFor)));
  }

  @ParameterizedTest(name = "X-Forwarded-For: {0}")
  @ValueSource(strings = {"10.6.6.1", "10.6.6.1:8080", "::ffff:10.6.6.1"})
  void aMappedDenyRangeIsItsIpv4Range(String forwardedFor) {
    assertRefused(403, get("mapped-deny.bad.test", "/", Map.of("X-Forwarded-For", forwardedFor)));
  }

  @ParameterizedTest(name = "X-Forwarded-For: {0}")
  @ValueSource(strings = {"203.0.113.7", "203.0.113.7:5555", "[2001:db8::1]:80", "10.6.6.1, 203.0.113.7, 127.0.0.1"})
  void anAllowedClientBehindATrustedProxyPasses(String forwardedFor) {
    HttpResponse<String> response = get("xff.bad.test", "/", Map.of("X-Forwarded-For", forwardedFor));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(1, backend.requests().size());
  }
}
