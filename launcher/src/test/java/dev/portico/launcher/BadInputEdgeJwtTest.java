package dev.portico.launcher;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigInteger;
import java.net.http.HttpResponse;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input against the edge's JWT checks: unsigned and wrongly signed tokens, and JWKS servers
 * that publish no usable key, too many keys, secrets, or an endless body; a tenant's JWKS at the
 * node itself. Every refused case asserts that the backend received nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputEdgeJwtTest {

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private static final String HS_SECRET = "a published hmac secret, long enough";

  private Harness harness;
  private RecordedSites sites;
  private KeyPair rsa;
  private JsonObject rsaJwk;
  /** An RS256 token signed with {@link #rsa}, valid for the test's duration. */
  private String rsaToken;

  @BeforeAll
  void start() throws Exception {
    harness = new Harness();
    sites = new RecordedSites(harness);
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
  }

  @AfterAll
  void stop() {
    sites.close();
    harness.close();
  }

  @BeforeEach
  void clear() {
    sites.backend.clear();
  }

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
      HttpResponse<String> response = sites.get(pattern, "/", Map.of("Authorization", "Bearer " + token));
      assertTrue(response.statusCode() == 401 || response.statusCode() == 503, token + " -> " + response.statusCode());
      sites.assertRefused(response.statusCode(), response);
    }
  }

  @Test
  void anEmptyJwksAcceptsNoToken() {
    AtomicInteger requests = new AtomicInteger();
    int idp = jwksServer("{\"keys\": []}", requests);
    sites.site("empty-jwks.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    assertNoTokenPasses("empty-jwks.bad.test");
    sites.assertRefused(503, sites.get("empty-jwks.bad.test", "/", Map.of("Authorization", "Bearer " + rsaToken)));
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
    sites.site("odd-jwks.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    assertNoTokenPasses("odd-jwks.bad.test");
  }

  @Test
  void aSitesOwnKeysStillCountWhenItsJwksCannotBeFetched() {
    int idp = Harness.freePort();  // nothing listens: every fetch fails
    sites.site("own-keys.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")
        .put("keys", new JsonArray().add(new JsonObject().put("alg", "HS256").put("secret", HS_SECRET)))));
    for (String token : List.of(unsignedToken(true), unsignedToken(false), rsaToken, hs256Token(HS_SECRET + "!"))) {
      sites.assertRefused(401, sites.get("own-keys.bad.test", "/", Map.of("Authorization", "Bearer " + token)));
    }
    assertEquals(200, sites.get("own-keys.bad.test", "/", Map.of("Authorization", "Bearer " + hs256Token(HS_SECRET))).statusCode());
  }

  @Test
  void aJwksWithTooManyKeysIsRefusedWhole() {
    JsonArray keys = new JsonArray();
    for (int i = 0; i <= 100; i++) {
      keys.add(rsaJwk.copy().put("kid", i == 0 ? "k1" : "k" + (i + 1)));
    }
    int idp = jwksServer(new JsonObject().put("keys", keys).encode(), new AtomicInteger());
    sites.site("many-jwks.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    sites.assertRefused(503, sites.get("many-jwks.bad.test", "/", Map.of("Authorization", "Bearer " + rsaToken)));
  }

  @Test
  void onlyTheAlgorithmsOfTheJwksKeysAreAccepted() {
    int idp = jwksServer(new JsonObject().put("keys", new JsonArray().add(rsaJwk)).encode(), new AtomicInteger());
    sites.site("rsa-jwks.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    String publicPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    for (String token : List.of(unsignedToken(true), unsignedToken(false), hs256Token(HS_SECRET), hs256Token(publicPem),
        rsaToken.substring(0, rsaToken.lastIndexOf('.') + 1), "a.b.c", rsaToken + ".x")) {
      sites.assertRefused(401, sites.get("rsa-jwks.bad.test", "/", Map.of("Authorization", "Bearer " + token)));
    }
    HttpResponse<String> signed = sites.get("rsa-jwks.bad.test", "/", Map.of("Authorization", "Bearer " + rsaToken));
    assertEquals(200, signed.statusCode(), signed.body());
    assertEquals(1, sites.backend.requests().size());
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
    sites.site("endless-jwks.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    sites.assertRefused(503, sites.get("endless-jwks.bad.test", "/", Map.of("Authorization", "Bearer " + rsaToken)));
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
    sites.site("huge-jwks.bad.test", new JsonObject().put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    sites.assertRefused(503, sites.get("huge-jwks.bad.test", "/", Map.of("Authorization", "Bearer " + rsaToken)));
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

  @Test
  void aTenantsJwksIsNeverFetchedFromTheNode() {
    AtomicInteger requests = new AtomicInteger();
    int idp = jwksServer(new JsonObject().put("keys", new JsonArray().add(rsaJwk)).encode(), requests);
    sites.storedSite("jwks.tenant.bad.test", new JsonObject().put("owner", "mallory")
        .put("targets", new JsonArray().add("127.0.0.1:" + sites.backend.port()))
        .put("jwt", new JsonObject().put("jwksUrl", "http://127.0.0.1:" + idp + "/")));
    sites.assertRefused(503, sites.get("jwks.tenant.bad.test", "/", Map.of("Authorization", "Bearer " + rsaToken)));
    assertEquals(0, requests.get(), "the JWKS server was never asked");
  }
}
