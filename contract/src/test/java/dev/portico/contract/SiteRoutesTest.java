package dev.portico.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which route a request gets: the priority table, segment-aware prefixes, methods and headers, spellings. */
class SiteRoutesTest {

  static Site site(String routes) {
    return Site.fromJson("{\"targets\":[\"a:1\"],\"routes\":" + routes.replace('\'', '"') + "}");
  }

  /** The chosen route as {@code kind path}, or {@code site}, {@code ambiguous}, {@code too long}. */
  static String pick(Site site, String target, String method, Map<String, String> headers) {
    int chosen = site.routes().choose(RequestPath.parse(target), method, headers::get);
    return switch (chosen) {
      case SiteRoutes.SITE -> "site";
      case SiteRoutes.AMBIGUOUS -> "ambiguous";
      case SiteRoutes.TOO_LONG -> "too long";
      default -> chosen + " " + site.routes().get(chosen).kind().field() + " " + site.routes().get(chosen).path();
    };
  }

  static String pick(Site site, String target) {
    return pick(site, target, "GET", Map.of());
  }

  private static final Site TABLE = site("[{'regex': '^/api/v[0-9]+/'}, {'prefix': '/api'}, {'prefix': '/api/v1/'},"
      + " {'exact': '/api/v1/status'}, {'regex': 'status$'}, {'prefix': '/'}, {'exact': '/api'}]");

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/api/v1/status      | 3 exact /api/v1/status",   // exact beats every prefix and regex
      "/api/v1/users       | 2 prefix /api/v1/",        // the longest prefix beats a shorter one and a regex listed first
      "/api/v2/users       | 1 prefix /api",            // a prefix beats a regex, whatever the listed order
      "/api                | 6 exact /api",
      "/api/               | 1 prefix /api",            // /api matches /api/ ...
      "/apix               | 5 prefix /",               // ... but not /apix
      "/other/status       | 5 prefix /",
      "/api/v1             | 1 prefix /api",            // /api/v1/ needs its slash
      "/api/v1/            | 2 prefix /api/v1/",
      "/                   | 5 prefix /",
  })
  void priorityTable(String target, String expected) {
    assertEquals(expected, pick(TABLE, target));
  }

  @Test
  void regexesComeInListedOrderAfterExactAndPrefixes() {
    Site site = site("[{'regex': '^/v[0-9]+/'}, {'regex': '/v1/'}, {'prefix': '/static/'}]");
    assertEquals("0 regex ^/v[0-9]+/", pick(site, "/v1/x"));
    assertEquals("1 regex /v1/", pick(site, "/x/v1/y"));
    assertEquals("2 prefix /static/", pick(site, "/static/v1/y"));
    assertEquals("site", pick(site, "/x"));
  }

  @Test
  void aMethodOrHeaderThatDoesNotFitPassesToTheNextCandidate() {
    Site site = site("[{'exact': '/login', 'methods': ['POST']}, {'prefix': '/login', 'header': {'name': 'X-Beta', 'value': '1'}},"
        + " {'regex': '^/log', 'methods': ['GET', 'HEAD']}, {'prefix': '/', 'methods': ['DELETE']}]");
    assertEquals("0 exact /login", pick(site, "/login", "POST", Map.of()));
    assertEquals("1 prefix /login", pick(site, "/login", "GET", Map.of("X-Beta", "1")));
    assertEquals("2 regex ^/log", pick(site, "/login", "GET", Map.of("X-Beta", "2")));
    assertEquals("site", pick(site, "/login", "PUT", Map.of()));
    assertEquals("3 prefix /", pick(site, "/login", "DELETE", Map.of()));
    assertEquals("site", pick(site, "/login", "get", Map.of()), "methods are case-sensitive");
  }

  @Test
  void theSameRouteTakesEverySpellingOfItsPath() {
    Site site = site("[{'prefix': '/api/', 'targets': ['b:1']}, {'prefix': '/admin'}]");
    for (String spelling : new String[] {"/api/x", "/%61pi/x", "//api//x", "/x/../api/x", "/./api/x", "/api;jsessionid=1/x",
        "/api/x;y", "/;p/api/x"}) {
      assertEquals("0 prefix /api/", pick(site, spelling), spelling);
    }
    assertEquals("1 prefix /admin", pick(site, "/api/../admin"));
    assertEquals("1 prefix /admin", pick(site, "/api/%2E%2E/admin"));
    assertEquals("1 prefix /admin", pick(site, "/%61dmin/x"));
  }

  @Test
  void aSpellingThatALenientBackendReadsAsAnotherRoutesPathIsAmbiguous() {
    Site site = site("[{'prefix': '/admin/', 'basicAuth': null}, {'exact': '/healthz', 'respond': {'body': 'ok'}}]");
    assertEquals("ambiguous", pick(site, "/ADMIN/x"), "case-insensitive backends serve it as /admin/x");
    assertEquals("ambiguous", pick(site, "/admin./x"), "Windows drops trailing dots");
    assertEquals("ambiguous", pick(site, "/admin%20/x"));
    assertEquals("ambiguous", pick(site, "/admin%3Bx/y"));
    assertEquals("ambiguous", pick(site, "/HEALTHZ"));
    assertEquals("site", pick(site, "/Other/X"), "case matters only where it would change the route");
    assertEquals("site", pick(site, "/app.js"));
    assertEquals("0 prefix /admin/", pick(site, "/admin/Readme.TXT"));
  }

  @Test
  void regexesSeeTheStrictFormAndLongPathsStopBeforeThem() {
    Site site = site("[{'regex': '^/files/[^/]+\\\\.pdf$'}, {'prefix': '/short/'}]");
    assertEquals("0 regex ^/files/[^/]+\\.pdf$", pick(site, "/files/a;v=2/../b.pdf;x"));
    assertEquals("site", pick(site, "/files/b.pdf/x"));
    String longPath = "/x" + "/abcdefgh".repeat(200);
    assertEquals("too long", pick(site, longPath));
    assertEquals("1 prefix /short/", pick(site, "/short" + longPath), "a path a prefix takes never reaches the regexes");
    assertEquals("site", pick(site("[{'prefix': '/short/'}]"), longPath), "no regexes: no bound");
  }

  @Test
  void optionsAsteriskIsServedByAPrefixRouteOnTheRootElseTheSite() {
    assertEquals(SiteRoutes.SITE, site("[{'prefix': '/api/'}]").routes().choose(RequestPath.ASTERISK, "OPTIONS", h -> null));
    assertEquals(1, site("[{'prefix': '/api/'}, {'prefix': '/'}]").routes().choose(RequestPath.ASTERISK, "OPTIONS", h -> null));
  }

  @Test
  void aSiteWithoutRoutesChoosesTheSite() {
    Site site = Site.fromJson("{\"targets\":[\"a:1\"]}");
    assertEquals(SiteRoutes.NONE, site.routes());
    assertEquals(SiteRoutes.SITE, site.routes().choose(RequestPath.parse("/x"), "GET", h -> null));
  }
}
