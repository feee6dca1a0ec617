package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.portico.contract.PasswordHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input against the edge's access checks: client addresses written to slip past an address
 * rule, tenants' sites aimed at the node itself or at metadata endpoints, and basic-auth checks
 * used to stall the edge ({@link BadInputEdgeJwtTest} has the JWTs and JWKS). Every refused case
 * asserts that the backend received nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputEdgeAuthTest {

  private TestDnsServer dns;
  private Harness harness;
  private AdminClient admin;
  private String adminToken;
  private String mallory;
  private RecordedSites sites;

  @BeforeAll
  void start() throws Exception {
    dns = new TestDnsServer();
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", "edge auth test password",
        "PORTICO_DNS_RESOLVER", dns.address()));
    admin = new AdminClient(harness.portico.config().adminPort());
    adminToken = admin.login("admin", "edge auth test password");
    assertEquals(201, admin.post("/api/v1/users", adminToken, new JsonObject().put("username", "mallory")
        .put("password", "mallory password 1").put("role", "user")).status());
    mallory = admin.login("mallory", "mallory password 1");
    assertEquals(201, admin.put("/api/v1/users/mallory/grants/mallory.test", adminToken,
        new JsonObject().put("role", "manager")).status(), "mallory manages mallory.test");
    sites = new RecordedSites(harness);
    sites.site("xff.bad.test", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
        .put("ipDeny", new JsonArray().add("10.6.6.0/24")));
    sites.site("mapped-deny.bad.test", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
        .put("ipDeny", new JsonArray().add("::ffff:10.6.6.0/120")));
  }

  @AfterAll
  void stop() {
    sites.close();
    harness.close();
    dns.close();
  }

  @BeforeEach
  void clear() {
    sites.backend.clear();
  }

  // Item 14: client addresses are compared normalised, and an unknown client fails closed.

  @ParameterizedTest(name = "X-Forwarded-For: {0}")
  @ValueSource(strings = {"10.6.6.1:1234", "::ffff:10.6.6.1", "[::ffff:10.6.6.1]:443", "0:0:0:0:0:ffff:a06:601",
      "203.0.113.7, 10.6.6.1:80", "unknown", "10.6.6.1 junk", "10.6.6.1, _hidden", "",
      "10.6.6.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,"
          + "127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1"})
  void aDeniedOrUnknownClientBehindATrustedProxyIsRefused(String forwardedFor) {
    sites.assertRefused(403, sites.get("xff.bad.test", "/", Map.of("X-Forwarded-For", forwardedFor)));
  }

  @ParameterizedTest(name = "X-Forwarded-For: {0}")
  @ValueSource(strings = {"10.6.6.1", "10.6.6.1:8080", "::ffff:10.6.6.1"})
  void aMappedDenyRangeIsItsIpv4Range(String forwardedFor) {
    sites.assertRefused(403, sites.get("mapped-deny.bad.test", "/", Map.of("X-Forwarded-For", forwardedFor)));
  }

  @ParameterizedTest(name = "X-Forwarded-For: {0}")
  @ValueSource(strings = {"203.0.113.7", "203.0.113.7:5555", "[2001:db8::1]:80", "10.6.6.1, 203.0.113.7, 127.0.0.1"})
  void anAllowedClientBehindATrustedProxyPasses(String forwardedFor) {
    HttpResponse<String> response = sites.get("xff.bad.test", "/", Map.of("X-Forwarded-For", forwardedFor));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(1, sites.backend.requests().size());
  }

  // Item 10: a tenant's site (one with an owner) never leads the edge to the node itself.

  @Test
  void aTenantsTargetsAreCheckedAtTheEdgeAfterDns() {
    dns.zone.put("loopback.tenant.test", new TestDnsServer.Entry(null, "127.0.0.1", 60));
    dns.zone.put("alias.tenant.test", new TestDnsServer.Entry("loopback.tenant.test", null, 60));
    dns.zone.put("metadata.tenant.test", new TestDnsServer.Entry(null, "169.254.169.254", 60));
    int port = sites.backend.port();
    List<String> targets = List.of("127.0.0.1:" + port, "[::ffff:127.0.0.1]:" + port, "0.0.0.0:" + port,
        "loopback.tenant.test:" + port, "alias.tenant.test:" + port, "metadata.tenant.test:80", "169.254.169.254:80",
        "127.0.0.1:" + harness.portico.config().adminPort());
    for (int i = 0; i < targets.size(); i++) {
      String pattern = "t" + i + ".tenant.bad.test";
      sites.storedSite(pattern, new JsonObject().put("owner", "mallory").put("targets", new JsonArray().add(targets.get(i))));
      sites.assertRefused(502, sites.get(pattern, "/", Map.of()));
    }
    // The operator's site may target the node (an operator's choice): the owner is what is checked.
    sites.storedSite("operator.tenant.bad.test", new JsonObject().put("targets", new JsonArray().add("alias.tenant.test:" + port)));
    assertEquals(200, sites.get("operator.tenant.bad.test", "/", Map.of()).statusCode());
  }

  @Test
  void aUserCannotWriteTargetsAtTheNode() throws Exception {
    List<String> refused = new ArrayList<>(List.of("127.0.0.1:8080", "[::1]:80", "[::ffff:127.0.0.1]:80",
        "localhost:80", "api.localhost:80", "0.0.0.0:80", "169.254.169.254:80", "[fd00:ec2::254]:80",
        "100.100.100.200:80", "[fe80::1]:80", "224.0.0.1:80", "255.255.255.255:80", "metadata.google.internal:80"));
    InetAddress own = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(network -> Collections.list(network.getInetAddresses()).stream())
        .filter(address -> !address.isLoopbackAddress() && address instanceof Inet4Address).findFirst().orElse(null);
    if (own != null) {
      refused.add(own.getHostAddress() + ":" + harness.portico.config().adminPort());
    }
    for (String target : refused) {
      AdminClient.Answer answer = admin.put("/api/v1/sites/ssrf.mallory.test", mallory,
          new JsonObject().put("targets", new JsonArray().add(target)));
      assertEquals(403, answer.status(), target + ": " + answer.body());
      assertTrue(answer.body().contains("targets"), answer.body());
    }
    AdminClient.Answer jwks = admin.put("/api/v1/sites/ssrf.mallory.test", mallory, new JsonObject()
        .put("targets", new JsonArray().add("10.0.0.5:8080"))
        .put("jwt", new JsonObject().put("jwksUrl", "http://169.254.169.254/latest/meta-data/")));
    assertEquals(403, jwks.status(), jwks.body());
    assertTrue(jwks.body().contains("jwt.jwksUrl"), jwks.body());
    assertEquals(404, admin.get("/api/v1/sites/ssrf.mallory.test", adminToken).status(), "nothing was stored");
    assertEquals(201, admin.put("/api/v1/sites/private.mallory.test", mallory,
        new JsonObject().put("targets", new JsonArray().add("10.0.0.5:8080"))).status(), "private ranges stay allowed");
    assertEquals(201, admin.put("/api/v1/sites/ssrf.admin.test", adminToken,
        new JsonObject().put("targets", new JsonArray().add("127.0.0.1:8080"))).status(), "the operator is not limited");
  }

  // Item 8: password checks run on a bounded pool of their own, with per-client failure limits.

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private void basicAuthSite(String pattern) {
    sites.site(pattern, new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
        .put("basicAuth", new JsonObject().put("realm", "staff")
            .put("users", new JsonObject().put("ann", PasswordHash.hash("ann's secret")))));
  }

  @Test
  void tenFailuresLockAClientOutOfTheSite() {
    basicAuthSite("lockout.bad.test");
    for (int i = 0; i < 10; i++) {
      String user = i % 2 == 0 ? "ann" : "nobody" + i;
      sites.assertRefused(401, sites.get("lockout.bad.test", "/", Map.of("X-Forwarded-For", "203.0.113.10",
          "Authorization", basic(user, "guess " + i))));
    }
    HttpResponse<String> locked = sites.get("lockout.bad.test", "/", Map.of("X-Forwarded-For", "203.0.113.10",
        "Authorization", basic("ann", "ann's secret")));
    sites.assertRefused(429, locked);
    long retryAfter = Long.parseLong(locked.headers().firstValue("Retry-After").orElse("0"));
    assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);
    HttpResponse<String> other = sites.get("lockout.bad.test", "/", Map.of("X-Forwarded-For", "203.0.113.11",
        "Authorization", basic("ann", "ann's secret")));
    assertEquals(200, other.statusCode(), "another client is not locked out");
    assertEquals(1, sites.backend.requests().size());
  }

  @ParameterizedTest(name = "user {0}")
  @ValueSource(strings = {"ann", "somebody-unknown"})
  void aFloodOfChecksIsBoundedAndLeavesOtherSitesAlone(String user) throws Exception {
    basicAuthSite("flood-" + user + ".bad.test");
    basicAuthSite("calm-" + user + ".bad.test");
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      flood.add(harness.http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort() + "/"))
          .header("Host", "flood-" + user + ".bad.test").header("X-Forwarded-For", "198.51.100." + (i + 1))
          .header("Authorization", basic(user, "wrong " + i)).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    HttpResponse<String> calm = sites.get("calm-" + user + ".bad.test", "/", Map.of("X-Forwarded-For", "203.0.113.20",
        "Authorization", basic("ann", "ann's secret")));
    assertEquals(200, calm.statusCode(), "another site's check is not queued behind the flood: " + calm.body());
    int busy = 0;
    for (var pending : flood) {
      HttpResponse<String> response = pending.get(60, TimeUnit.SECONDS);
      assertTrue(response.statusCode() == 401 || response.statusCode() == 503, response.statusCode() + " " + response.body());
      if (response.statusCode() == 503) {
        busy++;
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
      }
    }
    assertTrue(busy > 0, "the site's checks were bounded: none answered 503");
    assertEquals(1, sites.backend.requests().size(), "only the calm site's request reached the backend");
  }
}
