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
  void tlsSitesRedirectToHttpsUnlessTheySayNot() {
    assertEquals(true, Site.fromJson("{\"targets\":[\"a:1\"],\"tls\":\"auto\"}").redirectHttps());
    assertEquals(false,
        Site.fromJson("{\"targets\":[\"a:1\"],\"tls\":\"manual\",\"redirectHttps\":false}").redirectHttps());
  }

  @Test
  void roundTripsThroughJson() {
    Site site = Site.fromJson("{\"targets\":[\"a:1\"],\"connectTimeoutMs\":5,\"readTimeoutMs\":7,\"tls\":\"auto\",\"owner\":\"al\",\"future\":true}");
    assertEquals(site, Site.fromJson(site.toJson()));
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
  })
  void rejectsInvalidSitesNamingTheField(String json, String field) {
    InvalidSiteException e = assertThrows(InvalidSiteException.class, () -> Site.fromJson(json));
    assertEquals(field, e.field());
  }
}
