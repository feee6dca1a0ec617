package dev.portico.edge.sso;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the edge takes from a visitor around a sign-in: the return path, its own cookies, state ids. */
class SsoPathsTest {

  @ParameterizedTest
  @ValueSource(strings = {"//evil.test/", "/\\evil.test", "https://evil.test/", "evil.test", "", "/a b", "/a\r\nSet-Cookie:x",
      "/\u00e9", "\\\\evil.test"})
  void aReturnPathOffTheSiteBecomesTheSiteRoot(String path) {
    assertEquals("/", SsoPaths.sameHostPath(path));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/deep/page?q=1&r=%2F%2Fx", "/a/b/"})
  void aPathOnTheSiteIsKept(String path) {
    assertEquals(path, SsoPaths.sameHostPath(path));
  }

  @Test
  void anOversizedReturnPathBecomesTheSiteRoot() {
    assertEquals("/", SsoPaths.sameHostPath("/" + "a".repeat(SsoPaths.MAX_RETURN_CHARS)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "portico_sso=abc | none",
      "theme=dark; portico_sso=abc | theme=dark",
      "portico_sso_state=s; a=1;portico_sso=x; b=2 | a=1; b=2",
      "portico_ssox=1 | portico_ssox=1"})
  void theBackendNeverGetsTheEdgesCookies(String field, String kept) {
    assertEquals(kept, SsoPaths.withoutOwnCookies(field));
  }

  @Test
  void theSessionCookieIsFoundAmongOthersAndInQuotes() {
    MultiMap headers = HttpHeaders.headers().add("Cookie", "a=1; portico_sso=\"v\"").add("Cookie", "b=2");
    assertEquals("v", SsoPaths.cookie(headers, SsoPaths.SESSION_COOKIE));
    assertNull(SsoPaths.cookie(headers, SsoPaths.STATE_COOKIE));
  }

  @Test
  void onlyRandomIdsReachRedis() {
    assertTrue(SsoStore.isRandomId(SsoStore.randomId()));
    assertFalse(SsoStore.isRandomId("A".repeat(42)));
    assertFalse(SsoStore.isRandomId("A".repeat(42) + "*"));
    assertFalse(SsoStore.isRandomId("A".repeat(44)));
    assertFalse(SsoStore.isRandomId(null));
  }

  @Test
  void onlyABrowsersNavigationIsRedirected() {
    MultiMap html = HttpHeaders.headers().add("Accept", "text/html,application/xhtml+xml");
    assertTrue(SsoPaths.isBrowserNavigation("GET", html));
    assertFalse(SsoPaths.isBrowserNavigation("POST", html));
    assertFalse(SsoPaths.isBrowserNavigation("GET", HttpHeaders.headers().add("Accept", "application/json")));
  }
}
