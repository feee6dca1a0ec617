package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input against the edge's access checks: client addresses written to slip past an address
 * rule, unsigned or wrongly signed JWTs and hostile JWKS servers, tenants' sites aimed at the
 * node itself or at metadata endpoints, and basic-auth checks used to stall the edge. Every
 * refused case asserts that the backend received nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputEdgeAuthTest {

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private static final String HS_SECRET = "a published hmac secret, long enough";

  private TestDnsServer dns;
  private Harness harness;
  private AdminClient admin;
  private String adminToken;
  private String mallory;
  private RecordingBackend backend;
  private KeyPair rsa;
  private JsonObject rsaJwk;
  /** An RS256 token signed with {@link #rsa}, valid for the test's duration. */
  private String rsaToken;

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
    backend = new RecordingBackend(harness.testVertx);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    rsa = generator.generateKeyPair();
    RSAPublicKey publicKey = (RSAPublicKey) rsa.getPublic();
    rsaJwk = new JsonObject().put("kty", "RSA").put("alg", "RS256").put("use", "sig").put("kid", "k1")
        .put("n", URL.encodeToString(unsigned(publicKey.getModulus())))
        .put("e", URL.encodeToString(unsigned(publicKey.getPublicExponent())));
    String privatePem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(rsa.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    rsaToken = JWTAuth.create(harness.testVertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
            .setAlgorithm("RS256").setBuffer(privatePem).setId("k1")))
        .generateToken(new JsonObject().put("sub", "bob"), new JWTOptions().setAlgorithm("RS256").setExpiresInSeconds(3600));
    site("xff.bad.test", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
        .put("ipDeny", new JsonArray().add("10.6.6.0/24")));
    site("mapped-deny.bad.test", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
        .put("ipDeny", new JsonArray().add("::ffff:10.6.6.0/120")));
  }

  @AfterAll
  void stop() {
    backend.close();
    harness.close();
    dns.close();
  }

  @BeforeEach
  void clear() {
    backend.clear();
  }

  /** Stores a site (as the operator: no owner) targeting the recording backend and waits until the edge serves it. */
  private void site(String pattern, JsonObject site) {
    storedSite(pattern, site.copy().put("targets", new JsonArray().add("127.0.0.1:" + backend.port())));
  }

  /** Stores {@code site} in Redis as it is and waits until the edge serves it. */
  private void storedSite(String pattern, JsonObject site) {
    harness.putSite(pattern, site.encode());
    Harness.waitFor(() -> get(pattern, "/", Map.of()).statusCode() != 404, 5_000);
    backend.clear();
  }

  private HttpResponse<String> get(String host, String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort() + path))
        .header("Host", host).timeout(Duration.ofSeconds(20));
    headers.forEach(request::header);
    return harness.send(request.build());
  }

  private void assertRefused(int status, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(List.of(), backend.requests(), "the backend received nothing");
    assertEquals("", backend.raw(), "not a byte reached the backend");
  }

  // Item 14: client addresses are compared normalised, and an unknown client fails closed.

  @ParameterizedTest(name = "X-Forwarded-For: {0}")
  @ValueSource(strings = {"10.6.6.1:1234", "::ffff:10.6.6.1", "[::ffff:10.6.6.1]:443", "0:0:0:0:0:ffff:a06:601",
      "203.0.113.7, 10.6.6.1:80", "unknown", "10.6.6.1 junk", "10.6.6.1, _hidden", "",
      "10.6.6.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,"
          + "127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1,127.0.0.1"})
  void aDeniedOrUnknownClientBehindATrustedProxyIsRefused(String forwardedFor) {
    assertRefused(403, get("xff.bad.test", "/", Map.of("X-Forwarded-For", forwardedFor)));
  }

  @ParameterizedTest(name = "X-Forwarded-For: {0}")
  @ValueSource(strings = {"10.6.6.1", "10.6.6.1:8080", "::ffff:10.6.6.1"})
  void aMappedDenyRangeIsItsIpv4Range(String forwardedFor) {
    assertRefused(403, get("mapped-deny.bad.test", "/", Map.of("X-Forwarded-For", forwardedFor)));
  }

  @ParameterizedTest(name = "X-Forwarded-For: {0}")
  @ValueSource(strings = {"203.0.113.7", "203.0.113.7:5555", "[2001:db8::1]:80", "10.6.6.1, 203.0.113.7, 127.0.0.1"})
  void anAllowedClientBehindATrustedProxyPasses(String forwardedFor) {
    HttpResponse<String> response = get("xff.bad.test", "/", Map.of("X-Forwarded-For", forwardedFor));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(1, backend.requests().size());
  }

  // Item 5: no usable key is never "unsecured"; the JWKS is bounded while it is read.

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  /** An unsigned token ({@code alg: none}) with a future expiry; {@code trailingDot} as RFC 7519 writes it. */
  private static String unsignedToken(boolean trailingDot) {
    String header = URL.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = URL.encodeToString(new JsonObject().put("sub", "admin")
        .put("exp", System.currentTimeMillis() / 1000 + 600).encode().getBytes(StandardCharsets.UTF_8));
    return header + "." + claims + (trailingDot ? "." : "");
  }

  private String hs256Token(String secret) {
    return JWTAuth.create(harness.testVertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
            .setAlgorithm("HS256").setBuffer(secret)))
        .generateToken(new JsonObject().put("sub", "admin"), new JWTOptions().setExpiresInSeconds(600));
  }

  /** A JWKS server answering {@code body}; counts the requests it gets. */
  private int jwksServer(String body, AtomicInteger requests) {
    return harness.backend(request -> {
      requests.incrementAndGet();
      request.response().putHeader("Content-Type", "application/json").end(body);
    });
  }

  /** Every token an attacker could try on a site whose JWKS gives no usable key: each refused, nothing forwarded. */
  private void assertNoTokenPasses(String pattern) {
    for (String token : List.of(unsignedToken(true), unsignedToken(false), hs256Token(HS_SECRET), rsaToken)) {
      HttpResponse<String> response = get(pattern, "/", Map.of("Authorization", "Bearer " + token));
      assertTrue(response.statusCode() == 401 || response.statusCode() == 503, token + " -> " + response.statusCode());
      assertRefused(response.statusCode(), response);
    }
  }

  @Test
  void anEmptyJwksAcceptsNoToken() {
    AtomicInteger requests = new AtomicInteger();
    int idp = jwksServer("{\"keys\": []}", requests);
    site("empty-jwks.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    assertNoTokenPasses("empty-jwks.bad.test");
    assertRefused(503, get("empty-jwks.bad.test", "/", Map.of("Authorization", "Bearer " + rsaToken)));
    assertTrue(requests.get() >= 1, "the JWKS was asked");
  }

  @Test
  void aJwksOfUnsupportedOrSecretKeysAcceptsNoToken() {
    AtomicInteger requests = new AtomicInteger();
    JsonArray keys = new JsonArray()
        .add(new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", URL.encodeToString(new byte[32])))
        .add(new JsonObject().put("kty", "weird"))
        .add(new JsonObject().put("kty", "oct").put("alg", "HS256")
            .put("k", URL.encodeToString(HS_SECRET.getBytes(StandardCharsets.UTF_8))))
        .add(rsaJwk.copy().put("use", "enc"))
        .add("not a key");
    int idp = jwksServer(new JsonObject().put("keys", keys).encode(), requests);
    site("odd-jwks.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    assertNoTokenPasses("odd-jwks.bad.test");
  }

  @Test
  void aSitesOwnKeysStillCountWhenItsJwksCannotBeFetched() {
    int idp = Harness.freePort();  // nothing listens: every fetch fails
    site("own-keys.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")
        .put("keys", new JsonArray().add(new JsonObject().put("alg", "HS256").put("secret", HS_SECRET)))));
    for (String token : List.of(unsignedToken(true), unsignedToken(false), rsaToken, hs256Token(HS_SECRET + "!"))) {
      assertRefused(401, get("own-keys.bad.test", "/", Map.of("Authorization", "Bearer " + token)));
    }
    assertEquals(200, get("own-keys.bad.test", "/", Map.of("Authorization", "Bearer " + hs256Token(HS_SECRET))).statusCode());
  }

  @Test
  void aJwksWithTooManyKeysIsRefusedWhole() {
    JsonArray keys = new JsonArray();
    for (int i = 0; i <= 100; i++) {
      keys.add(rsaJwk.copy().put("kid", i == 0 ? "k1" : "k" + (i + 1)));
    }
    int idp = jwksServer(new JsonObject().put("keys", keys).encode(), new AtomicInteger());
    site("many-jwks.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    assertRefused(503, get("many-jwks.bad.test", "/", Map.of("Authorization", "Bearer " + rsaToken)));
  }

  @Test
  void onlyTheAlgorithmsOfTheJwksKeysAreAccepted() {
    int idp = jwksServer(new JsonObject().put("keys", new JsonArray().add(rsaJwk)).encode(), new AtomicInteger());
    site("rsa-jwks.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    String publicPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    for (String token : List.of(unsignedToken(true), unsignedToken(false), hs256Token(HS_SECRET), hs256Token(publicPem),
        rsaToken.substring(0, rsaToken.lastIndexOf('.') + 1), "a.b.c", rsaToken + ".x")) {
      assertRefused(401, get("rsa-jwks.bad.test", "/", Map.of("Authorization", "Bearer " + token)));
    }
    HttpResponse<String> signed = get("rsa-jwks.bad.test", "/", Map.of("Authorization", "Bearer " + rsaToken));
    assertEquals(200, signed.statusCode(), signed.body());
    assertEquals(1, backend.requests().size());
  }

  @Test
  void anEndlessJwksIsCutOffWhileItIsRead() {
    AtomicLong written = new AtomicLong();
    AtomicBoolean closed = new AtomicBoolean();
    long endless = 64L * 1024 * 1024;
    int idp = harness.backend(request -> {
      HttpServerResponse response = request.response().setChunked(true).putHeader("Content-Type", "application/json");
      response.closeHandler(v -> closed.set(true));
      response.write("{\"keys\": [\"");
      pump(response, written, endless);
    });
    site("endless-jwks.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    assertRefused(503, get("endless-jwks.bad.test", "/", Map.of("Authorization", "Bearer " + rsaToken)));
    Harness.waitFor(closed::get, 10_000);
    assertTrue(written.get() < endless, "the edge cut the connection, after " + written.get() + " bytes were written");
  }

  @Test
  void aJwksAnnouncingAHugeBodyIsNotRead() {
    AtomicBoolean closed = new AtomicBoolean();
    AtomicLong written = new AtomicLong();
    long announced = 64L * 1024 * 1024;
    int idp = harness.backend(request -> {
      HttpServerResponse response = request.response().putHeader("Content-Length", Long.toString(announced));
      response.closeHandler(v -> closed.set(true));
      pump(response, written, announced);
    });
    site("huge-jwks.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    assertRefused(503, get("huge-jwks.bad.test", "/", Map.of("Authorization", "Bearer " + rsaToken)));
    Harness.waitFor(closed::get, 10_000);
    assertTrue(written.get() < announced, "cut after " + written.get() + " bytes");
  }

  /** Writes {@code total} bytes of key-ish text, as fast as the reader takes them, until done or closed. */
  private static void pump(HttpServerResponse response, AtomicLong written, long total) {
    Buffer chunk = Buffer.buffer("A".repeat(64 * 1024));
    while (written.get() < total && !response.closed()) {
      if (response.writeQueueFull()) {
        response.drainHandler(v -> pump(response, written, total));
        return;
      }
      response.write(chunk);
      written.addAndGet(chunk.length());
    }
    if (written.get() >= total && !response.closed()) {
      response.end();
    }
  }

  // Item 10: a tenant's site (one with an owner) never leads the edge to the node itself.

  @Test
  void aTenantsTargetsAreCheckedAtTheEdgeAfterDns() {
    dns.zone.put("loopback.tenant.test", new TestDnsServer.Entry(null, "127.0.0.1", 60));
    dns.zone.put("alias.tenant.test", new TestDnsServer.Entry("loopback.tenant.test", null, 60));
    dns.zone.put("metadata.tenant.test", new TestDnsServer.Entry(null, "169.254.169.254", 60));
    int port = backend.port();
    List<String> targets = List.of("127.0.0.1:" + port, "[::ffff:127.0.0.1]:" + port, "0.0.0.0:" + port,
        "loopback.tenant.test:" + port, "alias.tenant.test:" + port, "metadata.tenant.test:80", "169.254.169.254:80",
        "127.0.0.1:" + harness.portico.config().adminPort());
    for (int i = 0; i < targets.size(); i++) {
      String pattern = "t" + i + ".tenant.bad.test";
      storedSite(pattern, new JsonObject().put("owner", "mallory").put("targets", new JsonArray().add(targets.get(i))));
      assertRefused(502, get(pattern, "/", Map.of()));
    }
    // The operator's site may target the node (an operator's choice): the owner is what is checked.
    storedSite("operator.tenant.bad.test", new JsonObject().put("targets", new JsonArray().add("alias.tenant.test:" + port)));
    assertEquals(200, get("operator.tenant.bad.test", "/", Map.of()).statusCode());
  }

  @Test
  void aTenantsJwksIsNeverFetchedFromTheNode() {
    AtomicInteger requests = new AtomicInteger();
    int idp = jwksServer(new JsonObject().put("keys", new JsonArray().add(rsaJwk)).encode(), requests);
    storedSite("jwks.tenant.bad.test", new JsonObject().put("owner", "mallory")
        .put("targets", new JsonArray().add("127.0.0.1:" + backend.port()))
        .put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    assertRefused(503, get("jwks.tenant.bad.test", "/", Map.of("Authorization", "Bearer " + rsaToken)));
    assertEquals(0, requests.get(), "the JWKS server was never asked");
  }

  @Test
  void aUserCannotWriteTargetsAtTheNode() throws Exception {
    List<String> refused = new java.util.ArrayList<>(List.of("127.0.0.1:8080", "[::1]:80", "[::ffff:127.0.0.1]:80",
        "localhost:80", "api.localhost:80", "0.0.0.0:80", "169.254.169.254:80", "[fd00:ec2::254]:80",
        "100.100.100.200:80", "[fe80::1]:80", "224.0.0.1:80", "255.255.255.255:80", "metadata.google.internal:80"));
    java.net.InetAddress own = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(network -> java.util.Collections.list(network.getInetAddresses()).stream())
        .filter(address -> !address.isLoopbackAddress() && address instanceof java.net.Inet4Address).findFirst().orElse(null);
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
    site(pattern, new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
        .put("basicAuth", new JsonObject().put("realm", "staff")
            .put("users", new JsonObject().put("ann", dev.portico.contract.PasswordHash.hash("ann's secret")))));
  }

  @Test
  void tenFailuresLockAClientOutOfTheSite() {
    basicAuthSite("lockout.bad.test");
    for (int i = 0; i < 10; i++) {
      String user = i % 2 == 0 ? "ann" : "nobody" + i;
      assertRefused(401, get("lockout.bad.test", "/", Map.of("X-Forwarded-For", "203.0.113.10",
          "Authorization", basic(user, "guess " + i))));
    }
    HttpResponse<String> locked = get("lockout.bad.test", "/", Map.of("X-Forwarded-For", "203.0.113.10",
        "Authorization", basic("ann", "ann's secret")));
    assertRefused(429, locked);
    long retryAfter = Long.parseLong(locked.headers().firstValue("Retry-After").orElse("0"));
    assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);
    HttpResponse<String> other = get("lockout.bad.test", "/", Map.of("X-Forwarded-For", "203.0.113.11",
        "Authorization", basic("ann", "ann's secret")));
    assertEquals(200, other.statusCode(), "another client is not locked out");
    assertEquals(1, backend.requests().size());
  }

  @ParameterizedTest(name = "user {0}")
  @ValueSource(strings = {"ann", "somebody-unknown"})
  void aFloodOfChecksIsBoundedAndLeavesOtherSitesAlone(String user) throws Exception {
    basicAuthSite("flood-" + user + ".bad.test");
    basicAuthSite("calm-" + user + ".bad.test");
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> flood = new java.util.ArrayList<>();
    for (int i = 0; i < 24; i++) {
      flood.add(harness.http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort() + "/"))
          .header("Host", "flood-" + user + ".bad.test").header("X-Forwarded-For", "198.51.100." + (i + 1))
          .header("Authorization", basic(user, "wrong " + i)).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    HttpResponse<String> calm = get("calm-" + user + ".bad.test", "/", Map.of("X-Forwarded-For", "203.0.113.20",
        "Authorization", basic("ann", "ann's secret")));
    assertEquals(200, calm.statusCode(), "another site's check is not queued behind the flood: " + calm.body());
    int busy = 0;
    for (var pending : flood) {
      HttpResponse<String> response = pending.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(response.statusCode() == 401 || response.statusCode() == 503, response.statusCode() + " " + response.body());
      if (response.statusCode() == 503) {
        busy++;
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
      }
    }
    assertTrue(busy > 0, "the site's checks were bounded: none answered 503");
    assertEquals(1, backend.requests().size(), "only the calm site's request reached the backend");
  }
}
