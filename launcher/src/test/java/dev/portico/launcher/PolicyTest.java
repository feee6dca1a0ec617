package dev.portico.launcher;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.Decoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each site policy end to end through the real edge, with real clients and backends. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyTest {

  private static final String TEXT = "Portico compresses what it can. ".repeat(400);

  private Harness harness;
  private AdminClient admin;
  private String token;

  @BeforeAll
  void start() throws Exception {
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", "policy test password"));
    admin = new AdminClient(harness.portico.config().adminPort());
    token = admin.login("admin", "policy test password");
    int text = harness.backend(request -> request.response().putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Server", "backend/1.0").putHeader("ETag", "\"v1\"").end(TEXT));
    int small = harness.backend(request -> request.response().putHeader("Content-Type", "text/plain").end("tiny"));
    int png = harness.backend(request -> request.response().putHeader("Content-Type", "image/png").end(TEXT));
    int gzipped = harness.backend(request -> request.response().putHeader("Content-Type", "text/plain")
        .putHeader("Content-Encoding", "gzip").end(io.vertx.core.buffer.Buffer.buffer(gzip(TEXT))));
    site("text.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + text)));
    site("plain.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + text))
        .put("compression", false));
    site("small.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + small)));
    site("png.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + png)));
    site("gzipped.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + gzipped)));
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  private void site(String pattern, JsonObject site) {
    AdminClient.Answer answer = admin.put("/api/v1/sites/" + pattern, token, site);
    assertTrue(answer.status() == 200 || answer.status() == 201, answer.body());
    Harness.waitFor(() -> harness.get(pattern, "/").statusCode() != 404, 2_000);
  }

  private HttpResponse<byte[]> get(String host, Map<String, String> headers) {
    return getPath(host, "/", headers);
  }

  @ParameterizedTest(name = "Accept-Encoding: {0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "zstd | zstd",
      "br | br",
      "gzip | gzip",
      "identity | none",
      "none | none",
      "gzip;q=1.0, br;q=0.5 | gzip",
      "br, gzip, zstd | zstd",
      "gzip, br | br",
      "*;q=0.1, gzip;q=0 | zstd",
      "zstd;q=0, br;q=0.8, gzip;q=0.8 | br",
      "x-gzip | gzip",
  })
  void compressionFollowsTheClientsPreferences(String accept, String expected) throws Exception {
    HttpResponse<byte[]> response = get("text.example.net", accept == null ? Map.of() : Map.of("Accept-Encoding", accept));
    assertEquals(200, response.statusCode());
    String encoding = response.headers().firstValue("Content-Encoding").orElse(null);
    assertEquals(expected, encoding);
    assertEquals(TEXT, decode(encoding, response.body()));
    assertTrue(response.headers().allValues("Vary").toString().toLowerCase().contains("accept-encoding"),
        response.headers().toString());
    if (encoding != null) {
      assertEquals("W/\"v1\"", response.headers().firstValue("ETag").orElse(null), "a compressed body's ETag is weak");
      assertTrue(response.body().length < TEXT.length() / 5, "compressed: " + response.body().length);
    }
  }

  @Test
  void compressionIsLeftOutWhereItDoesNotBelong() throws Exception {
    Map<String, String> all = Map.of("Accept-Encoding", "zstd, br, gzip");
    assertNull(get("plain.example.net", all).headers().firstValue("Content-Encoding").orElse(null), "site turned it off");
    assertNull(get("small.example.net", all).headers().firstValue("Content-Encoding").orElse(null), "under 1 KiB");
    assertNull(get("png.example.net", all).headers().firstValue("Content-Encoding").orElse(null), "not compressible");
    HttpResponse<byte[]> already = get("gzipped.example.net", all);
    assertEquals("gzip", already.headers().firstValue("Content-Encoding").orElse(null));
    assertEquals(TEXT, decode("gzip", already.body()), "passed untouched, not compressed twice");
    HttpResponse<Void> head = harness.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort()
        + "/")).header("Host", "text.example.net").header("Accept-Encoding", "gzip")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertNull(head.headers().firstValue("Content-Encoding").orElse(null), "HEAD");
  }

  @Test
  void headerRulesApplyBothWays() {
    int echo = harness.namedBackend("echo");
    site("headers.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + echo))
        .put("requestHeaders", new JsonObject().put("set", new JsonObject().put("X-Env", "prod"))
            .put("remove", new JsonArray().add("X-Debug")))
        .put("responseHeaders", new JsonObject().put("set", new JsonObject().put("X-Frame-Options", "DENY"))
            .put("remove", new JsonArray().add("Server")))
        .put("hsts", new JsonObject().put("maxAge", 600)));
    HttpResponse<byte[]> response = get("headers.example.net", Map.of("X-Debug", "1", "X-Env", "dev"));
    String seen = new String(response.body(), StandardCharsets.UTF_8);
    assertTrue(seen.contains("x-env: prod\n"), seen);
    assertFalse(seen.contains("x-debug"), seen);
    assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(null));
    assertNull(response.headers().firstValue("Strict-Transport-Security").orElse(null), "HSTS only over HTTPS");
  }

  @Test
  void addressesAreAllowedDeniedAndTakenFromTrustedProxies() {
    int backend = harness.namedBackend("guarded");
    site("deny.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend))
        .put("ipDeny", new JsonArray().add("127.0.0.0/8")));
    site("allow.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend))
        .put("ipAllow", new JsonArray().add("203.0.113.0/24")));
    site("proxied.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend))
        .put("ipAllow", new JsonArray().add("203.0.113.0/24")).put("trustedProxies", new JsonArray().add("127.0.0.1")));
    assertEquals(403, get("deny.example.net", Map.of()).statusCode());
    assertEquals(403, get("allow.example.net", Map.of()).statusCode());
    assertEquals(403, get("allow.example.net", Map.of("X-Forwarded-For", "203.0.113.7")).statusCode(),
        "X-Forwarded-For counts only from trusted proxies");
    assertEquals(200, get("proxied.example.net", Map.of("X-Forwarded-For", "203.0.113.7")).statusCode());
    assertEquals(403, get("proxied.example.net", Map.of("X-Forwarded-For", "203.0.113.7, 198.51.100.1")).statusCode(),
        "the right-most untrusted hop is the client");
  }

  @Test
  void basicAuthChecksHashedPasswords() {
    int backend = harness.namedBackend("private");
    site("private.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend))
        .put("basicAuth", new JsonObject().put("realm", "staff").put("users",
            new JsonObject().put("ann", new JsonObject().put("password", "ann's secret")))));
    AdminClient.Answer read = admin.get("/api/v1/sites/private.example.net", token);
    assertEquals("(hidden)", read.json().getJsonObject("site").getJsonObject("basicAuth").getJsonObject("users")
        .getString("ann"), read.body());
    assertFalse(read.body().contains("pbkdf2"), read.body());
    HttpResponse<byte[]> none = get("private.example.net", Map.of());
    assertEquals(401, none.statusCode());
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm=\"staff\""));
    assertEquals(401, get("private.example.net", Map.of("Authorization", basic("ann", "wrong"))).statusCode());
    assertEquals(200, get("private.example.net", Map.of("Authorization", basic("ann", "ann's secret"))).statusCode());
    assertEquals(200, get("private.example.net", Map.of("Authorization", basic("ann", "ann's secret"))).statusCode());
    // Writing back what a read shows keeps the stored hash.
    JsonObject site = read.json().getJsonObject("site");
    site.remove("owner");
    assertEquals(200, admin.put("/api/v1/sites/private.example.net", token, site).status());
    assertEquals(200, get("private.example.net", Map.of("Authorization", basic("ann", "ann's secret"))).statusCode());
  }

  @Test
  void rateLimitsAreSharedByEdgesAndFailOpenWithoutRedis() throws Exception {
    int backend = harness.namedBackend("limited");
    site("limited.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend))
        .put("rateLimit", new JsonObject().put("requests", 4).put("perSeconds", 60).put("by", "header:X-Client")));
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + harness.redisPort);
    env.put("PORTICO_SECRET_KEY", Harness.SECRET_KEY);
    env.put("PORTICO_ROLES", "edge");
    env.put("PORTICO_EDGE_INSTANCES", "1");
    try (Portico second = Portico.start(PorticoConfig.fromEnvironment(env))) {
      int secondPort = second.config().httpPort();
      int passed = 0;
      int limited = 0;
      String retryAfter = null;
      for (int i = 0; i < 8; i++) {
        int port = i % 2 == 0 ? harness.httpPort() : secondPort;
        HttpResponse<String> response = harness.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .header("Host", "limited.example.net").header("X-Client", "tester").build());
        if (response.statusCode() == 200) {
          passed++;
        } else {
          assertEquals(429, response.statusCode());
          limited++;
          retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        }
      }
      assertEquals(4, passed, "four requests across both edges");
      assertEquals(4, limited);
      assertTrue(Integer.parseInt(retryAfter) > 0 && Integer.parseInt(retryAfter) <= 60, retryAfter);
    }
    harness.stopRedis();
    try {
      int passed = 0;
      for (int i = 0; i < 6; i++) {
        int status = harness.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort() + "/"))
            .header("Host", "limited.example.net").header("X-Client", "offline").build()).statusCode();
        assertTrue(status == 200 || status == 429, "never an error: " + status);
        passed += status == 200 ? 1 : 0;
      }
      assertEquals(4, passed, "the limit holds in process while Redis is away");
    } finally {
      harness.restartRedis();
    }
  }

  @Test
  void loadIsSpreadAndADeadTargetIsSkipped() {
    int a = harness.namedBackend("a");
    int b = harness.namedBackend("b");
    int dead = Harness.freePort();
    site("spread.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + a).add("127.0.0.1:" + b)));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      counts.merge(new String(get("spread.example.net", Map.of()).body(), StandardCharsets.UTF_8).split("\n")[0], 1, Integer::sum);
    }
    assertEquals(Map.of("a", 5, "b", 5), counts);

    site("failover.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + dead)
        .add("127.0.0.1:" + a)).put("retries", 1).put("loadBalancing", "least-pending"));
    for (int i = 0; i < 6; i++) {
      HttpResponse<byte[]> response = get("failover.example.net", Map.of());
      assertEquals(200, response.statusCode(), "a GET is retried on the live target");
      assertTrue(new String(response.body(), StandardCharsets.UTF_8).startsWith("a\n"));
    }
    HttpResponse<String> post = harness.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort() + "/"))
        .header("Host", "failover.example.net").POST(HttpRequest.BodyPublishers.ofString("x")).build());
    assertEquals(200, post.statusCode(), "the dead target rests: even a POST goes to the live one");
  }

  /** Each site balances over its own targets: two sites asked in turn do not split one counter between them. */
  @Test
  void eachSiteTakesItsOwnTurnsAmongItsTargets() {
    site("turns-one.example.net", new JsonObject().put("targets", new JsonArray()
        .add("127.0.0.1:" + harness.namedBackend("one-a")).add("127.0.0.1:" + harness.namedBackend("one-b"))));
    site("turns-two.example.net", new JsonObject().put("targets", new JsonArray()
        .add("127.0.0.1:" + harness.namedBackend("two-a")).add("127.0.0.1:" + harness.namedBackend("two-b"))));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 8; i++) {
      String host = i % 2 == 0 ? "turns-one.example.net" : "turns-two.example.net";
      counts.merge(new String(get(host, Map.of()).body(), StandardCharsets.UTF_8).split("\n")[0], 1, Integer::sum);
    }
    assertEquals(Map.of("one-a", 2, "one-b", 2, "two-a", 2, "two-b", 2), counts);
  }

  @Test
  void jwtsAreRequiredOnChosenPathsAndTheirClaimsPassedOn() throws Exception {
    String secret = "an hs256 secret of at least 32 chars!";
    int backend = harness.namedBackend("jwt");
    site("jwt.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend))
        .put("jwt", new JsonObject().put("pathPrefixes", new JsonArray().add("/api/"))
            .put("keys", new JsonArray().add(new JsonObject().put("alg", "HS256").put("secret", secret)))
            .put("issuer", "idp").put("claimHeaders", new JsonObject().put("sub", "X-User-Id"))));
    assertFalse(admin.get("/api/v1/sites/jwt.example.net", token).body().contains(secret), "the secret is write-only");
    io.vertx.ext.auth.jwt.JWTAuth signer = io.vertx.ext.auth.jwt.JWTAuth.create(harness.testVertx,
        new io.vertx.ext.auth.jwt.JWTAuthOptions().addPubSecKey(new io.vertx.ext.auth.PubSecKeyOptions()
            .setAlgorithm("HS256").setBuffer(secret)));
    JsonObject claims = new JsonObject().put("sub", "alice").put("iss", "idp");
    String valid = signer.generateToken(claims, new io.vertx.ext.auth.JWTOptions().setExpiresInSeconds(60));
    long now = System.currentTimeMillis() / 1000;

    HttpResponse<byte[]> none = getPath("jwt.example.net", "/api/orders", Map.of());
    assertEquals(401, none.statusCode());
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    HttpResponse<byte[]> open = getPath("jwt.example.net", "/public", Map.of("X-User-Id", "mallory"));
    assertEquals(200, open.statusCode(), "paths outside the prefixes need no token");
    assertFalse(new String(open.body(), StandardCharsets.UTF_8).contains("mallory"), "client-sent claim headers are dropped");
    HttpResponse<byte[]> ok = getPath("jwt.example.net", "/api/orders", Map.of("Authorization", "Bearer " + valid,
        "X-User-Id", "mallory"));
    assertEquals(200, ok.statusCode());
    String seen = new String(ok.body(), StandardCharsets.UTF_8);
    assertTrue(seen.contains("x-user-id: alice\n") && !seen.contains("mallory"), seen);

    String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    String body = Base64.getUrlEncoder().withoutPadding().encodeToString(claims.copy().put("exp", now + 60).encode()
        .getBytes(StandardCharsets.UTF_8));
    for (String bad : List.of(header + "." + body + ".",
        io.vertx.ext.auth.jwt.JWTAuth.create(harness.testVertx, new io.vertx.ext.auth.jwt.JWTAuthOptions().addPubSecKey(
            new io.vertx.ext.auth.PubSecKeyOptions().setAlgorithm("HS256").setBuffer("another secret that is long enough!!")))
            .generateToken(claims, new io.vertx.ext.auth.JWTOptions().setExpiresInSeconds(60)),
        signer.generateToken(claims.copy().put("exp", now - 120).put("iat", now - 240), new io.vertx.ext.auth.JWTOptions()),
        signer.generateToken(claims.copy().put("iss", "someone else"), new io.vertx.ext.auth.JWTOptions().setExpiresInSeconds(60)))) {
      assertEquals(401, getPath("jwt.example.net", "/api/orders", Map.of("Authorization", "Bearer " + bad)).statusCode(), bad);
    }
  }

  @Test
  void jwtKeysComeFromAJwks() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    java.security.KeyPair pair = generator.generateKeyPair();
    java.security.interfaces.RSAPublicKey publicKey = (java.security.interfaces.RSAPublicKey) pair.getPublic();
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    JsonObject jwk = new JsonObject().put("kty", "RSA").put("alg", "RS256").put("use", "sig").put("kid", "k1")
        .put("n", url.encodeToString(unsigned(publicKey.getModulus()))).put("e", url.encodeToString(unsigned(publicKey.getPublicExponent())));
    int idp = harness.backend(request -> request.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("keys", new JsonArray().add(jwk)).encode()));
    int backend = harness.namedBackend("jwks");
    site("jwks.example.net", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend))
        .put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/jwks.json")
            .put("claimHeaders", new JsonObject().put("sub", "X-User-Id"))));
    String privatePem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    String signed = io.vertx.ext.auth.jwt.JWTAuth.create(harness.testVertx, new io.vertx.ext.auth.jwt.JWTAuthOptions()
            .addPubSecKey(new io.vertx.ext.auth.PubSecKeyOptions().setAlgorithm("RS256").setBuffer(privatePem).setId("k1")))
        .generateToken(new JsonObject().put("sub", "bob"), new io.vertx.ext.auth.JWTOptions().setAlgorithm("RS256")
            .setExpiresInSeconds(60));
    HttpResponse<byte[]> ok = getPath("jwks.example.net", "/", Map.of("Authorization", "Bearer " + signed));
    assertEquals(200, ok.statusCode(), new String(ok.body(), StandardCharsets.UTF_8));
    assertTrue(new String(ok.body(), StandardCharsets.UTF_8).contains("x-user-id: bob\n"));
    assertEquals(401, getPath("jwks.example.net", "/", Map.of()).statusCode());
  }

  private static byte[] unsigned(java.math.BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private HttpResponse<byte[]> getPath(String host, String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort() + path))
        .header("Host", host).timeout(Duration.ofSeconds(10));
    headers.forEach(request::header);
    try {
      return harness.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] gzip(String text) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
        gzip.write(text.getBytes(StandardCharsets.UTF_8));
      }
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String decode(String encoding, byte[] body) throws Exception {
    if (encoding == null) {
      return new String(body, StandardCharsets.UTF_8);
    }
    return switch (encoding) {
      case "gzip" -> new String(new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes(), StandardCharsets.UTF_8);
      case "zstd" -> new String(new com.github.luben.zstd.ZstdInputStream(new ByteArrayInputStream(body)).readAllBytes(),
          StandardCharsets.UTF_8);
      case "br" -> {
        Brotli4jLoader.ensureAvailability();
        yield new String(Decoder.decompress(body).getDecompressedData(), StandardCharsets.UTF_8);
      }
      default -> throw new AssertionError("unexpected encoding " + encoding);
    };
  }
}
