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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 304s both ways through a real edge: a stale entry is revalidated with the backend's validators
 * and a 304 refreshes it (the backend sends the body once); a client's own {@code If-None-Match}
 * or {@code If-Modified-Since} is answered 304 from the entry; within {@code stale-while-revalidate}
 * the entry answers at once and one background request refreshes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheRevalidationTest {

  private static final String SITE = "revalidate.example.net";
  private static final String LAST_MODIFIED = "Tue, 03 Nov 2026 10:00:00 GMT";

  private Harness harness;
  /** Per path, what each request to the backend carried as {@code If-None-Match} ("-" for none). */
  private final Map<String, List<String>> conditions = new ConcurrentHashMap<>();
  /** Completed by a test to let the held revalidation of {@code /swr} answer. */
  private final CompletableFuture<Void> released = new CompletableFuture<>();

  @BeforeAll
  void start() throws Exception {
    harness = new Harness();
    int backend = harness.backend(this::answer);
    harness.putSite(SITE, "{\"targets\":[\"127.0.0.1:" + backend + "\"],\"cache\":{\"defaultTtlSeconds\":0}}");
    Harness.waitFor(() -> get("/warm-up").statusCode() == 200, 5_000);
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  /** A page that stays "v1": fresh for 1 s, 304 (then fresh for 300 s) to a request that names its tag. */
  private void answer(HttpServerRequest request) {
    String condition = request.getHeader("If-None-Match");
    conditions.computeIfAbsent(request.path(), p -> new CopyOnWriteArrayList<>()).add(condition == null ? "-" : condition);
    var response = request.response().putHeader("ETag", "\"v1\"").putHeader("Last-Modified", LAST_MODIFIED);
    if (request.path().startsWith("/swr") && condition != null) {  // the revalidation waits for the test's word
      released.thenRun(() -> response.setStatusCode(304).putHeader("Cache-Control", "max-age=300").end());
    } else if (request.path().equals("/replaced") && condition != null) {
      response.putHeader("ETag", "\"v2\"").putHeader("Cache-Control", "max-age=300").end("the page, version 2");
    } else if (request.path().startsWith("/swr") || request.path().equals("/replaced")) {
      response.putHeader("Cache-Control", "max-age=1, stale-while-revalidate=300").end("the page, version 1");
    } else if ("\"v1\"".equals(condition)) {
      response.setStatusCode(304).putHeader("Cache-Control", "max-age=300");
      if (request.path().equals("/phrase")) {
        response.setStatusMessage("Revalidated");  // a phrase of the backend's own, for its 304
      }
      response.end();
    } else {
      response.putHeader("Cache-Control", "max-age=1").end("the page, version 1");
    }
  }

  private HttpResponse<String> get(String path, String... headers) {
    return harness.get(SITE, path, headers);
  }

  private static String xCache(HttpResponse<?> response) {
    return response.headers().firstValue("X-Cache").orElse("");
  }

  @Test
  void aStaleEntryIsRevalidatedAndA304RefreshesIt() {
    assertEquals("MISS", xCache(get("/page")));
    Harness.waitFor(() -> !xCache(get("/page")).equals("HIT"), 10_000);  // the first request after its second
    HttpResponse<String> again = get("/page");
    assertEquals("HIT", xCache(again), "the 304's max-age=300 refreshed the entry");
    assertEquals("the page, version 1", again.body());
    assertEquals(List.of("-", "\"v1\""), conditions.get("/page"), "the backend sent the body once, then a 304");
  }

  @Test
  void theEntryAConfirming304SendsOutCarriesItsOwnStatusLine() throws Exception {
    assertEquals("MISS", xCache(get("/phrase")));
    AtomicReference<String> revalidated = new AtomicReference<>();
    Harness.waitFor(() -> {
      try {
        revalidated.set(harness.raw("GET /phrase HTTP/1.1\r\nHost: " + SITE + "\r\nConnection: close\r\n\r\n"));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return !revalidated.get().contains("\r\nX-Cache: HIT\r\n");
    }, 10_000);
    assertTrue(revalidated.get().contains("\r\nX-Cache: REVALIDATED\r\n"), revalidated.get());
    assertTrue(revalidated.get().startsWith("HTTP/1.1 200 OK\r\n"), "not the 304's phrase: " + revalidated.get());
  }

  @Test
  void theRevalidatingRequestGetsTheWholeEntryWhenItsOwnTagDiffers() {
    get("/own");
    AtomicReference<HttpResponse<String>> revalidated = new AtomicReference<>();
    Harness.waitFor(() -> {
      revalidated.set(get("/own", "If-None-Match", "\"v0\""));
      return !xCache(revalidated.get()).equals("HIT");
    }, 10_000);
    assertEquals("REVALIDATED", xCache(revalidated.get()));
    assertEquals(200, revalidated.get().statusCode());
    assertEquals("the page, version 1", revalidated.get().body());
    assertEquals(List.of("-", "\"v1\""), conditions.get("/own"), "the entry's tag replaced the client's");
  }

  @Test
  void aClientsConditionalMissIsForwardedAndIts304NotStored() {
    HttpResponse<String> forwarded = get("/forwarded", "If-None-Match", "\"v1\"");
    assertEquals(304, forwarded.statusCode());
    HttpResponse<String> plain = get("/forwarded");
    assertEquals(200, plain.statusCode());
    assertEquals("the page, version 1", plain.body());
    assertEquals(List.of("\"v1\"", "-"), conditions.get("/forwarded"));
  }

  @Test
  void aClientsOwnConditionalRequestsAreAnswered304FromTheEntry() {
    get("/conditional");
    HttpResponse<String> byTag = get("/conditional", "If-None-Match", "\"v1\"");
    HttpResponse<String> byDate = get("/conditional", "If-Modified-Since", LAST_MODIFIED);
    HttpResponse<String> older = get("/conditional", "If-Modified-Since", "Mon, 02 Nov 2026 10:00:00 GMT");
    assertEquals(304, byTag.statusCode());
    assertEquals(304, byDate.statusCode());
    assertEquals("HIT", xCache(byDate));
    assertEquals(200, older.statusCode(), "modified since then: the whole entry");
    assertEquals(List.of("-"), conditions.get("/conditional"));
  }

  /**
   * Within {@code stale-while-revalidate} the request that finds the entry stale gets it at once,
   * and one conditional request refreshes it in the background: the backend holds its 304 (a
   * request that waited for it would time out), every request meanwhile is answered from the
   * entry, and once the 304 is let go the next requests get the refreshed entry.
   */
  @Test
  void withinStaleWhileRevalidateTheEntryAnswersAtOnceAndOneBackgroundRequestRefreshesIt() {
    assertEquals("MISS", xCache(get("/swr")));
    AtomicReference<HttpResponse<String>> first = new AtomicReference<>();
    Harness.waitFor(() -> {
      first.set(get("/swr"));
      return !xCache(first.get()).equals("HIT");  // fresh for 1 s
    }, 10_000);
    assertEquals("STALE", xCache(first.get()), "the first request after the entry went stale does not wait");
    assertEquals("the page, version 1", first.get().body());
    Harness.waitFor(() -> conditions.get("/swr").size() == 2, 10_000);  // the refresh reached the backend, held there
    for (int i = 0; i < 5; i++) {
      assertEquals("STALE", xCache(get("/swr")), "answered while the refresh is held");
    }
    assertEquals(List.of("-", "\"v1\""), conditions.get("/swr"), "one conditional request, not one per client");
    released.complete(null);
    Harness.waitFor(() -> xCache(get("/swr")).equals("HIT"), 10_000);
    assertEquals("the page, version 1", get("/swr").body());
    assertEquals(List.of("-", "\"v1\""), conditions.get("/swr"), "refreshed by the 304: the body crossed once");
  }

  /** A background refresh answered with a new version (200) replaces the entry. */
  @Test
  void aBackgroundRefreshAnsweredWithANewVersionReplacesTheEntry() {
    assertEquals("MISS", xCache(get("/replaced")));
    AtomicReference<HttpResponse<String>> first = new AtomicReference<>();
    Harness.waitFor(() -> {
      first.set(get("/replaced"));
      return !xCache(first.get()).equals("HIT");
    }, 10_000);
    assertEquals("STALE", xCache(first.get()));
    assertEquals("the page, version 1", first.get().body());
    AtomicReference<HttpResponse<String>> later = new AtomicReference<>();
    Harness.waitFor(() -> {
      later.set(get("/replaced"));
      return xCache(later.get()).equals("HIT");
    }, 10_000);
    assertEquals("the page, version 2", later.get().body());
    assertEquals(List.of("-", "\"v1\""), conditions.get("/replaced"));
  }
}
