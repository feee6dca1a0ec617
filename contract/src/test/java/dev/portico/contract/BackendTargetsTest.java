package dev.portico.contract;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Targets with a scheme and a site's {@code backendTls}: what parses, what round-trips, what is refused. */
class BackendTargetsTest {


  @Test
  void targetsNameHowTheEdgeSpeaksToThem() {
    Site site = Site.fromJson("{\"targets\":[\"10.0.0.5:8080\",\"https://Api.Internal:8443\",\"h2c://[::1]:50051\","
        + "\"HTTPS://b.internal:443\"]}");
    assertEquals(List.of(new Target("10.0.0.5", 8080, Target.Protocol.HTTP),
        new Target("api.internal", 8443, Target.Protocol.HTTPS), new Target("::1", 50051, Target.Protocol.H2C),
        new Target("b.internal", 443, Target.Protocol.HTTPS)), site.targets());
    assertEquals("https://api.internal:8443", site.targets().get(1).toString());
    assertEquals("h2c://[::1]:50051", site.targets().get(2).toString());
    assertEquals(site, Site.fromJson(site.toJson()), "a site round-trips through its JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://a:80", "ftp://a:21", "https://a", "https://:443", "h2c://a:0", "https://a:443/path",
      "://a:1"})
  void otherSchemesAndBrokenTargetsAreRefused(String target) {
    InvalidSiteException e = assertThrows(InvalidSiteException.class,
        () -> Site.fromJson(new JsonObject().put("targets", List.of(target))));
    assertEquals("targets", e.field());
  }

  @Test
  void backendTlsDefaultsToVerifiedHttp1AndRoundTrips() {
    Site plain = Site.fromJson("{\"targets\":[\"https://a:443\"]}");
    assertEquals(BackendTls.DEFAULT, plain.backendTls());
    assertTrue(plain.backendTls().verify());
    assertFalse(plain.toJson().containsKey("backendTls"), "the default is not written");

    Site off = Site.fromJson("{\"targets\":[\"https://a:443\"],\"backendTls\":{\"verify\":false,\"http2\":true,"
        + "\"serverName\":\"Api.Internal\"}}");
    assertFalse(off.backendTls().verify());
    assertEquals("api.internal", off.backendTls().serverName());
    assertEquals(false, off.toJson().getJsonObject("backendTls").getValue("verify"), "turning it off is shown");
    assertEquals(off, Site.fromJson(off.toJson()));
  }

  @Test
  void aSealedClientKeyIsTakenAsStoredAndRoutesShareTheSitesSettings() {
    String cert = Pem.encode(TestKeys.certificate());
    Site site = Site.fromJson(new JsonObject().put("targets", List.of("https://a:443"))
        .put("backendTls", new JsonObject().put("clientCertPem", cert).put("clientKeyPem", "aesgcm1:AAAA"))
        .put("routes", List.of(new JsonObject().put("prefix", "/api/").put("targets", List.of("https://b:443")))));
    assertEquals("aesgcm1:AAAA", site.backendTls().clientKeyPem());
    assertEquals(site.backendTls(), site.routes().get(0).site().backendTls());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"caPem\":\"not a certificate\"}",
      "{\"caPem\":\"\"}",
      "{\"serverName\":\"not a name!\"}",
      "{\"serverName\":\"[::1]\"}",
      "{\"clientKeyPem\":\"plain:x\"}",
      "{\"clientCertPem\":\"-----BEGIN CERTIFICATE-----\\n-----END CERTIFICATE-----\\n\"}",
      "{\"verify\":\"no\"}",
      "{\"http2\":1}",
      "{\"other\":true}",
      "[]"})
  void badBackendTlsIsRefusedNamingTheField(String backendTls) {
    InvalidSiteException e = assertThrows(InvalidSiteException.class,
        () -> Site.fromJson("{\"targets\":[\"https://a:443\"],\"backendTls\":" + backendTls + "}"));
    assertTrue(e.field().startsWith("backendTls"), e.field());
  }

  @Test
  void aClientKeyInPemMustBeAKey() {
    String cert = Pem.encode(TestKeys.certificate());
    InvalidSiteException e = assertThrows(InvalidSiteException.class, () -> Site.fromJson(new JsonObject()
        .put("targets", List.of("https://a:443"))
        .put("backendTls", new JsonObject().put("clientCertPem", cert).put("clientKeyPem", cert))));
    assertEquals("backendTls.clientKeyPem", e.field());
    assertFalse(e.getMessage().contains("BEGIN"), "the message never quotes the key");
  }
}
