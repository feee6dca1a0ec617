package dev.portico.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests through the edge, from the Host header to the backend and back, on real parts. */
class EdgeRoutingTest {

  private static Harness harness;
  private static int shop;
  private static int wildcard;
  private static int deep;

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness();
    shop = harness.namedBackend("shop");
    wildcard = harness.namedBackend("wildcard");
    deep = harness.namedBackend("deep");
    harness.putSite("shop.example.com", shop);
    harness.putSite("*.example.com", wildcard);
    harness.putSite("**.example.com", deep);
    harness.putSite("api.*.example.net", harness.namedBackend("api"));
    harness.putSite("*.v1.example.net", harness.namedBackend("v1"));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static String backendOf(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return response.body().substring(0, response.body().indexOf('\n'));
  }

  @Test
  void routesByHostWithWildcardPriorities() {
    assertEquals("shop", backendOf(harness.get("shop.example.com", "/")));
    assertEquals("wildcard", backendOf(harness.get("www.example.com", "/")));
    assertEquals("deep", backendOf(harness.get("a.b.example.com", "/")));
    assertEquals("v1", backendOf(harness.get("api.v1.example.net", "/")));
    assertEquals("api", backendOf(harness.get("api.v2.example.net", "/")));
  }

  @Test
  void hostIsCaseInsensitiveAndIgnoresPortAndTrailingDot() {
    assertEquals("shop", backendOf(harness.get("SHOP.Example.COM", "/")));
    assertEquals("shop", backendOf(harness.get("shop.example.com.:8080", "/")));
  }

  @Test
  void unknownHostIs404AndNeverProxied() {
    HttpResponse<String> response = harness.get("unknown.example.org", "/");
    assertEquals(404, response.statusCode());
    assertTrue(response.body().contains("\"error\":\"unknown site\""), response.body());
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
  }

  @Test
  void malformedMissingAndRepeatedHostAre400() throws IOException {
    assertTrue(harness.raw("GET / HTTP/1.1\r\nHost: a..example.com\r\n\r\n").startsWith("HTTP/1.1 400"));
    assertTrue(harness.raw("GET / HTTP/1.1\r\nHost: sh*p.example.com\r\n\r\n").startsWith("HTTP/1.1 400"));
    assertTrue(harness.raw("GET / HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 400"));
    assertTrue(harness.raw("GET / HTTP/1.1\r\nHost: shop.example.com\r\nHost: evil.org\r\n\r\n")
        .startsWith("HTTP/1.1 400"));
  }

  @Test
  void absoluteFormTargetsForOtherHostsAreRefused() throws IOException {
    String refused = harness.raw("GET http://evil.org/steal HTTP/1.1\r\nHost: shop.example.com\r\n\r\n");
    assertTrue(refused.startsWith("HTTP/1.1 400"), refused);
    String served = harness.raw("GET http://shop.example.com/x?y=1 HTTP/1.1\r\nHost: shop.example.com\r\n"
        + "Connection: close\r\n\r\n");
    assertTrue(served.startsWith("HTTP/1.1 200"), served);
    assertTrue(served.contains("GET /x?y=1\n"), served);
    String connect = harness.raw("CONNECT evil.org:443 HTTP/1.1\r\nHost: evil.org:443\r\n\r\n");
    assertFalse(connect.startsWith("HTTP/1.1 200"), connect);
  }

  @Test
  void forwardsMethodUriBodyAndForwardingHeaders() {
    HttpResponse<String> response = harness.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + harness.httpPort() + "/orders?id=7&x=%20"))
        .header("Host", "shop.example.com:8080")
        .header("X-Forwarded-For", "203.0.113.9")
        .header("X-Forwarded-Proto", "https")
        .header("Connection", "X-Secret")
        .header("X-Secret", "hop")
        .header("Keep-Alive", "timeout=5")
        .header("Via", "1.1 cdn.example.net")
        .POST(HttpRequest.BodyPublishers.ofString("hello backend"))
        .build());
    String body = response.body();
    assertEquals(200, response.statusCode(), body);
    assertTrue(body.contains("POST /orders?id=7&x=%20\n"), body);
    assertTrue(body.contains("host: shop.example.com:8080\n"), body);
    assertTrue(body.contains("x-forwarded-for: 203.0.113.9, 127.0.0.1\n"), body);
    assertTrue(body.contains("x-forwarded-proto: http\n"), body);
    assertTrue(body.contains("x-forwarded-host: shop.example.com:8080\n"), body);
    assertTrue(body.contains("via: 1.1 cdn.example.net\n"), body);
    assertTrue(body.matches("(?s).*via: 1\\.1 portico-[0-9a-f]{8}\n.*"), "Portico adds its own Via: " + body);
    assertFalse(body.contains("x-secret"), body);
    assertFalse(body.contains("keep-alive"), body);
    assertTrue(body.endsWith("\nhello backend"), body);
  }

  @Test
  void aSiteWhoseTargetIsTheEdgeItselfIs508() {
    harness.putSite("loop.example.org", harness.httpPort());
    Harness.waitFor(() -> harness.get("loop.example.org", "/").statusCode() != 404, 2000);
    HttpResponse<String> response = harness.get("loop.example.org", "/a");
    assertEquals(508, response.statusCode(), response.body());
    assertTrue(response.body().contains("loop detected"), response.body());
    harness.deleteSite("loop.example.org");
  }

  @Test
  void stripsHopByHopResponseHeaders() throws IOException {
    int port = harness.backend(request -> request.response()
        .putHeader("Connection", "X-Internal")
        .putHeader("X-Internal", "secret")
        .putHeader("Keep-Alive", "timeout=5")
        .putHeader("X-Kept", "yes")
        .end("ok"));
    harness.putSite("headers.example.org", port);
    Harness.waitFor(() -> harness.get("headers.example.org", "/").statusCode() == 200, 2000);
    String response = harness.raw("GET / HTTP/1.1\r\nHost: headers.example.org\r\nConnection: close\r\n\r\n")
        .toLowerCase();
    assertTrue(response.contains("x-kept: yes"), response);
    assertFalse(response.contains("x-internal"), response);
    assertFalse(response.contains("timeout=5"), response);
  }

  @Test
  void headRequestsCarryNoBody() throws IOException {
    String response = harness.raw("HEAD / HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    assertTrue(response.endsWith("\r\n\r\n"), response);
  }

  @Test
  void invalidSiteJsonAnswers502AndOtherSitesKeepWorking() {
    harness.putSite("broken.example.org", "{\"targets\": [\"127.0.0.1:1\"");
    harness.putSite("badport.example.org", "{\"targets\": [\"127.0.0.1:99999\"]}");
    Harness.waitFor(() -> harness.get("broken.example.org", "/").statusCode() == 502, 2000);
    HttpResponse<String> response = harness.get("badport.example.org", "/");
    assertEquals(502, response.statusCode());
    assertTrue(response.body().contains("site misconfigured"), response.body());
    assertEquals("shop", backendOf(harness.get("shop.example.com", "/")));
  }

  @Test
  void backendDownIs502() {
    harness.putSite("down.example.org", Harness.freePort());
    Harness.waitFor(() -> harness.get("down.example.org", "/").statusCode() == 502, 2000);
    assertTrue(harness.get("down.example.org", "/").body().contains("backend unavailable"));
  }

  @Test
  void slowBackendIs504AfterTheSiteReadTimeout() {
    int port = harness.backend(request -> harness.testVertx.setTimer(3000, t -> request.response().end("late")));
    harness.putSite("slow.example.org", "{\"targets\":[\"127.0.0.1:" + port + "\"],\"readTimeoutMs\":300}");
    Harness.waitFor(() -> harness.get("slow.example.org", "/").statusCode() == 504, 5000);
    long start = System.nanoTime();
    HttpResponse<String> response = harness.get("slow.example.org", "/");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(504, response.statusCode());
    assertTrue(response.body().contains("backend timeout"), response.body());
    assertTrue(elapsedMs < 2500, "took " + elapsedMs + " ms");
  }

  @Test
  void spreadsRequestsOverSeveralTargets() {
    int a = harness.namedBackend("a");
    int b = harness.namedBackend("b");
    harness.putSite("pair.example.org", "{\"targets\":[\"127.0.0.1:" + a + "\",\"127.0.0.1:" + b + "\"]}");
    Harness.waitFor(() -> harness.get("pair.example.org", "/").statusCode() == 200, 2000);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      seen.add(backendOf(harness.get("pair.example.org", "/")));
    }
    assertEquals(Set.of("a", "b"), seen);
  }

  @Test
  void oversizedHeadersAreRefusedWithoutReachingTheBackend() throws IOException {
    String response = harness.raw("GET / HTTP/1.1\r\nHost: shop.example.com\r\nX-Big: " + "a".repeat(20_000)
        + "\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 431") || response.startsWith("HTTP/1.1 400"), response);
    assertEquals("shop", backendOf(harness.get("shop.example.com", "/")));
  }

  @Test
  void requestWithBothContentLengthAndChunkedIsNotSmuggled() throws IOException {
    String smuggled = "GET /admin HTTP/1.1\r\nHost: shop.example.com\r\n\r\n";
    String body = "0\r\n\r\n" + smuggled;
    String response = harness.raw("POST /a HTTP/1.1\r\nHost: shop.example.com\r\nContent-Length: " + body.length()
        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + body);
    // either refused, or the body ends at the chunked terminator and the rest is not a request to the backend
    assertFalse(response.contains("GET /admin"), response);
  }
}
