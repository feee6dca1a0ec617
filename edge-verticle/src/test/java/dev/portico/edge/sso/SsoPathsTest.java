package dev.portico.edge.sso;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

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
      "portico_ssox=1 | portico_ssox=1",
      "__Host-portico_sso=x; __Host-portico_sso_state=y; c=3 | c=3"})
  void theBackendNeverGetsTheEdgesCookies(String field, String kept) {
    assertEquals(kept, SsoPaths.withoutOwnCookies(field));
  }

  @Test
  void theSessionCookieIsFoundAmongOthersAndInQuotes() {
    MultiMap headers = HttpHeaders.headers().add("Cookie", "a=1; portico_sso=\"v\"").add("Cookie", "b=2");
    assertEquals(List.of("v"), SsoPaths.cookies(headers, SsoPaths.SESSION_COOKIE));
    assertEquals(List.of(), SsoPaths.cookies(headers, SsoPaths.STATE_COOKIE));
  }

  @Test
  void everyValueOfACookieNameIsKeptInOrderUpToABound() {
    MultiMap headers = HttpHeaders.headers().add("Cookie", "__Host-portico_sso=tossed; portico_sso=plain")
        .add("Cookie", "__Host-portico_sso=mine");
    assertEquals(List.of("tossed", "mine"), SsoPaths.cookies(headers, SsoPaths.sessionCookie(true)));
    assertEquals(List.of("plain"), SsoPaths.cookies(headers, SsoPaths.sessionCookie(false)));
    MultiMap many = HttpHeaders.headers().add("Cookie", "portico_sso=x; ".repeat(50));
    assertEquals(SsoPaths.MAX_COOKIE_VALUES, SsoPaths.cookies(many, SsoPaths.SESSION_COOKIE).size());
  }

  @Test
  void overHttpsTheCookiesAreHostPrefixedAndSecure() {
    assertEquals("__Host-portico_sso", SsoPaths.sessionCookie(true));
    assertEquals("__Host-portico_sso_state", SsoPaths.stateCookie(true));
    assertEquals("portico_sso", SsoPaths.sessionCookie(false));
    assertEquals("portico_sso_state", SsoPaths.stateCookie(false));
    String set = SsoPaths.setCookie(SsoPaths.sessionCookie(true), "v", "/", 60, true);
    // __Host-: Secure, Path=/, no Domain, or a browser refuses it
    assertTrue(set.contains("; Secure") && set.contains("; Path=/;") && !set.toLowerCase().contains("domain"), set);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "portico_sso=x; Path=/ | true", "__Host-portico_sso=x; Path=/; Secure | true", "PORTICO_SSO_STATE=y | true",
      " __host-portico_sso_state =y | true", "portico_ssox=1 | false", "theme=dark; Path=/ | false", "x | false"})
  void aBackendsSetCookieOfTheEdgesCookiesIsRecognised(String setCookie, boolean own) {
    assertEquals(own, SsoPaths.setsOwnCookie(setCookie));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "none | none | true", "same-origin | none | true", "same-site | none | false", "cross-site | none | false",
      "none | https://app.example.test | true", "none | https://app.example.test:443 | true",
      "none | http://app.example.test | false", "none | https://evil.example.test | false", "none | null | false",
      "same-origin | https://evil.example.test | false", "none | https://app.example.test.evil | false"})
  void signingOutIsOnlyFromTheSiteItself(String fetchSite, String origin, boolean allowed) {
    MultiMap headers = HttpHeaders.headers();
    if (fetchSite != null) {
      headers.add("Sec-Fetch-Site", fetchSite);
    }
    if (origin != null) {
      headers.add("Origin", origin);
    }
    assertEquals(allowed, SsoPaths.sameOrigin(headers, true, "app.example.test"));
    assertEquals(allowed, SsoPaths.sameOrigin(headers, true, "app.example.test:443"));
  }

  @Test
  void anOriginWithAnotherPortIsAnotherOrigin() {
    MultiMap headers = HttpHeaders.headers().add("Origin", "http://app.example.test:8080");
    assertTrue(SsoPaths.sameOrigin(headers, false, "app.example.test:8080"));
    assertFalse(SsoPaths.sameOrigin(headers, false, "app.example.test"));
    assertFalse(SsoPaths.sameOrigin(headers, true, "app.example.test:8080"));
  }

  @Test
  void theSignOutPageIsAFormPostingToTheLogoutPathUnderAStrictPolicy() {
    var page = SsoPages.signOutPage("<b>app</b>.example.test");
    String html = page.body().toString();
    assertTrue(html.contains("<form method=\"post\" action=\"/.portico/auth/logout\">"), html);
    assertTrue(html.contains("&lt;b&gt;app&lt;/b&gt;") && !html.contains("<b>") && !html.contains("<script"), html);
    assertEquals("default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        page.headers().get("Content-Security-Policy"));
  }

  @Test
  void aSignInWithAllowListsLetsOnlyThoseListedThrough() {
    JsonObject login = new JsonObject().put("provider", "corp").put("allowUsers", new JsonArray().add("alice"))
        .put("allowGroups", new JsonArray().add("web-team"));
    JsonObject claims = new JsonObject().put("sub", "1");
    assertTrue(SignIn.allowed(login, new Identity("Alice", null, List.of(), claims)));
    assertTrue(SignIn.allowed(login, new Identity("bob", null, List.of("Web-Team"), claims)));
    assertFalse(SignIn.allowed(login, new Identity("bob", null, List.of("others"), claims)));
    assertTrue(SignIn.allowed(new JsonObject().put("provider", "corp"), new Identity("bob", null, List.of(), claims)));
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
