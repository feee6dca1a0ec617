package dev.portico.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SiteTest {

  @Test
  void parsesTheMinimalSiteWithDefaults() {
    Site site = Site.fromJson("{\"targets\":[\"10.0.0.5:8080\", \"[::1]:81\", \"Backend.Local:9000\"]}");
    assertEquals(List.of(new Target("10.0.0.5", 8080), new Target("::1", 81), new Target("backend.local", 9000)),
        site.targets());
    assertEquals(Site.DEFAULT_CONNECT_TIMEOUT_MS, site.connectTimeoutMs());
    assertEquals(Site.DEFAULT_READ_TIMEOUT_MS, site.readTimeoutMs());
    assertEquals("[::1]:81", site.targets().get(1).toString());
    assertEquals(Site.TlsMode.OFF, site.tls());
    assertEquals(false, site.redirectHttps());
  }

  @Test
  void policiesRoundTripAndCidrsMatch() {
    Site site = Site.fromJson("{\"targets\":[\"a:1\"],\"compression\":false,\"ipAllow\":[\"10.0.0.0/8\",\"2001:db8::/32\"],"
        + "\"rateLimit\":{\"requests\":5,\"perSeconds\":60,\"by\":\"header:X-Key\"},\"retries\":1,"
        + "\"loadBalancing\":\"least-pending\",\"hsts\":{\"maxAge\":60,\"includeSubDomains\":true}}");
    assertEquals(site, Site.fromJson(site.toJson()));
    assertEquals("max-age=60; includeSubDomains", site.policies().hsts().value());
    assertEquals("x-key", site.policies().rateLimit().header());
    Cidr ten = site.policies().ipAllow().get(0);
    assertEquals(true, ten.contains(new byte[] {10, 1, 2, 3}));
    assertEquals(false, ten.contains(new byte[] {11, 1, 2, 3}));
    assertEquals(true, Cidr.parse("192.168.1.0/23").contains(new byte[] {(byte) 192, (byte) 168, 0, 9}));
    assertEquals(false, Cidr.parse("192.168.1.0/24").contains(new byte[] {(byte) 192, (byte) 168, 0, 9}));
    assertEquals(true, Site.fromJson("{\"targets\":[\"a:1\"]}").policies().isDefault());
  }

  @Test
  void optionsAsteriskIsCoveredByAJwtPolicyOverTheWholeSiteOnly() {
    String keys = "\"keys\":[{\"alg\":\"HS256\",\"secret\":\"0123456789abcdef0123456789abcdef\"}]";
    JwtPolicy whole = Site.fromJson("{\"targets\":[\"a:1\"],\"jwt\":{" + keys + "}}").policies().jwt();
    JwtPolicy api = Site.fromJson("{\"targets\":[\"a:1\"],\"jwt\":{" + keys + ",\"pathPrefixes\":[\"/api/\"]}}")
        .policies().jwt();
    assertEquals(true, whole.covers(RequestPath.parse("*")));
    assertEquals(false, api.covers(RequestPath.parse("*")));
  }

  @Test
  void tlsSitesRedirectToHttpsUnlessTheySayNot() {
    assertEquals(true, Site.fromJson("{\"targets\":[\"a:1\"],\"tls\":\"auto\"}").redirectHttps());
    assertEquals(false,
        Site.fromJson("{\"targets\":[\"a:1\"],\"tls\":\"manual\",\"redirectHttps\":false}").redirectHttps());
  }

  @Test
  void roundTripsThroughJson() {
    Site site = Site.fromJson("{\"targets\":[\"a:1\"],\"connectTimeoutMs\":5,\"readTimeoutMs\":7,\"tls\":\"auto\",\"owner\":\"al\",\"future\":true,\"includeApex\":true,\"maxBodyBytes\":1024}");
    assertEquals(site, Site.fromJson(site.toJson()));
    assertEquals(true, site.includeApex());
    assertEquals(1024L, site.maxBodyBytes());
    assertEquals(null, Site.fromJson("{\"targets\":[\"a:1\"]}").maxBodyBytes());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not json | ",
      "[1,2] | ",
      "{} | targets",
      "{\"targets\":[]} | targets",
      "{\"targets\":\"a:1\"} | targets",
      "{\"targets\":[\"a\"]} | targets",
      "{\"targets\":[\"a:0\"]} | targets",
      "{\"targets\":[\"a:65536\"]} | targets",
      "{\"targets\":[\"a b:80\"]} | targets",
      "{\"targets\":[\"a:80\"],\"readTimeoutMs\":0} | readTimeoutMs",
      "{\"targets\":[\"a:80\"],\"connectTimeoutMs\":\"10s\"} | connectTimeoutMs",
      "{\"targets\":[\"a:80\"],\"tls\":\"on\"} | tls",
      "{\"targets\":[\"a:80\"],\"redirectHttps\":\"yes\"} | redirectHttps",
      "{\"targets\":[\"a:80\"],\"owner\":7} | owner",
      "{\"targets\":[\"a:80\"],\"includeApex\":1} | includeApex",
      "{\"targets\":[\"a:80\"],\"maxBodyBytes\":-1} | maxBodyBytes",
      "{\"targets\":[\"a:80\"],\"maxBodyBytes\":1099511627777} | maxBodyBytes",
      "{\"targets\":[\"a:80\"],\"maxBodyBytes\":\"1m\"} | maxBodyBytes",
      "{\"targets\":[\"a:80\"],\"maxBodyBytes\":1.5} | maxBodyBytes",
      "{\"targets\":[\"a:80\"],\"ipAllow\":[\"10.0.0.0/33\"]} | ipAllow",
      "{\"targets\":[\"a:80\"],\"ipDeny\":[\"example.com\"]} | ipDeny",
      "{\"targets\":[\"a:80\"],\"rateLimit\":{\"requests\":5}} | rateLimit",
      "{\"targets\":[\"a:80\"],\"rateLimit\":{\"requests\":5,\"perSeconds\":1,\"by\":\"cookie\"}} | rateLimit.by",
      "{\"targets\":[\"a:80\"],\"responseHeaders\":{\"set\":{\"X-A\":\"1\\r\\nSet-Cookie: x\"}}} | responseHeaders.set",
      "{\"targets\":[\"a:80\"],\"basicAuth\":{\"users\":{\"ann\":\"plain text\"}}} | basicAuth.users",
      "{\"targets\":[\"a:80\"],\"retries\":9} | retries",
      "{\"targets\":[\"a:80\"],\"loadBalancing\":\"random\"} | loadBalancing",
      "{\"targets\":[\"a:80\"],\"jwt\":{\"jwksUrl\":\"ftp://idp/keys\"}} | jwt.jwksUrl",
      "{\"targets\":[\"a:80\"],\"jwt\":{\"jwksUrl\":\"http:///keys\"}} | jwt.jwksUrl",
      "{\"targets\":[\"a:80\"],\"jwt\":{\"jwksUrl\":\"http://idp/keys\\r\\nX: y\"}} | jwt.jwksUrl",
      "{\"targets\":[\"a:80\"],\"jwt\":{\"jwksUrl\":\"http://user:pw@idp/keys\"}} | jwt.jwksUrl",
      // found by SiteJsonFuzzTest: a NullPointerException and a ClassCastException before
      "{\"targets\":[\"a:80\"],\"jwt\":{\"keys\":[{\"secret\":\"0123456789abcdef0123456789abcdef\"}]}} | jwt.keys",
      "{\"targets\":[\"a:80\"],\"jwt\":{\"keys\":[{\"alg\":256}]}} | jwt.keys",
  })
  void rejectsInvalidSitesNamingTheField(String json, String field) {
    InvalidSiteException e = assertThrows(InvalidSiteException.class, () -> Site.fromJson(json));
    assertEquals(field, e.field());
  }

  @Test
  void boundsWhatASiteMayHold() {
    String target = "\"a:80\",";
    String tooManyTargets = "{\"targets\":[" + target.repeat(SiteLimits.MAX_TARGETS) + "\"a:81\"]}";
    assertEquals("targets", assertThrows(InvalidSiteException.class, () -> Site.fromJson(tooManyTargets)).field());
    String ranges = "{\"targets\":[\"a:80\"],\"ipDeny\":[" + "\"10.0.0.1\",".repeat(SiteLimits.MAX_ADDRESS_RANGES)
        + "\"10.0.0.2\"]}";
    assertEquals("ipDeny", assertThrows(InvalidSiteException.class, () -> Site.fromJson(ranges)).field());
    String longIssuer = "{\"targets\":[\"a:80\"],\"jwt\":{\"jwksUrl\":\"https://idp/\",\"issuer\":\""
        + "i".repeat(SiteLimits.MAX_TEXT_CHARS + 1) + "\"}}";
    assertEquals("jwt.issuer", assertThrows(InvalidSiteException.class, () -> Site.fromJson(longIssuer)).field());
    String huge = "{\"targets\":[\"a:80\"],\"future\":\"" + "x".repeat(SiteLimits.MAX_JSON_CHARS) + "\"}";
    assertEquals(null, assertThrows(InvalidSiteException.class, () -> Site.fromJson(huge)).field());
    assertEquals(SiteLimits.MAX_TARGETS,
        Site.fromJson("{\"targets\":[" + target.repeat(SiteLimits.MAX_TARGETS - 1) + "\"a:81\"]}").targets().size());
  }
}
