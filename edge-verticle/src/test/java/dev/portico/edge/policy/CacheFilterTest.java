package dev.portico.edge.policy;

import dev.portico.contract.CacheSettings;
import dev.portico.edge.cache.CacheNode;
import dev.portico.edge.cache.LocalResponseCache;
import dev.portico.edge.pipeline.BodyTransform;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.Step;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache filter's steps on one node's store, driven as the edge drives them (no network: the relay is tested end to end). */
class CacheFilterTest {

  private static final CacheSettings SETTINGS = new CacheSettings(60, 1 << 20, true);

  private final CacheNode node = new CacheNode(new LocalResponseCache(1 << 24), CacheNode.MAX_WAIT_MS);

  private CacheFilter filter(String scope) {
    return new CacheFilter(node, SETTINGS, false, scope);
  }

  /** Runs a miss through {@code filter}: the backend answers 200, {@code max-age=300}, with {@code body}. */
  private static void miss(CacheFilter filter, String path, String body) {
    BodyTransform recorder = missStarted(filter, path);
    recorder.apply(Buffer.buffer(body));
    recorder.finish();
  }

  /** A miss whose 200 head went through {@code filter}: its body is to come. */
  private static BodyTransform missStarted(CacheFilter filter, String path) {
    FilterContext context = Requests.get(path).context();
    assertSame(Step.PASS, filter.onRequest(context));
    context.respond(200, HttpHeaders.headers().add("Cache-Control", "max-age=300"));
    filter.onResponse(context);
    BodyTransform recorder = filter.onResponseBody(context);
    assertNotNull(recorder, "a storable miss is recorded");
    return recorder;
  }

  private static String xCache(CacheFilter filter, String path) {
    return xCache(filter, Requests.get(path));
  }

  private static String xCache(CacheFilter filter, Requests request) {
    Step step = filter.onRequest(request.context());
    if (step.answer() == null) {
      return "to the backend";
    }
    MultiMap headers = step.answer().headers();
    return headers.get(CachedAnswers.X_CACHE);
  }

  @Test
  void aRouteNeverGetsAnotherRoutesEntry() {
    CacheFilter guardedRoute = filter("admin-route");
    CacheFilter site = filter(SiteFilters.SITE_SCOPE);
    miss(guardedRoute, "/report", "for the admins");
    assertEquals("HIT", xCache(guardedRoute, "/report"));
    assertEquals("to the backend", xCache(site, "/report"), "the site's scope has its own entries");
  }

  @Test
  void aLoggedInUserNeitherFillsNorReadsTheSharedCache() {
    CacheFilter site = filter(SiteFilters.SITE_SCOPE);
    FilterContext alice = Requests.get("/account").header("Cookie", "session=alice").context();
    assertSame(Step.PASS, site.onRequest(alice));
    alice.respond(200, HttpHeaders.headers().add("Cache-Control", "max-age=300"));
    site.onResponse(alice);
    assertNull(site.onResponseBody(alice), "alice's page is relayed, not stored");
    assertEquals("to the backend", xCache(site, "/account"), "an anonymous visitor never gets alice's page");

    miss(site, "/home", "welcome, visitor");
    assertEquals("HIT", xCache(site, "/home"));
    assertEquals("to the backend", xCache(site, Requests.get("/home").header("Cookie", "session=bob")),
        "bob, logged in, gets his own page, not the visitors' one");
  }

  @Test
  void aMissIsLetGoWhenItsExchangeEndsWithoutABody() {
    CacheFilter site = filter(SiteFilters.SITE_SCOPE);
    FilterContext first = Requests.get("/gone").context();
    assertSame(Step.PASS, site.onRequest(first));
    assertEquals(1, node.missesUnderWay());
    first.done();  // an edge error, a reset client: no response body step ran
    assertEquals(0, node.missesUnderWay());
    assertSame(Step.PASS, site.onRequest(Requests.get("/gone").context()), "the next request leads, it does not wait");
  }

  @Test
  void copiesOfMissesInFlightStayWithinTheNodesBudget() {
    CacheNode small = new CacheNode(new LocalResponseCache(1 << 20), CacheNode.MAX_WAIT_MS);  // entries up to ~100 KiB, copies up to 256 KiB
    CacheFilter site = new CacheFilter(small, SETTINGS, false, SiteFilters.SITE_SCOPE);
    String body = "x".repeat(90_000);
    BodyTransform a = missStarted(site, "/a");
    BodyTransform b = missStarted(site, "/b");
    BodyTransform c = missStarted(site, "/c");
    for (BodyTransform miss : new BodyTransform[] {a, b, c}) {
      assertEquals(body.length(), miss.apply(Buffer.buffer(body)).length(), "relayed whole, copied or not");
      assertTrue(small.copyingBytes() <= (1 << 20) / 4, "copies in flight: " + small.copyingBytes());
    }
    a.finish();
    b.finish();
    c.finish();
    assertEquals(0, small.copyingBytes());
    assertEquals("HIT", xCache(site, "/a"));
    assertEquals("HIT", xCache(site, "/b"));
    assertEquals("to the backend", xCache(site, "/c"), "the third copy was over the node's budget: not kept");
  }

  @Test
  void aBodyDeclaredLargerThanTheStoresLargestEntryIsNotCopied() {
    CacheNode small = new CacheNode(new LocalResponseCache(1 << 20), CacheNode.MAX_WAIT_MS);
    CacheFilter site = new CacheFilter(small, SETTINGS, false, SiteFilters.SITE_SCOPE);  // maxObjectBytes 1 MiB
    FilterContext context = Requests.get("/video").context();
    assertSame(Step.PASS, site.onRequest(context));
    context.respond(200, HttpHeaders.headers().add("Cache-Control", "max-age=300").add("Content-Length", "200000"));
    site.onResponse(context);
    assertNull(site.onResponseBody(context), "the store keeps at most a tenth of 1 MiB: nothing to copy");
    assertEquals(0, small.missesUnderWay());
  }

  @Test
  void aWaiterThatGivesUpLeavesTheLeadersMissAlone() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CacheNode impatient = new CacheNode(new LocalResponseCache(1 << 20), 100);
      CacheFilter site = new CacheFilter(impatient, SETTINGS, false, SiteFilters.SITE_SCOPE);
      BodyTransform slowLeader = missStarted(site, "/slow");
      Promise<Step> waited = Promise.promise();
      vertx.runOnContext(v -> site.onRequest(Requests.get("/slow").context()).later().onComplete(waited));
      assertSame(Step.PASS, waited.future().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS),
          "after its wait the request goes to the backend itself");
      assertEquals(1, impatient.missesUnderWay(), "the leader's miss is still its own: no other request can lead it");
      slowLeader.apply(Buffer.buffer("late"));
      slowLeader.finish();
      assertEquals(0, impatient.missesUnderWay());
      assertEquals("HIT", xCache(site, "/slow"));
    } finally {
      vertx.close();
    }
  }

  @Test
  void theBackendIsOfferedOnlyTheCodingInTheKey() {
    CacheFilter site = filter(SiteFilters.SITE_SCOPE);
    FilterContext both = Requests.get("/styles.css").header("Accept-Encoding", "gzip, br").context();
    assertSame(Step.PASS, site.onRequest(both));
    MultiMap toBackend = HttpHeaders.headers().add("Accept-Encoding", "gzip, br");
    site.onBackendRequest(both, toBackend);
    assertEquals("br", toBackend.get("Accept-Encoding"), "the key says br: the backend may answer br or plain");

    both.respond(200, HttpHeaders.headers().add("Cache-Control", "max-age=300").add("Content-Encoding", "gzip"));
    site.onResponse(both);
    assertNull(site.onResponseBody(both), "a backend that answers gzip anyway is relayed, not stored under br");
    assertEquals("to the backend", xCache(site, Requests.get("/styles.css").header("Accept-Encoding", "br")));
  }
}
