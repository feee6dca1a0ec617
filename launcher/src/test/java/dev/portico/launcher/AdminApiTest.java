package dev.portico.launcher;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.portico.contract.SecretBox;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API against a real Redis, the real admin, lookup and edge verticles, over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AdminApiTest {

  private static final String ADMIN_PASSWORD = "correct horse battery staple";
  private static final String SECRET_KEY = "0123456789abcdef0123456789abcdef01234567890=";
  private static final String DNS_TOKEN = "cf-token-7d1f5a9c3e";

  private Harness harness;
  private AdminClient api;
  private String admin;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  /** Every secret the test hands over or receives: none may ever show up in a log line. */
  private final List<String> secrets = new ArrayList<>(List.of(ADMIN_PASSWORD, SECRET_KEY, DNS_TOKEN));

  @BeforeAll
  void start() throws Exception {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", ADMIN_PASSWORD,
        "PORTICO_SECRET_KEY", SECRET_KEY));
    api = new AdminClient(harness.portico.config().adminPort());
    admin = api.login("admin", ADMIN_PASSWORD);
    secrets.add(admin);
  }

  @AfterAll
  void stop() {
    harness.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  @Test
  void everyRouteNeedsAValidToken() throws Exception {
    AdminClient.Answer missing = api.get("/api/v1/sites", null);
    assertEquals(401, missing.status());
    assertEquals("unauthorized", missing.json().getString("error"));
    assertEquals(401, api.get("/api/v1/sites", "not.a.jwt").status());
    assertEquals(401, api.get("/api/v1/sites", "pat_0123456789abcdef_nope").status());

    String adminId = api.get("/api/v1/auth/me", admin).json().getString("id");
    JsonObject claims = new JsonObject().put("sub", "admin").put("uid", adminId).put("jti", "forged-1")
        .put("iss", "portico").put("aud", "portico-admin");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    var otherKey = generator.generateKeyPair();
    String forged = JWTAuth.create(harness.testVertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
            .setAlgorithm("ES256").setBuffer(pem("PRIVATE KEY", otherKey.getPrivate().getEncoded()))))
        .generateToken(claims, new JWTOptions().setAlgorithm("ES256").setExpiresInSeconds(600));
    assertEquals(401, api.get("/api/v1/sites", forged).status(), "signed with another key");

    String header = b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String payload = b64url(claims.copy().put("exp", System.currentTimeMillis() / 1000 + 600).encode());
    assertEquals(401, api.get("/api/v1/sites", header + "." + payload + ".").status(), "alg none");

    String expired = realKey().generateToken(claims.copy().put("exp", System.currentTimeMillis() / 1000 - 60)
        .put("iat", System.currentTimeMillis() / 1000 - 120), new JWTOptions().setAlgorithm("ES256"));
    AdminClient.Answer expiredAnswer = api.get("/api/v1/sites", expired);
    assertEquals(401, expiredAnswer.status());
    assertTrue(expiredAnswer.json().getString("detail").contains("expired"), expiredAnswer.body());

    String valid = realKey().generateToken(claims.copy().put("jti", "valid-1"),
        new JWTOptions().setAlgorithm("ES256").setExpiresInSeconds(600));
    assertEquals(200, api.get("/api/v1/sites", valid).status(), "the same claims signed with the real key pass");
  }

  @Test
  void logoutRevokesTheToken() {
    String token = api.login("admin", ADMIN_PASSWORD);
    assertEquals(200, api.get("/api/v1/auth/me", token).status());
    assertEquals(204, api.post("/api/v1/auth/logout", token, new JsonObject()).status());
    AdminClient.Answer after = api.get("/api/v1/auth/me", token);
    assertEquals(401, after.status());
    assertEquals("token revoked", after.json().getString("detail"));
    assertEquals(200, api.get("/api/v1/auth/me", admin).status(), "other tokens keep working");
  }

  @Test
  void aSiteWrittenThroughTheApiIsRoutedAtOnceAndDeletedAtOnce() {
    int backend = harness.namedBackend("api-shop");
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String host = "api-shop" + i + ".example.net";
      assertEquals(404, harness.get(host, "/").statusCode(), "a miss is cached first");
      AdminClient.Answer created = api.put("/api/v1/sites/" + host, admin,
          new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend)));
      long written = System.nanoTime();
      assertEquals(201, created.status(), created.body());
      assertEquals(host, created.json().getString("pattern"));
      Harness.waitFor(() -> harness.get(host, "/").statusCode() == 200, 2_000);
      delays.add((System.nanoTime() - written) / 1_000_000);
    }
    delays.sort(null);
    System.out.println("Site written through the API -> routed by the edge, ms: " + delays);
    assertTrue(delays.get(2) < 100, "median delay from the API's answer to routing: " + delays);
    assertTrue(harness.get("api-shop0.example.net", "/").body().startsWith("api-shop"));

    AdminClient.Answer read = api.get("/api/v1/sites/API-SHOP0.example.net.", admin);
    assertEquals(200, read.status());
    assertEquals("off", read.json().getJsonObject("site").getString("tls"));

    AdminClient.Answer replaced = api.put("/api/v1/sites/api-shop0.example.net", admin,
        new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend)).put("readTimeoutMs", 5000));
    assertEquals(200, replaced.status());

    assertEquals(204, api.delete("/api/v1/sites/api-shop0.example.net", admin).status());
    Harness.waitFor(() -> harness.get("api-shop0.example.net", "/").statusCode() == 404, 10_000);  // below the 30 s hit TTL
    assertEquals(404, api.get("/api/v1/sites/api-shop0.example.net", admin).status());
    assertEquals(404, api.delete("/api/v1/sites/api-shop0.example.net", admin).status());
  }

  @Test
  void badSiteWritesAreRefusedNamingTheFieldAndWriteNothing() {
    String path = "/api/v1/sites/bad.example.net";
    assertBadRequest(api.put(path, admin, new JsonObject().put("targets", new JsonArray().add("a:1")).put("colour", "red")), "colour");
    assertBadRequest(api.put(path, admin, new JsonObject().put("targets", new JsonArray().add("no-port"))), "targets");
    assertBadRequest(api.put(path, admin, new JsonObject().put("targets", new JsonArray().add("a:70000"))), "targets");
    assertBadRequest(api.put(path, admin, new JsonObject().put("targets", new JsonArray())), "targets");
    assertBadRequest(api.put(path, admin, new JsonObject().put("targets", new JsonArray().add("a:1")).put("tls", "yes")), "tls");
    assertBadRequest(api.put(path, admin, new JsonObject().put("targets", new JsonArray().add("a:1")).put("readTimeoutMs", -1)), "readTimeoutMs");
    assertBadRequest(api.put(path, admin, new JsonObject().put("targets", new JsonArray().add("a:1")).put("owner", "nobody")), "owner");
    assertBadRequest(api.put("/api/v1/sites/a..b", admin, new JsonObject().put("targets", new JsonArray().add("a:1"))), "pattern");
    assertBadRequest(api.put("/api/v1/sites/..%2F..%2Fetc%2Fpasswd", admin, new JsonObject().put("targets", new JsonArray().add("a:1"))), "pattern");
    assertBadRequest(api.call("PUT", path, admin, "{\"targets\": [", "application/json"), null);
    assertBadRequest(api.call("PUT", path, admin, "[1,2]", "application/json"), null);
    AdminClient.Answer wrongType = api.call("PUT", path, admin, "targets=a:1", "application/x-www-form-urlencoded");
    assertEquals(415, wrongType.status());
    AdminClient.Answer huge = api.call("PUT", path, admin, "{\"targets\":[\"a:1\"],\"owner\":\"" + "x".repeat(400_000) + "\"}",
        "application/json");
    assertEquals(413, huge.status());
    assertEquals("payload too large", huge.json().getString("error"));
    assertEquals(404, api.get(path, admin).status(), "nothing was written");
    assertEquals(400, api.get("/api/v1/sites?limit=100000", admin).status(), "huge page size");
  }

  /** Last: the lookup verticle is busy for a while with the keyspace notifications of 100 000 writes. */
  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
  void listingPagesThroughAHundredThousandSitesInOrder() {
    int total = 100_000;
    for (int start = 0; start < total; start += 10_000) {
      List<String> mset = new ArrayList<>();
      List<String> zadd = new ArrayList<>(List.of("portico:site-index"));
      for (int i = start; i < start + 10_000; i++) {
        String pattern = String.format("bulk%06d.example.org", i);
        mset.add("portico:site:" + pattern);
        mset.add("{\"targets\":[\"127.0.0.1:9\"]}");
        zadd.add("0");
        zadd.add(pattern);
      }
      Harness.await(harness.redisApi.mset(mset));
      Harness.await(harness.redisApi.zadd(zadd));
    }
    int seen = 0;
    String after = null;
    String previous = "";
    long slowestPageMs = 0;
    do {
      long start = System.nanoTime();
      AdminClient.Answer page = api.get("/api/v1/sites?prefix=bulk&limit=1000" + (after == null ? "" : "&after=" + after), admin);
      slowestPageMs = Math.max(slowestPageMs, (System.nanoTime() - start) / 1_000_000);
      assertEquals(200, page.status());
      for (Object item : page.json().getJsonArray("items")) {
        String pattern = ((JsonObject) item).getString("pattern");
        assertTrue(pattern.compareTo(previous) > 0, "ordered: " + previous + " < " + pattern);
        previous = pattern;
        seen++;
      }
      after = page.json().getString("next");
    } while (after != null);
    assertEquals(total, seen);
    System.out.println("Listing 100000 sites in pages of 1000: slowest page " + slowestPageMs + " ms");

    JsonArray filtered = api.get("/api/v1/sites?prefix=bulk09999", admin).json().getJsonArray("items");
    assertEquals(10, filtered.size());
    assertEquals("bulk099990.example.org", filtered.getJsonObject(0).getString("pattern"));
  }

  @Test
  void usersSeeOnlyTheirOwnSitesAndNothingElse() {
    assertEquals(201, api.post("/api/v1/users", admin, new JsonObject().put("username", "alice")
        .put("password", "alice password 1").put("role", "user")).status());
    assertEquals(409, api.post("/api/v1/users", admin, new JsonObject().put("username", "alice")
        .put("password", "alice password 1").put("role", "user")).status());
    assertEquals(201, api.put("/api/v1/sites/admin-only.example.net", admin,
        new JsonObject().put("targets", new JsonArray().add("127.0.0.1:9"))).status());
    String alice = api.login("alice", "alice password 1");
    secrets.add(alice);
    assertEquals(201, api.put("/api/v1/users/alice/grants/alice.example.net", admin,
        new JsonObject().put("role", "manager")).status(), "a user creates sites inside the domains it manages");

    AdminClient.Answer own = api.put("/api/v1/sites/alice.example.net", alice,
        new JsonObject().put("targets", new JsonArray().add("10.0.0.9:9")));  // a user may not target loopback
    assertEquals(201, own.status(), own.body());
    assertEquals("alice", own.json().getJsonObject("site").getString("owner"));
    JsonArray listed = api.get("/api/v1/sites", alice).json().getJsonArray("items");
    assertEquals(List.of("alice.example.net"), listed.stream().map(i -> ((JsonObject) i).getString("pattern")).toList());
    assertEquals(404, api.get("/api/v1/sites/admin-only.example.net", alice).status());
    assertEquals(403, api.put("/api/v1/sites/admin-only.example.net", alice,
        new JsonObject().put("targets", new JsonArray().add("127.0.0.1:1"))).status());
    assertEquals(404, api.delete("/api/v1/sites/admin-only.example.net", alice).status());
    assertEquals(403, api.put("/api/v1/sites/stolen.example.net", alice,
        new JsonObject().put("targets", new JsonArray().add("127.0.0.1:1")).put("owner", "admin")).status());
    assertEquals(403, api.get("/api/v1/users", alice).status());
    assertEquals(403, api.get("/api/v1/dns-providers", alice).status());
    assertEquals(403, api.get("/api/v1/audit", alice).status());

    AdminClient.Answer users = api.get("/api/v1/users", admin);
    assertEquals(200, users.status());
    assertFalse(users.body().contains("pbkdf2"), users.body());
    assertFalse(users.body().contains("passwordHash"), users.body());

    assertEquals(200, api.call("PATCH", "/api/v1/users/alice", admin, new JsonObject().put("role", "admin")).status());
    assertEquals(200, api.get("/api/v1/users", alice).status(), "a promotion applies to the next request");
    assertEquals(409, api.delete("/api/v1/users/admin", admin).status(), "no deleting oneself");
    assertEquals(409, api.delete("/api/v1/users/alice", admin).status(), "alice still owns a site");
    assertEquals(204, api.delete("/api/v1/sites/alice.example.net", admin).status());
    assertEquals(204, api.delete("/api/v1/users/alice", admin).status());
    assertEquals(401, api.get("/api/v1/sites", alice).status(), "a deleted user's tokens stop working");
  }

  @Test
  void scopedApiTokensAreShownOnceAndRevocable() {
    AdminClient.Answer created = api.post("/api/v1/tokens", admin, new JsonObject().put("name", "ci").put("scope", "read"));
    assertEquals(201, created.status(), created.body());
    String token = created.json().getString("token");
    secrets.add(token);
    assertTrue(token.startsWith("pat_"));
    assertEquals(200, api.get("/api/v1/sites", token).status());
    AdminClient.Answer write = api.put("/api/v1/sites/by-token.example.net", token,
        new JsonObject().put("targets", new JsonArray().add("127.0.0.1:9")));
    assertEquals(403, write.status());
    AdminClient.Answer list = api.get("/api/v1/tokens", admin);
    assertTrue(list.body().contains("\"ci\""), list.body());
    assertFalse(list.body().contains(token.substring(21)), "the secret is not listed");
    assertFalse(list.body().contains("sha256"), list.body());
    String stored = Harness.await(harness.redisApi.get("portico:api-token:" + created.json().getString("id"))).toString();
    assertFalse(stored.contains(token.substring(21)), "Redis keeps only a hash");
    assertEquals(401, api.get("/api/v1/sites", token.substring(0, token.length() - 1) + "x").status());
    assertEquals(204, api.delete("/api/v1/tokens/" + created.json().getString("id"), admin).status());
    assertEquals(401, api.get("/api/v1/sites", token).status());
  }

  @Test
  void usersChangeTheirOwnPassword() {
    assertEquals(201, api.post("/api/v1/users", admin, new JsonObject().put("username", "carol")
        .put("password", "carol password 1").put("role", "user")).status());
    String carol = api.login("carol", "carol password 1");
    assertEquals(403, api.post("/api/v1/auth/password", carol, new JsonObject()
        .put("currentPassword", "not my password").put("newPassword", "carol password 2")).status());
    assertBadRequest(api.post("/api/v1/auth/password", carol, new JsonObject()
        .put("currentPassword", "carol password 1").put("newPassword", "short")), "newPassword");
    assertEquals(204, api.post("/api/v1/auth/password", carol, new JsonObject()
        .put("currentPassword", "carol password 1").put("newPassword", "carol password 2")).status());
    assertEquals(401, api.post("/api/v1/auth/login", null, new JsonObject().put("username", "carol")
        .put("password", "carol password 1")).status());
    assertNotNull(api.login("carol", "carol password 2"));
  }

  @Test
  void repeatedFailedLoginsAreRefusedFor429() {
    assertEquals(201, api.post("/api/v1/users", admin, new JsonObject().put("username", "bob")
        .put("password", "bob password 123").put("role", "user")).status());
    for (int i = 0; i < 5; i++) {
      AdminClient.Answer wrong = api.post("/api/v1/auth/login", null, new JsonObject().put("username", "bob")
          .put("password", "guess " + i));
      assertEquals(401, wrong.status());
    }
    AdminClient.Answer throttled = api.post("/api/v1/auth/login", null, new JsonObject().put("username", "bob")
        .put("password", "bob password 123"));
    assertEquals(429, throttled.status(), throttled.body());
    assertTrue(Long.parseLong(throttled.header("Retry-After")) > 0);
    assertEquals(200, api.get("/api/v1/auth/me", admin).status(), "other users are not affected");
  }

  @Test
  void dnsProviderCredentialsAreWriteOnlyAndSealed() {
    JsonObject provider = new JsonObject().put("type", "cloudflare").put("domains", new JsonArray().add("example.com"))
        .put("credentials", new JsonObject().put("apiToken", DNS_TOKEN));
    AdminClient.Answer created = api.put("/api/v1/dns-providers/cf-main", admin, provider);
    assertEquals(201, created.status(), created.body());
    assertEquals(new JsonArray().add("apiToken"), created.json().getJsonArray("credentialsSet"));
    for (AdminClient.Answer answer : List.of(created, api.get("/api/v1/dns-providers/cf-main", admin),
        api.get("/api/v1/dns-providers", admin), api.get("/api/v1/audit?limit=1000", admin))) {
      assertFalse(answer.body().contains(DNS_TOKEN), answer.body());
    }
    String stored = Harness.await(harness.redisApi.get("portico:dns-provider:cf-main")).toString();
    assertFalse(stored.contains(DNS_TOKEN), "sealed at rest");
    String sealed = new JsonObject(stored).getString("credentials");
    assertEquals(DNS_TOKEN, new JsonObject(SecretBox.fromSecret(SECRET_KEY).open(sealed, "portico:dns-provider:cf-main"))
        .getString("apiToken"), "the cert verticle can open it");

    AdminClient.Answer keepsCredentials = api.put("/api/v1/dns-providers/cf-main", admin,
        new JsonObject().put("type", "cloudflare").put("domains", new JsonArray().add("example.com").add("example.org")));
    assertEquals(200, keepsCredentials.status(), keepsCredentials.body());
    AdminClient.Answer redirected = api.put("/api/v1/dns-providers/cf-main", admin, new JsonObject()
        .put("type", "cloudflare").put("domains", new JsonArray().add("example.com"))
        .put("endpoint", "https://collector.attacker.example/v4"));
    assertBadRequest(redirected, "credentials");
    assertTrue(redirected.body().contains("new provider, type or endpoint"), redirected.body());
    assertFalse(Harness.await(harness.redisApi.get("portico:dns-provider:cf-main")).toString().contains("attacker"),
        "the stored credentials never go to a new endpoint without being given again");
    assertBadRequest(api.put("/api/v1/dns-providers/pb", admin, new JsonObject().put("type", "porkbun")
        .put("domains", new JsonArray().add("p.example")).put("credentials", new JsonObject().put("apiKey", "k"))), "credentials.secretApiKey");
    assertBadRequest(api.put("/api/v1/dns-providers/x", admin, new JsonObject().put("type", "route66")
        .put("domains", new JsonArray().add("x.example")).put("credentials", new JsonObject())), "type");
    assertEquals(409, api.put("/api/v1/dns-providers/other", admin, new JsonObject().put("type", "duckdns")
        .put("domains", new JsonArray().add("example.org")).put("credentials", new JsonObject().put("token", "t"))).status());
    assertEquals(204, api.delete("/api/v1/dns-providers/cf-main", admin).status());
  }

  @Test
  void wildcardTlsAutoSitesNeedADnsProviderAndStartTheirCertificate() throws Exception {
    java.util.concurrent.BlockingQueue<String> asked = new java.util.concurrent.LinkedBlockingQueue<>();
    var certRole = harness.portico.vertx().eventBus().<JsonObject>consumer("portico.cert.issue",
        message -> asked.add(message.body().getString("name")));
    Harness.await(certRole.completion());
    try {
      askedForWildcardCertificates(asked);
    } finally {
      Harness.await(certRole.unregister());
    }
  }

  private void askedForWildcardCertificates(java.util.concurrent.BlockingQueue<String> asked) throws Exception {
    JsonObject wildcard = new JsonObject().put("targets", new JsonArray().add("127.0.0.1:9")).put("tls", "auto")
        .put("includeApex", true);
    AdminClient.Answer refused = api.put("/api/v1/sites/*.dns01.example", admin, wildcard);
    assertBadRequest(refused, "tls");
    assertTrue(refused.body().contains("no DNS provider covers dns01.example"), refused.body());
    assertEquals(404, api.get("/api/v1/sites/*.dns01.example", admin).status(), "nothing written");

    assertEquals(201, api.put("/api/v1/dns-providers/dns01", admin, new JsonObject().put("type", "digitalocean")
        .put("domains", new JsonArray().add("dns01.example")).put("endpoint", "http://127.0.0.1:9/v2")
        .put("credentials", new JsonObject().put("apiToken", DNS_TOKEN))).status());
    AdminClient.Answer created = api.put("/api/v1/sites/*.dns01.example", admin, wildcard);
    assertEquals(201, created.status(), created.body());
    assertEquals(true, created.json().getJsonObject("site").getBoolean("includeApex"), created.body());
    assertEquals("*.dns01.example", asked.poll(5, java.util.concurrent.TimeUnit.SECONDS),
        "the certificate is asked for at once");
    // a name (HTTP-01 on demand) or tls manual needs no provider, and asks for nothing
    assertEquals(201, api.put("/api/v1/sites/*.manual.dns01.test", admin, wildcard.copy().put("tls", "manual")).status());
    assertEquals(201, api.put("/api/v1/sites/www.nodns.test", admin, wildcard).status());
    assertNull(asked.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS));
    // once issued, updating the site asks again only when the certificate must name something else
    Harness.await(harness.redisApi.set(List.of("portico:cert:*.dns01.example",
        TestCertificates.stored("*.dns01.example", "dns01.example"))));
    assertEquals(200, api.put("/api/v1/sites/*.dns01.example", admin, wildcard.copy().put("readTimeoutMs", 5000)).status());
    assertNull(asked.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS));
    assertEquals(200, api.put("/api/v1/sites/*.dns01.example", admin, wildcard.copy().put("includeApex", false)).status());
    assertEquals("*.dns01.example", asked.poll(5, java.util.concurrent.TimeUnit.SECONDS));
    Harness.await(harness.redisApi.del(List.of("portico:cert:*.dns01.example")));

    assertBadRequest(api.put("/api/v1/dns-providers/plain", admin, new JsonObject().put("type", "cloudflare")
        .put("domains", new JsonArray().add("plain.example")).put("endpoint", "http://api.plain.example/v4")
        .put("credentials", new JsonObject().put("apiToken", DNS_TOKEN))), "endpoint");
    assertEquals("http://127.0.0.1:9/v2", api.get("/api/v1/dns-providers/dns01", admin).json().getString("endpoint"));
    api.delete("/api/v1/sites/*.dns01.example", admin);
    api.delete("/api/v1/sites/*.manual.dns01.test", admin);
    api.delete("/api/v1/sites/www.nodns.test", admin);
    api.delete("/api/v1/dns-providers/dns01", admin);
  }

  @Test
  void everyChangeIsAudited() {
    api.put("/api/v1/sites/audited.example.net", admin, new JsonObject().put("targets", new JsonArray().add("127.0.0.1:9")));
    api.delete("/api/v1/sites/audited.example.net", admin);
    JsonArray entries = api.get("/api/v1/audit?limit=1000", admin).json().getJsonArray("items");
    JsonObject deleted = entries.stream().map(JsonObject.class::cast)
        .filter(e -> "site:audited.example.net".equals(e.getString("resource"))).findFirst().orElseThrow();
    assertEquals("site.delete", deleted.getString("action"), "newest first");
    assertEquals("admin", deleted.getString("who"));
    assertNotNull(deleted.getJsonObject("before"));
    assertNull(deleted.getValue("after"));
    assertTrue(deleted.getLong("at") > System.currentTimeMillis() - 60_000);
    assertFalse(entries.encode().contains("pbkdf2"), "password hashes are masked");
  }

  @Test
  void resolveExplainsWhichPatternWinsAndWhy() {
    for (String pattern : List.of("*.v1.example.com", "api.*.example.com", "**.example.com")) {
      assertEquals(201, api.put("/api/v1/sites/" + pattern, admin,
          new JsonObject().put("targets", new JsonArray().add("127.0.0.1:9"))).status());
    }
    try {
      Harness.waitFor(() -> api.get("/api/v1/resolve/API.v1.example.com", admin).json().getJsonArray("beats").size() == 2, 2_000);
    } catch (AssertionError e) {
      throw new AssertionError(api.get("/api/v1/resolve/API.v1.example.com", admin).body(), e);
    }
    JsonObject explained = api.get("/api/v1/resolve/API.v1.example.com", admin).json();
    assertEquals("api.v1.example.com", explained.getString("host"));
    assertEquals(new JsonObject().put("pattern", "*.v1.example.com").put("kind", "*"), explained.getJsonObject("match"));
    JsonArray beats = explained.getJsonArray("beats");
    assertEquals("api.*.example.com", beats.getJsonObject(0).getString("pattern"));
    assertEquals("label 3 from the right: 'v1' beats '*'", beats.getJsonObject(0).getString("why"));
    assertEquals("**", beats.getJsonObject(1).getString("kind"));
    assertEquals(400, api.get("/api/v1/resolve/bad_host!", admin).status());
    assertTrue(api.get("/api/v1/resolve/nothing.invalid", admin).json().getValue("match") == null);
  }

  @Test
  void manualCertificatesAreCheckedAndTheirKeysNeverShown(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String[] pair = openssl(dir, "cert-a", "manual.example.net");
    String[] other = openssl(dir, "cert-b", "manual.example.net");
    JsonObject upload = new JsonObject().put("certificatePem", pair[0]).put("privateKeyPem", pair[1]);
    AdminClient.Answer stored = api.put("/api/v1/certificates/manual.example.net", admin, upload);
    assertEquals(200, stored.status(), stored.body());
    assertEquals("manual", stored.json().getString("source"));
    assertTrue(stored.json().getLong("daysLeft") >= 28, stored.body());
    String raw = Harness.await(harness.redisApi.get("portico:cert:manual.example.net")).toString();
    assertTrue(new JsonObject(raw).getString("privateKey").startsWith("aesgcm1:"), "sealed at rest");
    secrets.add(pair[1].split("\n")[1]);

    AdminClient.Answer list = api.get("/api/v1/certificates", admin);
    assertTrue(list.body().contains("manual.example.net"), list.body());
    AdminClient.Answer one = api.get("/api/v1/certificates/manual.example.net", admin);
    assertTrue(one.json().getString("certificatePem").contains("BEGIN CERTIFICATE"));
    for (AdminClient.Answer answer : List.of(stored, list, one, api.get("/api/v1/audit?limit=1000", admin))) {
      assertFalse(answer.body().contains("PRIVATE KEY"), answer.body());
      assertFalse(answer.body().contains("privateKey\""), answer.body());
    }
    assertBadRequest(api.put("/api/v1/certificates/manual.example.net", admin,
        new JsonObject().put("certificatePem", pair[0]).put("privateKeyPem", other[1])), "privateKeyPem");
    assertBadRequest(api.put("/api/v1/certificates/other.example.net", admin, upload), "certificatePem");
    assertBadRequest(api.put("/api/v1/certificates/manual.example.net", admin,
        new JsonObject().put("certificatePem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")
            .put("privateKeyPem", pair[1])), "certificatePem");
    AdminClient.Answer renew = api.post("/api/v1/certificates/manual.example.net/renew", admin, new JsonObject());
    assertEquals(503, renew.status(), "no cert verticle runs in this node: " + renew.body());
    assertEquals(204, api.delete("/api/v1/certificates/manual.example.net", admin).status());
  }

  @Test
  void theOpenApiDocumentDescribesEveryRouteTheServerHas() {
    AdminClient.Answer doc = api.get("/api/v1/openapi.json", null);
    assertEquals(200, doc.status());
    JsonObject paths = doc.json().getJsonObject("paths");
    String prober = api.login("admin", ADMIN_PASSWORD);
    List<String[]> operations = new ArrayList<>();
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        operations.add(new String[] {method.toUpperCase(), path});
      }
    }
    // Logging out revokes the probing token: probe it last.
    operations.sort(java.util.Comparator.comparing(operation -> operation[1].endsWith("/logout")));
    for (String[] operation : operations) {
      String concrete = operation[1].replaceAll("\\{[a-z]+}", "probe-404.example.net");
      AdminClient.Answer answer = api.call(operation[0], concrete, prober, "{}", "application/json");
      assertFalse(answer.status() == 401 || answer.status() == 405 || answer.body().contains("no such resource"),
          operation[0] + " " + operation[1] + " is documented but not served: " + answer.status() + " " + answer.body());
    }
    assertTrue(operations.size() >= 25, "documented operations: " + operations.size());
    assertEquals(404, api.get("/api/v1/undocumented", admin).status());
  }

  @Test
  void redisDownAnswers503AndTheApiRecovers() {
    harness.stopRedis();
    try {
      AdminClient.Answer down = api.get("/api/v1/auth/me", admin);
      assertEquals(503, down.status(), down.body());
      assertEquals("unavailable", down.json().getString("error"));
    } finally {
      harness.restartRedis();
    }
    Harness.waitFor(() -> api.get("/api/v1/auth/me", admin).status() == 200, 10_000);
  }

  @AfterAll
  void noSecretWasEverLogged() {
    for (ILoggingEvent event : logs.list) {
      String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
      for (String secret : secrets) {
        assertFalse(line.contains(secret), "a secret was logged: " + line);
      }
    }
    assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("Failed login for user 'bob'")),
        "failed logins are logged (without the password)");
  }

  private JWTAuth realKey() {
    JsonObject stored = new JsonObject(Harness.await(harness.redisApi.get("portico:jwt-signing-key")).toString());
    String privatePem = SecretBox.fromSecret(SECRET_KEY).open(stored.getString("privateKey"), "portico:jwt-signing-key");
    return JWTAuth.create(harness.testVertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(privatePem)));
  }

  private static void assertBadRequest(AdminClient.Answer answer, String field) {
    assertEquals(400, answer.status(), answer.body());
    assertEquals("invalid request", answer.json().getString("error"), answer.body());
    assertEquals(field, answer.json().getString("field"), answer.body());
  }

  /** A self-signed EC certificate and its PKCS#8 key for {@code name}, made by the openssl CLI. */
  private static String[] openssl(Path dir, String file, String name) throws Exception {
    Path key = dir.resolve(file + ".key");
    Path cert = dir.resolve(file + ".pem");
    Process process = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "30",
        "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:" + name).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), "openssl (Debian package openssl) failed: " + output);
    return new String[] {Files.readString(cert), Files.readString(key)};
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static String b64url(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
