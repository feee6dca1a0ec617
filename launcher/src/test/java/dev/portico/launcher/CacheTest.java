package dev.portico.launcher;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The response cache end to end: a real edge, a backend that counts what reaches it and answers
 * each path with the {@code Cache-Control} (and other fields) the path names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheTest {

  private static final String SITE = "cache.example.net";

  private Harness harness;
  private HttpServer backend;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  @BeforeAll
  void start() throws Exception {
    harness = new Harness(Map.of("PORTICO_EDGE_INSTANCES", "2"));
    backend = Harness.await(harness.testVertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1"));
    harness.putSite(SITE, "{\"targets\":[\"127.0.0.1:" + backend.actualPort() + "\"],"
        + "\"cache\":{\"defaultTtlSeconds\":0,\"maxObjectBytes\":65536}}");
    Harness.waitFor(() -> harness.get(SITE, "/warm-up").statusCode() == 200, 5_000);
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  /** {@code /<case>/<anything>}: the case says what the backend answers; the body counts the requests of the path. */
  private void answer(HttpServerRequest request) {
    String path = request.path();
    int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    var response = request.response().putHeader("Content-Type", "text/plain").putHeader("ETag", "\"" + path + n + "\"");
    if (path.startsWith("/fresh/")) {
      response.putHeader("Cache-Control", "max-age=300");
    } else if (path.startsWith("/short/")) {
      response.putHeader("Cache-Control", "max-age=1, stale-if-error=300");
    } else if (path.startsWith("/no-store/")) {
      response.putHeader("Cache-Control", "no-store, max-age=300");
    } else if (path.startsWith("/private/")) {
      response.putHeader("Cache-Control", "private, max-age=300");
    } else if (path.startsWith("/cookie/")) {
      response.putHeader("Cache-Control", "max-age=300").putHeader("Set-Cookie", "session=" + n);
    } else if (path.startsWith("/big/")) {
      response.putHeader("Cache-Control", "max-age=300").end("x".repeat(100_000));
      return;
    }
    if (path.startsWith("/slow/")) {
      response.putHeader("Cache-Control", "max-age=300");
      harness.testVertx.setTimer(500, id -> response.end("response " + n));
    } else {
      response.end("response " + n);
    }
  }

  private int count(String path) {
    AtomicInteger count = counts.get(path);
    return count == null ? 0 : count.get();
  }

  private HttpResponse<String> get(String path, String... headers) {
    return harness.get(SITE, path, headers);
  }

  private static String xCache(HttpResponse<?> response) {
    return response.headers().firstValue("X-Cache").orElse(null);
  }

  @Test
  void aFreshResponseIsServedFromTheCacheWithAge() {
    HttpResponse<String> first = get("/fresh/a");
    HttpResponse<String> second = get("/fresh/a");
    assertEquals("MISS", xCache(first));
    assertEquals("HIT", xCache(second));
    assertEquals(first.body(), second.body());
    assertNotNull(second.headers().firstValue("Age").orElse(null));
    assertEquals(1, count("/fresh/a"));
  }

  @Test
  void responsesThatForbidSharingReachTheBackendEveryTime() {
    for (String path : List.of("/no-store/a", "/private/a", "/cookie/a")) {
      HttpResponse<String> first = get(path);
      HttpResponse<String> second = get(path);
      assertNotEquals(first.body(), second.body(), path);
      assertEquals(2, count(path), path);
    }
    assertTrue(get("/cookie/a").headers().allValues("Set-Cookie").contains("session=3"),
        "one client's cookie never reaches another");
  }

  @Test
  void aResponseToAnAuthorizedRequestIsNotServedToAnotherClient() {
    HttpResponse<String> alice = get("/fresh/auth", "Authorization", "Bearer alice");
    HttpResponse<String> other = get("/fresh/auth");
    assertNotEquals(alice.body(), other.body());
    assertEquals(2, count("/fresh/auth"));
  }

  @Test
  void aClientsConditionalRequestIsAnswered304FromTheCache() {
    HttpResponse<String> first = get("/fresh/etag");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> conditional = get("/fresh/etag", "If-None-Match", etag);
    assertEquals(304, conditional.statusCode());
    assertEquals("HIT", xCache(conditional));
    assertEquals(200, get("/fresh/etag", "If-None-Match", "\"other\"").statusCode());
    assertEquals(1, count("/fresh/etag"));
  }

  @Test
  void anObjectOverMaxObjectBytesIsRelayedNotStored() {
    assertEquals(100_000, get("/big/a").body().length());
    assertEquals(100_000, get("/big/a").body().length());
    assertEquals(2, count("/big/a"));
  }

  @Test
  void anExpiredEntryGoesBackToTheBackend() {
    get("/short/expiry");
    Harness.waitFor(() -> get("/short/expiry").body().equals("response 2"), 10_000);
    assertEquals(2, count("/short/expiry"));
  }

  @Test
  void aHundredConcurrentMissesMakeOneBackendRequest() {
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      responses.add(harness.http.sendAsync(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + harness.httpPort() + "/slow/a")).header("Host", SITE)
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertEquals("response 1", response.join().body());
    }
    assertEquals(1, count("/slow/a"));
  }

  @Test
  void aStoppedBackendKeepsStaleIfErrorPagesServed() {
    HttpServer dying = Harness.await(harness.testVertx.createHttpServer().requestHandler(request -> request.response()
        .putHeader("Cache-Control", "max-age=1, stale-if-error=300").end("kept")).listen(0, "127.0.0.1"));
    String site = "stale.example.net";
    harness.putSite(site, "{\"targets\":[\"127.0.0.1:" + dying.actualPort() + "\"],\"cache\":{}}");
    Harness.waitFor(() -> harness.get(site, "/page").statusCode() == 200, 5_000);
    Harness.await(dying.close());
    Harness.waitFor(() -> "STALE".equals(xCache(harness.get(site, "/page"))), 10_000);
    HttpResponse<String> stale = harness.get(site, "/page");
    assertEquals(200, stale.statusCode());
    assertEquals("kept", stale.body());
    assertEquals(502, harness.get(site, "/never-cached").statusCode());
  }

  /**
   * Two routes of one site take the same path, told apart by a header, each to its own backend:
   * each keeps its own entries (the route's id is in the key), a route's own {@code cache}
   * settings apply to it, and {@code "cache": null} switches caching off for a route.
   */
  @Test
  void routesOfOneSiteNeverShareEntries() {
    Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    int beta = harness.backend(request -> request.response()  // no freshness: cached by the route's default TTL only
        .end("beta " + served.computeIfAbsent("beta", k -> new AtomicInteger()).incrementAndGet()));
    int main = harness.backend(request -> request.response().putHeader("Cache-Control", "max-age=300")
        .end("main " + served.computeIfAbsent("main", k -> new AtomicInteger()).incrementAndGet()));
    String site = "routes.example.net";
    harness.putSite(site, ("{'targets': ['127.0.0.1:" + main + "'], 'cache': {'defaultTtlSeconds': 0},"
        + " 'routes': [{'prefix': '/p/', 'header': {'name': 'X-Beta', 'value': '1'}, 'targets': ['127.0.0.1:" + beta
        + "'], 'cache': {'defaultTtlSeconds': 300}}, {'prefix': '/p/', 'targets': ['127.0.0.1:" + main + "']},"
        + " {'prefix': '/live/', 'cache': null}]}").replace('\'', '"'));
    Harness.waitFor(() -> harness.get(site, "/p/warm").statusCode() == 200, 5_000);
    HttpResponse<String> plain = harness.get(site, "/p/page");
    assertEquals("HIT", xCache(harness.get(site, "/p/page")));
    HttpResponse<String> betaFirst = harness.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + harness.httpPort() + "/p/page")).header("Host", site).header("X-Beta", "1").build());
    HttpResponse<String> betaAgain = harness.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + harness.httpPort() + "/p/page")).header("Host", site).header("X-Beta", "1").build());
    assertEquals("main 2", plain.body());
    assertEquals("beta 1", betaFirst.body(), "the other route's entry for the same path is not served");
    assertEquals("MISS", xCache(betaFirst));
    assertEquals("beta 1", betaAgain.body(), "the route's own defaultTtlSeconds stored it");
    assertEquals("HIT", xCache(betaAgain));
    assertEquals("main 2", harness.get(site, "/p/page").body());
    harness.get(site, "/live/page");
    HttpResponse<String> live = harness.get(site, "/live/page");
    assertEquals("main 4", live.body(), "a route with cache null reaches the backend every time");
    assertEquals(null, xCache(live));
  }
}
