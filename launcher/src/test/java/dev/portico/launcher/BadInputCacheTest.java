package dev.portico.launcher;

import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The response cache against crafted input, from backends and clients: what the client received
 * and how many requests reached the backend. A backend's page is never another variant's,
 * another host's or another tenant's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCacheTest {

  private static final String SITE = "hostile-cache.example.net";

  private Harness harness;
  private int backend;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  /** What each request for {@code /untagged} carried of a client's conditions and range ("-" for none). */
  private final List<String> untagged = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    harness = new Harness();
    backend = harness.backend(this::answer);
    harness.putSite(SITE, cachedSite());
    harness.putSite("*.tenant.example.net", cachedSite());
    harness.putSite("other-tenant.example.net", cachedSite());
    Harness.waitFor(() -> harness.get(SITE, "/warm-up").statusCode() == 200, 5_000);
  }

  private String cachedSite() {
    return "{\"targets\":[\"127.0.0.1:" + backend + "\"],\"cache\":{\"defaultTtlSeconds\":0}}";
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  /** The body names the host, the path's count and the request's X-Variant; the path picks the crafted head. */
  private void answer(HttpServerRequest request) {
    String path = request.path();
    if (request.path().equals("/untagged")) {
      answerUntagged(request);
      return;
    }
    String host = request.authority().host();
    int n = counts.computeIfAbsent(host + path, p -> new AtomicInteger()).incrementAndGet();
    var response = request.response().putHeader("Cache-Control", "max-age=300");
    if (path.startsWith("/huge-vary")) {
      response.putHeader("Vary", String.join(", ", IntStream.range(0, 40).mapToObj(i -> "X-F" + i).toList()));
    } else if (path.startsWith("/variants")) {
      response.putHeader("Vary", "X-Variant");
    } else if (path.startsWith("/hidden-private")) {
      response.putHeader("Cache-Control", "public, max-age=300," + "x,".repeat(100) + "private");
    } else if (path.startsWith("/bad-age")) {
      response.putHeader("Cache-Control", "max-age=-5");
    } else if (path.startsWith("/huge-age")) {
      response.putHeader("Cache-Control", "max-age=99999999999999999999999999");
    } else if (path.startsWith("/backend-says-hit")) {
      response.putHeader("X-Cache", "HIT");
    }
    response.end(host + " " + path + " " + n + " " + request.getHeader("X-Variant"));
  }

  /**
   * A page without validators: version 1 fresh for 1 s, then version 2; a 304 to any request
   * with a condition (as a backend would to the client that sent it).
   */
  private void answerUntagged(HttpServerRequest request) {
    String asked = String.join(",", request.headers().names().stream().map(String::toLowerCase)
        .filter(name -> name.startsWith("if-") || name.equals("range")).sorted().toList());
    untagged.add(asked.isEmpty() ? "-" : asked);
    if (!asked.isEmpty()) {
      request.response().setStatusCode(304).putHeader("Cache-Control", "max-age=300").end();
    } else if (untagged.size() == 1) {
      request.response().putHeader("Cache-Control", "max-age=1, stale-while-revalidate=300").end("untagged, version 1");
    } else {
      request.response().putHeader("Cache-Control", "max-age=300").end("untagged, version 2");
    }
  }

  private int count(String host, String path) {
    AtomicInteger count = counts.get(host + path);
    return count == null ? 0 : count.get();
  }

  private static String xCache(HttpResponse<?> response) {
    return response.headers().firstValue("X-Cache").orElse("");
  }

  @Test
  void aResponseVaryingOnTooManyFieldsIsRelayedNotStored() {
    for (int i = 1; i <= 3; i++) {
      HttpResponse<String> response = harness.get(SITE, "/huge-vary");
      assertEquals(200, response.statusCode());
      assertEquals(SITE + " /huge-vary " + i + " null", response.body());
    }
    assertEquals(3, count(SITE, "/huge-vary"));
  }

  @Test
  void manyVariantsNeverAnswerAnotherVariantsRequest() {
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> response = harness.get(SITE, "/variants", "X-Variant", "v" + i);
      assertTrue(response.body().endsWith(" v" + i), response.body());
    }
    HttpResponse<String> last = harness.get(SITE, "/variants", "X-Variant", "v199");
    assertEquals("HIT", xCache(last), "the last variant stored is the one kept");
    HttpResponse<String> first = harness.get(SITE, "/variants", "X-Variant", "v0");
    assertTrue(first.body().endsWith(" v0"), "one variant per key: v0 was replaced, so fetched again");
    assertEquals(201, count(SITE, "/variants"));
  }

  @Test
  void aBackendsCraftedCacheControlStoresNothingItShouldNot() {
    harness.get(SITE, "/hidden-private");
    assertEquals(SITE + " /hidden-private 2 null", harness.get(SITE, "/hidden-private").body(),
        "a private past 64 directives: not stored");
    harness.get(SITE, "/bad-age");
    assertEquals(SITE + " /bad-age 2 null", harness.get(SITE, "/bad-age").body(), "a negative max-age is stale at once");
    harness.get(SITE, "/huge-age");
    HttpResponse<String> capped = harness.get(SITE, "/huge-age");
    assertEquals("HIT", xCache(capped));
    assertTrue(Long.parseLong(capped.headers().firstValue("Age").orElseThrow()) < 60, "a sane Age");
    HttpResponse<String> claimed = harness.get(SITE, "/backend-says-hit");
    assertEquals("MISS", xCache(claimed), "the backend's own X-Cache is replaced");
    assertEquals("HIT", xCache(harness.get(SITE, "/backend-says-hit")));
  }

  @Test
  void aFloodOfNoCacheRequestsReachesTheBackendOnce() {
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> response = harness.get(SITE, "/flood", "Cache-Control", "no-cache", "Pragma", "no-cache");
      assertEquals(SITE + " /flood 1 null", response.body());
    }
    assertEquals(1, count(SITE, "/flood"));
  }

  @Test
  void noHostOrTenantGetsAnothersEntry() {
    Harness.waitFor(() -> harness.get("warm.tenant.example.net", "/warm-up").statusCode() == 200, 10_000);
    assertEquals("a.tenant.example.net /page 1 null", harness.get("a.tenant.example.net", "/page").body());
    assertEquals("b.tenant.example.net /page 1 null", harness.get("b.tenant.example.net", "/page").body(),
        "one wildcard site, two hosts: two entries");
    assertEquals("other-tenant.example.net /page 1 null", harness.get("other-tenant.example.net", "/page").body());
    assertEquals("HIT", xCache(harness.get("a.tenant.example.net", "/page")));
    // a Host with the other tenant's name in a port, a trailing dot, or another case is that host or refused
    HttpResponse<String> dotted = harness.get("A.Tenant.Example.Net.", "/page");
    assertTrue(dotted.statusCode() >= 400 || dotted.body().startsWith("a.tenant.example.net"), dotted.body());
  }

  /**
   * A client's own conditions and range never go with a background refresh: only the entry's
   * validators may ask for a 304, so a client cannot make a stale entry without validators look
   * fresh (here the backend would answer its If-Modified-Since with 304); the refresh asks
   * unconditionally and the new version replaces the entry.
   */
  @Test
  void aClientsConditionsDoNotGoWithABackgroundRefresh() {
    assertEquals("MISS", xCache(harness.get(SITE, "/untagged")));
    Harness.sleep(1500);  // stale now (fresh for 1 s), and no plain request has started a refresh
    Harness.waitFor(() -> {
      harness.get(SITE, "/untagged", "If-Modified-Since", "Sat, 01 Jan 2050 00:00:00 GMT", "If-None-Match", "\"forged\"",
          "Range", "bytes=0-3");
      return untagged.size() >= 2;
    }, 10_000);
    AtomicReference<HttpResponse<String>> later = new AtomicReference<>();
    Harness.waitFor(() -> {
      later.set(harness.get(SITE, "/untagged"));
      return xCache(later.get()).equals("HIT") && later.get().body().equals("untagged, version 2");
    }, 10_000);
    assertTrue(untagged.stream().allMatch("-"::equals), "the backend got a client's condition: " + untagged);
  }
}
