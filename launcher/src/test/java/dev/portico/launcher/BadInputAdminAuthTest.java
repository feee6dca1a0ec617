package dev.portico.launcher;

import dev.portico.contract.PasswordHash;
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

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on the admin API's identities: tokens of deleted users, stale roles, racing and
 * shared-address login throttling, tenant-chosen password hash costs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputAdminAuthTest {

  private static final String ADMIN_PASSWORD = "bad input admin password";

  private Harness harness;
  private AdminClient api;
  private String admin;

  @BeforeAll
  void start() throws Exception {
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", ADMIN_PASSWORD));
    api = new AdminClient(harness.portico.config().adminPort());
    admin = api.login("admin", ADMIN_PASSWORD);
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  @Test
  void aDeletedUsersTokensDoNotAuthenticateANewUserOfTheSameName() {
    createUser("dave", "dave password 1", "user");
    String jwt = api.login("dave", "dave password 1");
    String apiToken = apiToken(jwt, "write");
    assertEquals(200, api.get("/api/v1/auth/me", jwt).status());
    assertEquals(200, api.get("/api/v1/auth/me", apiToken).status());

    AdminClient.Answer site = api.put("/api/v1/sites/dave.example.net", admin,
        new JsonObject().put("targets", new JsonArray().add("127.0.0.1:9")).put("owner", "dave"));
    assertEquals(201, site.status(), site.body());
    AdminClient.Answer owner = api.delete("/api/v1/users/dave", admin);
    assertEquals(409, owner.status(), "a later dave would get his site: " + owner.body());
    assertEquals(204, api.delete("/api/v1/sites/dave.example.net", admin).status());
    assertEquals(204, api.delete("/api/v1/users/dave", admin).status());
    createUser("dave", "dave password 2", "admin");

    for (String old : List.of(jwt, apiToken)) {
      AdminClient.Answer users = api.get("/api/v1/users", old);
      assertEquals(401, users.status(), "the old dave's token must not act as the new (admin) dave: " + users.body());
      assertEquals(401, api.get("/api/v1/auth/me", old).status());
    }
    String newJwt = api.login("dave", "dave password 2");
    assertEquals(200, api.get("/api/v1/users", newJwt).status(), "the new dave is an admin");
  }

  @Test
  void aDemotionAppliesToTokensAlreadyIssued() {
    createUser("erin", "erin password 1", "admin");
    String jwt = api.login("erin", "erin password 1");
    String apiToken = apiToken(jwt, "write");
    assertEquals(200, api.get("/api/v1/users", jwt).status());
    assertEquals(200, api.get("/api/v1/users", apiToken).status());

    assertEquals(200, api.call("PATCH", "/api/v1/users/erin", admin, new JsonObject().put("role", "user")).status());
    assertEquals(403, api.get("/api/v1/users", jwt).status(), "the JWT says admin; the user record says user");
    assertEquals(403, api.get("/api/v1/users", apiToken).status());
    assertEquals("user", api.get("/api/v1/auth/me", jwt).json().getString("role"));
  }

  @Test
  void parallelWrongPasswordsAreCountedBeforeAnyIsChecked() throws Exception {
    createUser("frank", "frank password 1", "user");
    List<Integer> statuses = parallelLogins("127.0.0.2", "frank", 15);
    long checked = statuses.stream().filter(status -> status == 401).count();
    long refused = statuses.stream().filter(status -> status == 429).count();
    assertEquals(15, checked + refused, statuses.toString());
    assertTrue(checked <= 5, "at most 5 passwords checked, got " + statuses);
    assertEquals(429, loginFrom("127.0.0.2", "frank", "frank password 1"), "the pair stays blocked");
    assertEquals(200, loginFrom("127.0.0.3", "frank", "frank password 1"),
        "frank signs in from another address: one address cannot lock a user out");
  }

  @Test
  void oneBadAddressDoesNotLockOutOthers() throws Exception {
    createUser("gina", "gina password 1", "user");
    createUser("hank", "hank password 1", "user");
    int checked = 0;
    boolean blocked = false;
    for (int round = 0; !blocked && round < 20; round++) {
      // first gina, up to her limit from this address, then a fresh name each round (5: within its pair limit)
      List<Integer> statuses = parallelLogins("127.0.0.4", round == 0 ? "gina" : "nobody" + round, 5);
      checked += (int) statuses.stream().filter(s -> s == 401).count();
      blocked = round > 0 && statuses.contains(429);
    }
    assertTrue(blocked, "the guessing address is blocked");
    assertTrue(checked <= 30, "passwords checked from one address: " + checked);
    assertEquals(429, loginFrom("127.0.0.4", "hank", "hank password 1"), "for every user, hank too");
    assertEquals(200, loginFrom("127.0.0.5", "gina", "gina password 1"), "the attacked user signs in elsewhere");
    assertEquals(200, loginFrom("127.0.0.5", "hank", "hank password 1"), "and so does everyone else");
  }

  @Test
  void unknownAndKnownUsersAnswerAlike() throws Exception {
    createUser("ivan", "ivan password 1", "user");
    int known = loginFrom("127.0.0.6", "ivan", "not ivan's password");
    int unknown = loginFrom("127.0.0.6", "no-such-user", "not anyone's password");
    assertEquals(401, known);
    assertEquals(401, unknown);
  }

  /** More password checks at once than the pool takes: the rest get 503 at once, and the API stays usable. */
  @Test
  void aFloodOfLoginsIsRefusedPastThePasswordPool() throws Exception {
    int count = 40;
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String from = "127.0.3." + (10 + i);
        String user = "flood" + i;
        answers.add(pool.submit(() -> loginFrom(from, user, "flood password")));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        statuses.add(answer.get());
      }
      assertTrue(statuses.stream().allMatch(status -> status == 401 || status == 503), statuses.toString());
      assertTrue(statuses.contains(503), "at most 18 checks run or wait at once: " + statuses);
    } finally {
      pool.shutdownNow();
    }
    Harness.waitFor(() -> api.post("/api/v1/auth/login", null, new JsonObject().put("username", "admin")
        .put("password", ADMIN_PASSWORD)).status() == 200, 30_000);
  }

  @Test
  void basicAuthHashesWithForeignCostsAreRefused() throws Exception {
    String costly = "pbkdf2-sha256$6000000$" + base64(16) + "$" + base64(32);
    try (RecordingBackend backend = new RecordingBackend(harness.testVertx)) {
      JsonObject site = new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend.port()))
          .put("basicAuth", new JsonObject().put("realm", "r").put("users", new JsonObject().put("joe", costly)));
      AdminClient.Answer written = api.put("/api/v1/sites/costly.example.net", admin, site);
      assertEquals(400, written.status(), written.body());
      assertEquals("basicAuth.users", written.json().getString("field"), written.body());
      AdminClient.Answer cheap = api.put("/api/v1/sites/cheap.example.net", admin, site.copy().put("basicAuth",
          new JsonObject().put("users", new JsonObject().put("joe", "pbkdf2-sha256$1000$" + base64(16) + "$" + base64(32)))));
      assertEquals(400, cheap.status(), "a lower cost is not Portico's either: " + cheap.body());
      AdminClient.Answer own = api.put("/api/v1/sites/own-hash.example.net", admin, site.copy().put("basicAuth",
          new JsonObject().put("users", new JsonObject().put("joe", PasswordHash.hash("joe's password")))));
      assertEquals(201, own.status(), "a hash with Portico's own parameters is taken: " + own.body());

      harness.putSite("costly.example.net", site.encode());
      String authorization = "Basic " + Base64.getEncoder().encodeToString("joe:guess".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> answer = harness.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + harness.httpPort() + "/private"))
            .header("Host", "costly.example.net").header("Authorization", authorization)
            .timeout(Duration.ofSeconds(10)).build());
        assertEquals(401, answer.statusCode(), answer.body());
      }
      assertEquals(List.of(), backend.requests(), "nothing reached the backend");
    }
  }

  /**
   * A node on embedded Redis without PORTICO_SECRET_KEY makes its own key once, in a file only its
   * user can read, and keeps using it; the JWT signing key in Redis is sealed with it, and a
   * signing key planted in clear in Redis is never used.
   */
  @Test
  void aSingleNodeKeepsAGeneratedSecretKeyInItsDataDir() throws Exception {
    Path dataDir = Files.createTempDirectory("portico-secret-key");
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_EMBEDDED_REDIS_PORT", Integer.toString(Harness.freePort()));
    env.put("PORTICO_DATA_DIR", dataDir.toString());
    env.put("PORTICO_ROLES", "admin");
    env.put("PORTICO_ADMIN_PASSWORD", ADMIN_PASSWORD);
    Path keyFile = dataDir.resolve("secret.key");
    AdminClient node = new AdminClient(Integer.parseInt(env.get("PORTICO_ADMIN_PORT")));
    String key;
    String jwt;
    String planted = planted();
    try (Portico first = Portico.start(PorticoConfig.fromEnvironment(env))) {
      assertTrue(Files.exists(keyFile), "the key file is created");
      assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(keyFile));
      key = Files.readString(keyFile);
      var redis = io.vertx.redis.client.RedisAPI.api(io.vertx.redis.client.Redis.createClient(first.vertx(),
          "redis://127.0.0.1:" + env.get("PORTICO_EMBEDDED_REDIS_PORT")));
      String stored = Harness.await(redis.get("portico:jwt-signing-key")).toString();
      assertTrue(new JsonObject(stored).getString("privateKey").startsWith("aesgcm1:"), "sealed: " + stored);
      jwt = node.login("admin", ADMIN_PASSWORD);
      // someone who can write Redis plants a signing key of their own, in clear
      Harness.await(redis.set(List.of("portico:jwt-signing-key", planted)));
      Thread.sleep(1100);                                  // appendfsync everysec
    }
    try (Portico second = Portico.start(PorticoConfig.fromEnvironment(env))) {
      assertEquals(key, Files.readString(keyFile), "the same key after a restart");
      String forged = forgedWith(second.vertx(), planted);
      assertEquals(401, node.get("/api/v1/auth/me", forged).status(), "a key planted in clear is never used");
      assertEquals(200, node.get("/api/v1/auth/me", node.login("admin", ADMIN_PASSWORD)).status());
      assertEquals(401, node.get("/api/v1/auth/me", jwt).status(), "the planted key replaced the old one: "
          + "tokens signed before are gone with it");
    }
  }

  /**
   * Records from before user ids: an admin node starting gives the user an id and binds its API
   * token to it, but deletes a token older than the user record (made for an earlier namesake).
   */
  @Test
  void recordsFromBeforeUserIdsAreBoundOrDroppedAtStart() throws Exception {
    long userCreated = System.currentTimeMillis() - 60_000;
    Harness.await(harness.redisApi.set(List.of("portico:user:olga", new JsonObject().put("username", "olga")
        .put("role", "admin").put("passwordHash", PasswordHash.hash("olga password 1")).put("createdAt", userCreated)
        .encode())));
    Harness.await(harness.redisApi.zadd(List.of("portico:user-index", "0", "olga")));
    String kept = legacyToken("olga", userCreated + 1000);
    String dropped = legacyToken("olga", userCreated - 1000);
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + harness.redisPort);
    env.put("PORTICO_SECRET_KEY", Harness.SECRET_KEY);
    env.put("PORTICO_ROLES", "admin");
    try (Portico upgraded = Portico.start(PorticoConfig.fromEnvironment(env))) {
      AdminClient node = new AdminClient(upgraded.config().adminPort());
      JsonObject me = node.get("/api/v1/auth/me", kept).json();
      assertEquals("olga", me.getString("username"), me.encode());
      String id = new JsonObject(Harness.await(harness.redisApi.get("portico:user:olga")).toString()).getString("id");
      assertEquals(id, me.getString("id"));
      assertEquals(401, node.get("/api/v1/auth/me", dropped).status(), "older than the user: not hers");
      assertEquals(null, Harness.await(harness.redisApi.get("portico:api-token:" + dropped.substring(4, 20))));
    }
  }

  /** An API token stored as before user ids: owner by name only. */
  private String legacyToken(String owner, long createdAt) throws Exception {
    byte[] random = new byte[8];
    new java.security.SecureRandom().nextBytes(random);
    String id = java.util.HexFormat.of().formatHex(random);
    String token = "pat_" + id + "_" + base64(32).replace('+', '-').replace('/', '_');
    String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(token.getBytes(StandardCharsets.UTF_8)));
    Harness.await(harness.redisApi.set(List.of("portico:api-token:" + id, new JsonObject().put("id", id)
        .put("name", "old").put("owner", owner).put("scope", "read").put("createdAt", createdAt)
        .put("sha256", sha256).encode())));
    Harness.await(harness.redisApi.zadd(List.of("portico:api-token-index", "0", id)));
    return token;
  }

  @Test
  void anExternalRedisWithoutASecretKeyIsRefused() {
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + harness.redisPort);
    env.put("PORTICO_ROLES", "admin");
    ConfigException refused = assertThrows(ConfigException.class, () -> Portico.start(PorticoConfig.fromEnvironment(env)));
    assertTrue(refused.getMessage().startsWith("PORTICO_SECRET_KEY is required"), refused.getMessage());
  }

  /** A signing key as the admin API stores it, but in clear. */
  private static String planted() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    return new JsonObject().put("alg", "ES256").put("privateKey", "plain:" + pem("PRIVATE KEY", pair.getPrivate().getEncoded()))
        .put("publicKey", pem("PUBLIC KEY", pair.getPublic().getEncoded())).encode();
  }

  private static String forgedWith(io.vertx.core.Vertx vertx, String planted) {
    String privatePem = new JsonObject(planted).getString("privateKey").substring("plain:".length());
    JsonObject claims = new JsonObject().put("sub", "admin").put("role", "admin").put("jti", "planted-1")
        .put("iss", "portico").put("aud", "portico-admin");
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256")
        .setBuffer(privatePem))).generateToken(claims, new JWTOptions().setAlgorithm("ES256").setExpiresInSeconds(600));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private void createUser(String name, String password, String role) {
    AdminClient.Answer created = api.post("/api/v1/users", admin,
        new JsonObject().put("username", name).put("password", password).put("role", role));
    assertEquals(201, created.status(), created.body());
  }

  private String apiToken(String jwt, String scope) {
    AdminClient.Answer created = api.post("/api/v1/tokens", jwt, new JsonObject().put("name", "t").put("scope", scope));
    assertEquals(201, created.status(), created.body());
    return created.json().getString("token");
  }

  private List<Integer> parallelLogins(String from, String user, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String password = "wrong guess " + i;
        answers.add(pool.submit(() -> loginFrom(from, user, password)));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        statuses.add(answer.get());
      }
      return statuses;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The status of a login sent from the local address {@code from} (any 127.x address is local). */
  private int loginFrom(String from, String user, String password) throws Exception {
    byte[] body = new JsonObject().put("username", user).put("password", password).encode()
        .getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", harness.portico.config().adminPort()), 5_000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(response.substring(9, 12));
    }
  }

  private static String base64(int bytes) {
    byte[] random = new byte[bytes];
    new java.security.SecureRandom().nextBytes(random);
    return Base64.getEncoder().withoutPadding().encodeToString(random);
  }
}
