package dev.portico.edge.cache;

import dev.portico.edge.cache.Freshness.State;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreshnessTest {

  private static final CacheRules OPEN = new CacheRules(0, 1 << 20, false, false);
  private static final CacheRules DEFAULT_60 = new CacheRules(60, 1 << 20, false, false);
  private static final long T0 = 1_700_000_000_000L;

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = HttpHeaders.headers();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private static String date(long millis) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC));
  }

  private static CachedResponse stored(int status, String... namesAndValues) {
    return new CachedResponse(status, headers(namesAndValues), Buffer.buffer("x"), "", T0, T0);
  }

  private static String notStorable(String... responseFields) {
    return Freshness.notStorableReason(headers(), 200, headers(responseFields), OPEN);
  }

  @Test
  void onlyGetAndHeadUseTheCache() {
    assertNull(Freshness.bypassReason(HttpMethod.GET, headers(), OPEN));
    assertNull(Freshness.bypassReason(HttpMethod.HEAD, headers(), OPEN));
    assertEquals("method", Freshness.bypassReason(HttpMethod.POST, headers(), OPEN));
    assertEquals("request no-store", Freshness.bypassReason(HttpMethod.GET, headers("Cache-Control", "no-store"), OPEN));
    assertEquals("upgrade", Freshness.bypassReason(HttpMethod.GET, headers("Upgrade", "websocket"), OPEN));
  }

  @Test
  void aGuardedSiteBypassesUnlessMarkedShared() {
    assertEquals("guarded site", Freshness.bypassReason(HttpMethod.GET, headers(), new CacheRules(60, 1, true, false)));
    assertNull(Freshness.bypassReason(HttpMethod.GET, headers(), new CacheRules(60, 1, true, true)));
  }

  @Test
  void responsesThatForbidStoringAreNotStored() {
    assertEquals("no-store", notStorable("Cache-Control", "max-age=60, no-store"));
    assertEquals("private", notStorable("Cache-Control", "private, max-age=60"));
    assertEquals("set-cookie", notStorable("Cache-Control", "max-age=60", "Set-Cookie", "sid=1"));
    assertEquals("vary *", notStorable("Cache-Control", "max-age=60", "Vary", "*"));
    assertEquals("no freshness", notStorable("Content-Type", "text/plain"));
    assertNull(notStorable("Cache-Control", "max-age=60"));
    assertNull(notStorable("Expires", date(T0 + 60_000)));
    assertNull(notStorable("ETag", "\"v1\""), "a validator makes it storable for revalidation");
    assertNull(Freshness.notStorableReason(headers(), 200, headers(), DEFAULT_60), "the site's default TTL");
    assertEquals("status", Freshness.notStorableReason(headers(), 500, headers("Cache-Control", "max-age=60"), OPEN));
  }

  @Test
  void aResponseToARequestWithCookiesIsStoredAndServedOnlyWhenItSaysItIsShared() {
    MultiMap loggedIn = headers("Cookie", "session=alice");
    assertEquals("cookie", Freshness.notStorableReason(loggedIn, 200, headers("Cache-Control", "max-age=60"), OPEN));
    assertEquals("cookie", Freshness.notStorableReason(loggedIn, 200, headers("ETag", "\"a\""), DEFAULT_60),
        "the site's default lifetime never makes a logged-in page shared");
    assertNull(Freshness.notStorableReason(loggedIn, 200, headers("Cache-Control", "public, max-age=60"), OPEN));
    assertNull(Freshness.notStorableReason(loggedIn, 200, headers("Cache-Control", "s-maxage=60"), OPEN));
    assertFalse(Freshness.servesWithCookie(stored(200, "Cache-Control", "max-age=60")));
    assertTrue(Freshness.servesWithCookie(stored(200, "Cache-Control", "public, max-age=60")));
  }

  @Test
  void aResponseToAnAuthorizedRequestIsStoredOnlyWhenItSaysItIsShared() {
    MultiMap authorized = headers("Authorization", "Bearer x");
    assertEquals("authorization",
        Freshness.notStorableReason(authorized, 200, headers("Cache-Control", "max-age=60"), OPEN));
    assertNull(Freshness.notStorableReason(authorized, 200, headers("Cache-Control", "public, max-age=60"), OPEN));
    assertNull(Freshness.notStorableReason(authorized, 200, headers("Cache-Control", "s-maxage=60"), OPEN));
    assertFalse(Freshness.servesAuthorized(stored(200, "Cache-Control", "max-age=60")));
    assertTrue(Freshness.servesAuthorized(stored(200, "Cache-Control", "public, max-age=60")));
  }

  @Test
  void lifetimePrefersSMaxAgeThenMaxAgeThenExpiresThenTheDefault() {
    assertEquals(30_000, Freshness.lifetimeMs(stored(200, "Cache-Control", "max-age=10, s-maxage=30"), 60));
    assertEquals(10_000, Freshness.lifetimeMs(stored(200, "Cache-Control", "max-age=10",
        "Expires", date(T0 + 999_000)), 60));
    assertEquals(20_000, Freshness.lifetimeMs(stored(200, "Date", date(T0), "Expires", date(T0 + 20_000)), 60));
    assertEquals(0, Freshness.lifetimeMs(stored(200, "Expires", "0"), 60), "an invalid Expires is in the past");
    assertEquals(60_000, Freshness.lifetimeMs(stored(200), 60));
    assertEquals(0, Freshness.lifetimeMs(stored(200, "Cache-Control", "no-cache, max-age=60"), 60));
    assertEquals(0, Freshness.lifetimeMs(stored(200, "Cache-Control", "max-age=abc"), 60), "malformed: stale");
  }

  @Test
  void ageCountsTheAgeFieldAndTheTimeResident() {
    CachedResponse entry = new CachedResponse(200, headers("Age", "5", "Date", date(T0)), Buffer.buffer(""), "",
        T0 - 1_000, T0);
    assertEquals(5_000 + 1_000 + 2_000, Freshness.ageMs(entry, T0 + 2_000));
  }

  @Test
  void freshThenStaleWhileRevalidateThenStale() {
    CachedResponse entry = stored(200, "Cache-Control", "max-age=10, stale-while-revalidate=20");
    assertEquals(State.FRESH, Freshness.state(entry, T0 + 9_000, 0));
    assertEquals(State.STALE_WHILE_REVALIDATE, Freshness.state(entry, T0 + 15_000, 0));
    assertEquals(State.STALE, Freshness.state(entry, T0 + 31_000, 0));
  }

  @Test
  void mustRevalidateForbidsServingStale() {
    CachedResponse entry = stored(200, "Cache-Control", "max-age=10, must-revalidate, stale-while-revalidate=20, "
        + "stale-if-error=60");
    assertEquals(State.STALE, Freshness.state(entry, T0 + 15_000, 0));
    assertFalse(Freshness.servesOnError(entry, T0 + 15_000, 0));
  }

  @Test
  void staleIfErrorServesWithinItsWindow() {
    CachedResponse entry = stored(200, "Cache-Control", "max-age=10, stale-if-error=60");
    assertTrue(Freshness.servesOnError(entry, T0 + 50_000, 0));
    assertFalse(Freshness.servesOnError(entry, T0 + 80_000, 0));
    assertFalse(Freshness.servesOnError(stored(200, "Cache-Control", "max-age=10"), T0 + 11_000, 0));
  }

  @Test
  void varyIsKeyedByEncodingAndComparedOnOtherFields() {
    assertFalse(CacheKeys.key("s", "site", "h", "/a", "gzip").equals(CacheKeys.key("s", "site", "h", "/a", "identity")));
    MultiMap response = headers("Vary", "Accept-Encoding, Accept-Language");
    String english = CacheKeys.selectedFields(response, headers("Accept-Language", "en", "Accept-Encoding", "gzip"));
    String german = CacheKeys.selectedFields(response, headers("Accept-Language", "de"));
    assertNotNull(english);
    assertFalse(english.equals(german));
    assertEquals(english, CacheKeys.selectedFields(response, headers("accept-language", "en", "Accept-Encoding", "br")));
  }

  @Test
  void manyDirectivesAndHugeNumbersAreBounded() {
    assertEquals(CacheControl.MAX_SECONDS,
        CacheControl.parse(java.util.List.of("max-age=99999999999999999999999")).maxAge());
    CacheControl cc = CacheControl.parse(java.util.List.of("max-age=60," + "x,".repeat(10_000) + "private"));
    assertTrue(cc.noStore(), "directives past the bound are not read, so the message is not stored: a private may hide there");
    assertEquals("no-store", notStorable("Cache-Control", "public, max-age=60," + "x,".repeat(100) + "private"));
  }
}
