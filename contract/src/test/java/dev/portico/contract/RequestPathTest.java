package dev.portico.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestPathTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiterString = " | ", quoteCharacter = '\u00a7', value = {
      // dot-segments, RFC 3986 5.2.4 and its examples
      "/a/b/c/./../../g | /a/g",
      "/./api/x | /api/x",
      "/z/../api/x | /api/x",
      "/a/. | /a/",
      "/a/.. | /",
      "/a/b/.. | /a/",
      "/a/./b/../../c/ | /c/",
      "/%2e/api | /api",
      "/z/%2E%2e/api | /api",
      "/z/.%2e/api | /api",
      // empty segments
      "//api/x | /api/x",
      "/api//x// | /api/x/",
      "/// | /",
      "/ | /",
      // unreserved characters decoded, other escapes in upper case
      "/%61pi/x | /api/x",
      "/%41%5a%30%2D%2e%5F%7e | /AZ0-._~",
      "/a%3bb%3Ac%40 | /a%3Bb%3Ac%40",
      "/a%25b | /a%25b",
      "/%252f | /%252f",
      "/%25%32%66 | /%252f",
      "/a+b!$&'()*,;=:@ | /a+b!$&'()*,;=:@",
      // UTF-8, raw bytes (as the edge's HTTP parser hands them over: ISO-8859-1) and escaped
      "/caf%c3%a9 | /caf%C3%A9",
      "/cafÃ© | /caf%C3%A9",
      "/%F0%9F%98%80 | /%F0%9F%98%80",
      "/%E2%82%AC | /%E2%82%AC",
      // characters a path may not hold raw, encoded
      "/a|b | /a%7Cb",
      "/a\"<>^`{}[] | /a%22%3C%3E%5E%60%7B%7D%5B%5D",
      // path parameters and trailing dots stay in the path (only the match form drops them)
      "/api;/x | /api;/x",
      "/api;jsessionid=1/x | /api;jsessionid=1/x",
      "/api./x | /api./x",
      "/a.b/x. | /a.b/x.",
      // the query is not touched
      "/a/../b?x=/../%2e%2E&y=%zz | /b?x=/../%2e%2E&y=%zz",
      "/?a | /?a",
      "/a?b?c | /a?b?c",
      "/a? | /a?",
      "/a?qÃ© | /a?q%C3%A9",
  })
  void normalises(String target, String expected) {
    assertEquals(expected, RequestPath.parse(target).target());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "/..", "/../api", "/a/../..", "/%2e%2e", "/a/%2E%2E/%2e%2e/b",   // above the root
      "/api%2fx", "/api%2Fx", "/z%2f..%2fapi", "/a%5cb", "/a%5Cb", "/a\\b",  // encoded or raw separators
      "/a%00", "/a%0d%0a", "/a%7F", "/a\u0000b", "/a\rb", "/a\nb", "/a\tb", "/a\u007fb",  // controls
      "/a b", "/a#b",
      "/a%", "/a%2", "/a%zz", "/a%g0", "/a%%41", "/%-1",  // malformed escapes
      "/%c0%af", "/%C0%AE%C0%AE/", "/%e0%80%af", "/%ed%a0%80", "/%f5%80%80%80", "/%c3", "/%c3/", "/%c3a",
      "/%80", "/caf\u00e9", "/%f0%9f%98",  // not UTF-8 (overlong, surrogate, truncated, Latin-1)
      "/\u0100", "/a?\u0100",  // not bytes
      "/z/..;/api", "/z/.;x/api", "/..;/", "/z/.../api", "/z/..%20/api", "/z/%20./api", "/z/..%3Bx/api",  // dot-like
      "/a?b c", "/a?b\r\n", "/a?b#c", "/a?\u0000",  // the query: controls, space, #
      "api", "", "?", "http://host/",  // not origin-form
  })
  void refuses(String target) {
    assertThrows(RequestPath.InvalidPathException.class, () -> RequestPath.parse(target));
  }

  @Test
  void asteriskStaysAndMatchesNoPrefix() {
    RequestPath asterisk = RequestPath.parse("*");
    assertSame(RequestPath.ASTERISK, asterisk);
    assertEquals("*", asterisk.target());
    assertFalse(asterisk.startsWith(RequestPath.prefixForm("/")));
  }

  @Test
  void queryIsKeptApartFromThePath() {
    RequestPath parsed = RequestPath.parse("/a/./b?x=1");
    assertEquals("/a/b", parsed.path());
    assertEquals("x=1", parsed.query());
    assertNull(RequestPath.parse("/a").query());
  }

  @ParameterizedTest(name = "{0} covered by /api/")
  @ValueSource(strings = {"/api/x", "//api/x", "/%61pi/x", "/API/x", "/Api/x", "/api;/x", "/api;v=1/x", "/api%3B/x",
      "/api%3bjsessionid=x/y", "/;x/api/x", "/./api/x", "/z/../api/x", "/api./x", "/api%2e/x", "/api%20/x",
      "/api.%20./x", "/api/", "/API/", "/api;x/", "/%41%50%49/"})
  void everySpellingOfAGuardedPathIsCovered(String target) {
    assertTrue(RequestPath.parse(target).startsWith(RequestPath.prefixForm("/api/")), target);
  }

  @ParameterizedTest(name = "{0} not covered by /api/")
  @ValueSource(strings = {"/api", "/apix/y", "/ap/i/x", "/public", "/api%25/x", "/x/api/", "/", "/api;/../x",
      "/ap%69x/"})
  void otherPathsAreNot(String target) {
    assertFalse(RequestPath.parse(target).startsWith(RequestPath.prefixForm("/api/")), target);
  }

  @Test
  void prefixesAreComparedInTheirMatchForm() {
    assertEquals("/api/", RequestPath.prefixForm("/API/"));
    assertEquals("/api/", RequestPath.prefixForm("/api;x/"));
    assertEquals("/api/", RequestPath.prefixForm("/%61pi/./"));
    assertEquals("/v1", RequestPath.prefixForm("/v1."));
    assertEquals("/", RequestPath.prefixForm("/"));
    for (String bad : List.of("/a?b", "/a%2fb", "/..", "*", "api/")) {
      assertThrows(RequestPath.InvalidPathException.class, () -> RequestPath.prefixForm(bad), bad);
    }
  }

  @Test
  void jwtPolicyPrefixesAreNormalisedAndInvalidOnesRefused() {
    JwtPolicy jwt = new JwtPolicy(List.of("/API/", "/api/", "/v2"), List.of(), "https://idp/jwks", null,
        null, java.util.Map.of());
    assertEquals(List.of("/api/", "/v2"), jwt.pathPrefixes());
    assertTrue(jwt.covers(RequestPath.parse("/Api;x/orders")));
    assertTrue(jwt.covers(RequestPath.parse("/V2.json")));
    assertFalse(jwt.covers(RequestPath.parse("/public")));
    InvalidSiteException refused = assertThrows(InvalidSiteException.class, () -> Site.fromJson(
        "{\"targets\":[\"127.0.0.1:1\"],\"jwt\":{\"jwksUrl\":\"https://idp/jwks\",\"pathPrefixes\":[\"/a%2fb/\"]}}"));
    assertTrue(refused.getMessage().contains("encoded /"), refused.getMessage());
  }

  /**
   * Work is linear: 256 Ki characters of the costliest shapes parse in milliseconds each (the
   * bound is generous for a loaded machine; a quadratic walk would take minutes).
   */
  @Test
  void longPathsCostLinearTime() {
    int n = 1 << 18;
    List<String> targets = List.of("/" + "a/".repeat(n / 2), "/" + "a/../".repeat(n / 5) + "x",
        "/" + "/".repeat(n), "/" + "%61".repeat(n / 3), "/" + "a;b".repeat(n / 3), "/" + ".".repeat(n - 2) + "x",
        "/" + "%C3%A9".repeat(n / 6), "/" + "a/".repeat(n / 4) + "../".repeat(n / 4), "/a?" + "Ã".repeat(n));
    assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
      for (String target : targets) {
        long start = System.nanoTime();
        try {
          RequestPath.parse(target);
        } catch (RequestPath.InvalidPathException e) {
          // refused is fine: only the time counts here
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 5_000, target.substring(0, 20) + "… took " + ms + " ms");
      }
    });
  }
}
