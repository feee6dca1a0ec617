package dev.portico.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routes as a site's JSON gives them: inheritance, rewrites, answers, and refusals that name the field. */
class RouteParserTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String SITE = "{'targets': ['a:1'], 'readTimeoutMs': 5000, 'compression': false,"
      + " 'rateLimit': {'requests': 10, 'perSeconds': 60}, 'jwt': {'pathPrefixes': ['/api/'], 'keys': [{'alg': 'HS256', 'secret': '"
      + SECRET + "'}]}, 'routes': ";

  private static Site site(String routes) {
    return Site.fromJson((SITE + routes + "}").replace('\'', '"'));
  }

  @Test
  void aRouteInheritsEveryFieldItDoesNotNameAndNullSwitchesOneOff() {
    Site site = site("[{'prefix': '/api/', 'targets': ['b:2'], 'rateLimit': {'requests': 60, 'perSeconds': 60}},"
        + " {'prefix': '/public/', 'jwt': null, 'rateLimit': null, 'compression': null, 'readTimeoutMs': null}]");
    Site api = site.routes().get(0).site();
    assertEquals(List.of(new Target("b", 2)), api.targets());
    assertEquals(60, api.policies().rateLimit().requests());
    assertEquals(site.policies().jwt(), api.policies().jwt(), "inherited");
    assertEquals(5000, api.readTimeoutMs());
    assertEquals(false, api.policies().compression());
    Site open = site.routes().get(1).site();
    assertEquals(site.targets(), open.targets());
    assertNull(open.policies().jwt());
    assertNull(open.policies().rateLimit());
    assertEquals(true, open.policies().compression(), "null is the default");
    assertEquals(Site.DEFAULT_READ_TIMEOUT_MS, open.readTimeoutMs());
    assertEquals(List.of("/api/"), api.policies().jwt().pathPrefixes(), "pathPrefixes keep working inside routes");
  }

  @Test
  void aRouteMayCacheOnItsOwnOrSwitchTheSitesCacheOff() {
    Site site = Site.fromJson(("{'targets': ['a:1'], 'cache': {'defaultTtlSeconds': 5}, 'routes': ["
        + "{'prefix': '/static/', 'cache': {'defaultTtlSeconds': 600}}, {'prefix': '/live/', 'cache': null},"
        + " {'prefix': '/other/'}]}").replace('\'', '"'));
    assertEquals(600, site.routes().get(0).site().policies().cache().defaultTtlSeconds());
    assertNull(site.routes().get(1).site().policies().cache());
    assertEquals(site.policies().cache(), site.routes().get(2).site().policies().cache(), "inherited");
  }

  @Test
  void aSiteRoundTripsWithItsRoutesAsWritten() {
    Site site = site("[{'prefix': '/api/', 'stripPrefix': true, 'methods': ['GET'], 'header': {'name': 'X-Beta', 'value': '1'},"
        + " 'rateLimit': {'requests': 60, 'perSeconds': 60}}, {'exact': '/healthz', 'respond': {'status': 200, 'body': 'ok',"
        + " 'headers': {'Content-Type': 'text/plain'}}}, {'prefix': '/old/', 'redirect': {'status': 301,"
        + " 'location': 'https://new.example.com$path$query'}}, {'regex': '^/v[0-9]+/', 'jwt': null, 'addPrefix': '/v'}]");
    JsonArray routes = site.toJson().getJsonArray("routes");
    assertEquals(4, routes.size());
    JsonObject api = routes.getJsonObject(0);
    assertEquals(Map.of("prefix", "/api/", "stripPrefix", true, "methods", List.of("GET"),
        "header", Map.of("name", "X-Beta", "value", "1"), "rateLimit", Map.of("requests", 60, "perSeconds", 60, "by", "ip")),
        api.getMap().entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
            e -> e.getValue() instanceof JsonObject o ? o.getMap() : e.getValue() instanceof JsonArray a ? a.getList() : e.getValue())));
    assertTrue(routes.getJsonObject(3).containsKey("jwt") && routes.getJsonObject(3).getValue("jwt") == null);
    assertEquals(site, Site.fromJson(site.toJson().encode()));
  }

  @Test
  void rewritesAndRedirectsUseTheNormalisedPath() {
    Site site = site("[{'prefix': '/api/', 'stripPrefix': true, 'addPrefix': '/v2/'}, {'prefix': '/old', 'stripPrefix': true,"
        + " 'redirect': {'status': 301, 'location': 'https://new.example.com$path$query'}}, {'exact': '/x', 'addPrefix': '/in'}]");
    PathRoute api = site.routes().get(0);
    assertEquals("/v2/users", api.forwardedPath(RequestPath.parse("/api/users")));
    assertEquals("/v2/a/", api.forwardedPath(RequestPath.parse("/%61pi;v=1/./a/")));
    assertEquals("/api;v=1", api.strippedPrefix(RequestPath.parse("/%61pi;v=1/./a/")));
    PathRoute old = site.routes().get(1);
    assertEquals("/", old.forwardedPath(RequestPath.parse("/old")));
    RequestPath request = RequestPath.parse("/old/a/../b?q=1");
    assertEquals("https://new.example.com/b?q=1", old.redirect().location(old.forwardedPath(request), request.query()));
    assertEquals("https://new.example.com/", old.redirect().location("/", null));
    assertEquals("/in/x", site.routes().get(2).forwardedPath(RequestPath.parse("/x")));
    assertNull(site.routes().get(2).strippedPrefix(RequestPath.parse("/x")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[{'prefix': '/a', 'exact': '/a'}]                                | routes[0]",
      "[{'methods': ['GET']}]                                           | routes[0]",
      "[{'prefix': '/ok'}, {'prefix': 'api'}]                           | routes[1].prefix",
      "[{'prefix': '/a/../b'}]                                          | routes[0].prefix",
      "[{'prefix': '/a?x'}]                                             | routes[0].prefix",
      "[{'exact': '/a;x'}]                                              | routes[0].exact",
      "[{'prefix': '/a%2Fb'}]                                           | routes[0].prefix",
      "[{'regex': '(unclosed'}]                                         | routes[0].regex",
      "[{'regex': '(a{1000}){1000}'}]                                   | routes[0].regex",
      "[{'regex': '(?P<n>a)\\\\1'}]                                      | routes[0].regex",
      "[{'prefix': '/a', 'rateLimit': {'requests': 0, 'perSeconds': 1}}] | routes[0].rateLimit.requests",
      "[{'prefix': '/a', 'jwt': {'keys': []}}]                          | routes[0].jwt",
      "[{'prefix': '/a', 'ipAllow': ['nope']}]                          | routes[0].ipAllow",
      "[{'prefix': '/a', 'cache': {'maxObjectBytes': -1}}]              | routes[0].cache.maxObjectBytes",
      "[{'prefix': '/a', 'cache': {'ttl': 5}}]                          | routes[0].cache",
      "[{'prefix': '/a', 'cache': true}]                                | routes[0].cache",
      "[{'prefix': '/a', 'targets': []}]                                | routes[0].targets",
      "[{'prefix': '/a', 'readTimeoutMs': 0}]                           | routes[0].readTimeoutMs",
      "[{'exact': '/a', 'stripPrefix': true}]                           | routes[0].stripPrefix",
      "[{'prefix': '/a', 'addPrefix': '/b/../c'}]                       | routes[0].addPrefix",
      "[{'prefix': '/a', 'methods': []}]                                | routes[0].methods",
      "[{'prefix': '/a', 'methods': ['G ET']}]                          | routes[0].methods",
      "[{'prefix': '/a', 'header': {'name': 'X-A'}}]                    | routes[0].header",
      "[{'prefix': '/a', 'respond': {'status': 99}}]                    | routes[0].respond.status",
      "[{'prefix': '/a', 'respond': {'headers': {'Content-Length': '1'}}}] | routes[0].respond.headers",
      "[{'prefix': '/a', 'respond': {}, 'targets': ['b:1']}]            | routes[0].respond",
      "[{'prefix': '/a', 'redirect': {'status': 200, 'location': '/b'}}] | routes[0].redirect.status",
      "[{'prefix': '/a', 'redirect': {'location': '/b$host'}}]          | routes[0].redirect.location",
      "[{'prefix': '/a', 'redirect': {'location': '/b\\r\\nX: y'}}]      | routes[0].redirect.location",
      "[{'prefix': '/a'}, {'prefix': '/a', 'targets': ['b:1']}]         | routes[1]",
      "[{'prefix': '/a', 'methods': ['GET', 'POST']}, {'prefix': '/a', 'methods': ['GET']}] | routes[1]",
      "[{'regex': 'x'}, {'regex': 'x', 'header': {'name': 'A', 'value': 'b'}}] | routes[1]",
      "[{'prefix': '/api/'}, {'prefix': '/API/'}]                       | routes[1].prefix",
      "[{'exact': '/a.'}, {'exact': '/a'}]                              | routes[1].exact",
      "{'prefix': '/a'}                                                 | routes",
      "[1]                                                              | routes[0]",
  })
  void anInvalidRouteIsRefusedNamingTheField(String routes, String field) {
    InvalidSiteException e = assertThrows(InvalidSiteException.class, () -> site(routes));
    assertEquals(field, e.field(), e.getMessage());
  }

  @Test
  void routesThatOnlyLookAlikeAreAllowed() {
    site("[{'prefix': '/a', 'methods': ['GET']}, {'prefix': '/a', 'methods': ['POST']}, {'prefix': '/a/'}, {'exact': '/a'},"
        + " {'prefix': '/a', 'header': {'name': 'X', 'value': '1'}}, {'prefix': '/a'}]");
  }

  @Test
  void capsOnRoutesAndRegexRoutes() {
    StringBuilder routes = new StringBuilder("[");
    for (int i = 0; i < SiteLimits.MAX_ROUTES; i++) {
      routes.append(i == 0 ? "" : ",").append("{'prefix': '/p").append(i).append("/', 'targets': ['b:1']}");
    }
    Site atCap = site(routes + "]");
    assertEquals(SiteLimits.MAX_ROUTES, atCap.routes().size());
    assertEquals("499 prefix /p499/", SiteRoutesTest.pick(atCap, "/p499/x"));
    assertTrue(atCap.toJson().encode().length() < SiteLimits.MAX_JSON_CHARS);
    assertEquals("routes", assertThrows(InvalidSiteException.class, () -> site(routes + ",{'prefix': '/x'}]")).field());
    StringBuilder regexes = new StringBuilder("[");
    for (int i = 0; i <= SiteLimits.MAX_REGEX_ROUTES; i++) {
      regexes.append(i == 0 ? "" : ",").append("{'regex': '^/r").append(i).append("/'}");
    }
    assertEquals("routes[" + SiteLimits.MAX_REGEX_ROUTES + "].regex",
        assertThrows(InvalidSiteException.class, () -> site(regexes + "]")).field());
  }

  @Test
  void anAnchoredLiteralIsWhatEveryMatchStartsWith() {
    assertEquals("/files/", RegexShape.anchoredLiteral("^/files/[a-z]+"));
    assertEquals("/v", RegexShape.anchoredLiteral("^/v[0-9]+/"));
    assertEquals("/a.", RegexShape.anchoredLiteral("^/a\\.b?"));
    assertEquals("/ab", RegexShape.anchoredLiteral("^/abc*"));
    assertEquals("", RegexShape.anchoredLiteral("^/a|/b"));
    assertEquals("", RegexShape.anchoredLiteral("/files/"));
    assertEquals("", RegexShape.anchoredLiteral("^(?i)/files"));
    assertEquals("/", RegexShape.anchoredLiteral("^/\\d"));
  }

  @Test
  void regexSizeCountsEveryRepetition() {
    assertEquals(16, RegexShape.repeatProduct("[0-9]{4}-[0-9]{2}-[0-9]{2}"));
    assertEquals(1, RegexShape.repeatProduct("\\{1000} {x} {,5}"));
    assertEquals(10_000, RegexShape.repeatProduct("(a{10,100}){100,}"));
  }
}
