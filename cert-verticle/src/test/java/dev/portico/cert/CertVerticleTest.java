package dev.portico.cert;

import dev.portico.contract.Addresses;
import dev.portico.contract.CertKeys;
import dev.portico.contract.Pem;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.SecretBox;
import dev.portico.contract.StoredCertificate;
import dev.portico.edge.EdgeVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cert verticle against a real ACME CA (pebble): the challenges are answered by a real edge
 * verticle from a real Redis, two cert verticles run in two Vert.x instances.
 */
class CertVerticleTest {

  private static final String SECRET = "test secret key";

  private static RedisServer redisServer;
  private static int redisPort;
  private static Pebble pebble;
  private static Vertx nodeA;
  private static Vertx nodeB;
  private static Redis redis;
  private static RedisConnection subscriber;
  private static final BlockingQueue<String> certChanges = new LinkedBlockingQueue<>();

  private static final String METRICS = "cert-test";
  private static final io.micrometer.core.instrument.simple.SimpleMeterRegistry metrics =
      new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

  @BeforeAll
  static void start() throws Exception {
    redisPort = Pebble.freePort();
    redisServer = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort).build();
    redisServer.start();
    int httpPort = Pebble.freePort();
    pebble = new Pebble(httpPort);
    nodeA = Vertx.builder().with(new io.vertx.core.VertxOptions().setMetricsOptions(
            new io.vertx.micrometer.MicrometerMetricsOptions().setEnabled(true).setRegistryName(METRICS)))
        .withMetrics(new io.vertx.micrometer.MicrometerMetricsFactory(metrics)).build();
    nodeB = Vertx.vertx();
    redis = Redis.createClient(nodeA, new RedisOptions().setConnectionString(redisUrl(0)));
    await(nodeA.deployVerticle(new EdgeVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("host", "127.0.0.1").put("httpPort", httpPort).put("httpsPort", Pebble.freePort())
        .put("redisUrl", redisUrl(0)))));
    await(nodeA.deployVerticle(new CertVerticle(), new DeploymentOptions().setConfig(certConfig(0))));
    await(nodeB.deployVerticle(new CertVerticle(), new DeploymentOptions().setConfig(certConfig(0))));
    subscriber = await(Redis.createClient(nodeA, redisUrl(0)).connect());
    subscriber.handler(message -> {
      if (message.size() == 3 && "message".equals(message.get(0).toString())) {
        certChanges.add(message.get(2).toString());
      }
    });
    await(subscriber.send(Request.cmd(Command.SUBSCRIBE).arg(RedisKeys.CERT_CHANGES_CHANNEL)));
  }

  static String redisUrl(int db) {
    return "redis://127.0.0.1:" + redisPort + "/" + db;
  }

  static JsonObject certConfig(int db) {
    return new JsonObject()
        .put("redisUrl", redisUrl(db))
        .put("acmeDirectory", pebble.directoryUrl())
        .put("acmeCaBundle", pebble.caBundle().toString())
        .put("acmeEmail", "ops@portico.test")
        .put("secretKey", SECRET)
        .put("acmeIssueTimeoutMs", 30_000)
        .put("renewalCheckIntervalMs", 500)
        .put("acmeBackoffBaseMs", 600_000)  // no failed name is tried again by the scheduler during the tests
        .put("leaseMs", 3_000)
        .put("metricsRegistry", METRICS);
  }

  @AfterAll
  static void stop() {
    if (nodeA != null) {
      await(nodeA.close());
      await(nodeB.close());
    }
    if (pebble != null) {
      pebble.close();
    }
    if (redisServer != null) {
      try {
        redisServer.stop();
      } catch (Exception ignored) {
        // the test's outcome is decided
      }
    }
  }

  @Test
  void autoSiteGetsSealedCertificateAndItIsAnnounced() throws Exception {
    putSite("shop.portico.test", "auto");
    certChanges.clear();

    JsonObject reply = issue(nodeA, "shop.portico.test");

    assertEquals("issued", reply.getString("status"), reply.encode());
    assertEquals("shop.portico.test", certChanges.poll(5, TimeUnit.SECONDS));
    String raw = get(RedisKeys.cert("shop.portico.test"));
    assertFalse(raw.contains("PRIVATE KEY"), "private key stored in clear: " + raw);
    StoredCertificate stored = StoredCertificate.fromJson(new JsonObject(raw));
    assertTrue(stored.privateKey().startsWith("aesgcm1:"), stored.privateKey());
    assertEquals("acme", stored.source());
    assertEquals(List.of("shop.portico.test"), stored.names());
    X509Certificate leaf = Pem.leaf(stored.certificatePem());
    assertTrue(leaf.getSubjectAlternativeNames().stream().anyMatch(san -> san.get(1).equals("shop.portico.test")),
        leaf.getSubjectAlternativeNames().toString());
    assertTrue(stored.issuer().contains("Pebble"), stored.issuer());
    assertEquals(leaf.getNotAfter().getTime(), stored.notAfter());
    assertTrue(stored.certificatePem().indexOf("BEGIN CERTIFICATE") != stored.certificatePem().lastIndexOf("BEGIN CERTIFICATE"),
        "chain holds the leaf and its issuer");
    assertKeyMatches(SecretBox.fromSecret(SECRET).open(stored.privateKey(), RedisKeys.cert("shop.portico.test")), leaf);
    JsonObject state = new JsonObject(get(CertKeys.certState("shop.portico.test")));
    assertEquals("issued", state.getString("status"));
    assertEquals(stored.notAfter(), state.getLong("notAfter"));
    assertTrue(state.getLong("renewAt") > System.currentTimeMillis() && state.getLong("renewAt") < stored.notAfter(),
        state.encode());
    assertEquals(0, await(redis.send(Request.cmd(Command.KEYS).arg(RedisKeys.ACME_HTTP01_PREFIX + "*"))).size(),
        "challenge answers left behind");
    String account = get(CertKeys.ACME_ACCOUNT);
    assertTrue(account.startsWith("aesgcm1:"), "account key stored in clear");
    double daysLeft = metrics.get("portico.cert.expiry.days").tag("name", "shop.portico.test").gauge().value();
    assertEquals((stored.notAfter() - System.currentTimeMillis()) / 86_400_000d, daysLeft, 0.01);
    assertTrue(metrics.get("portico.cert.issuance").tag("outcome", "issued").timer().count() >= 1);
  }

  @Test
  void renewNowAndScheduledRenewalReplaceTheCertificate() throws Exception {
    putSite("renew.portico.test", "auto");
    assertEquals("issued", issue(nodeA, "renew.portico.test").getString("status"));
    String first = serial("renew.portico.test");

    assertEquals("issued", issue(nodeB, "renew.portico.test").getString("status"));
    String second = serial("renew.portico.test");
    assertNotEquals(first, second, "renew now issues a new certificate");

    // the renewal time comes (as when the CA's renewal information says so): the scheduler renews
    JsonObject state = new JsonObject(get(CertKeys.certState("renew.portico.test")));
    set(CertKeys.certState("renew.portico.test"), state.put("renewAt", System.currentTimeMillis() - 1).encode());
    waitFor(() -> !second.equals(serial("renew.portico.test")), 20_000);
    JsonObject renewed = new JsonObject(get(CertKeys.certState("renew.portico.test")));
    assertTrue(renewed.getLong("renewAt") > System.currentTimeMillis(), renewed.encode());
  }

  @Test
  void twoVerticlesRacingForOneNameMakeOneOrder() throws Exception {
    putSite("race.portico.test", "auto");
    long ordersBefore = pebble.orders();

    Future<JsonObject> a = requestIssue(nodeA, "race.portico.test");
    Future<JsonObject> b = requestIssue(nodeB, "race.portico.test");

    assertEquals("issued", await(a).getString("status"), await(a).encode());
    assertEquals("issued", await(b).getString("status"), await(b).encode());
    assertEquals(1, pebble.orders() - ordersBefore, "orders at the CA");
    assertNull(get(CertKeys.certLock("race.portico.test")), "lock released");
  }

  @Test
  void failedChallengeIsRecordedAndBacksOff() throws Exception {
    putSite("unreachable.portico.test", "auto");
    pebble.resolve("unreachable.portico.test", "127.0.0.2"); // where no edge answers
    long ordersBefore = pebble.orders();

    JsonObject first = issue(nodeA, "unreachable.portico.test");

    assertEquals("failed", first.getString("status"), first.encode());
    assertTrue(first.getString("error").contains("challenge"), first.encode());
    assertEquals(1, pebble.orders() - ordersBefore);
    JsonObject state = new JsonObject(get(CertKeys.certState("unreachable.portico.test")));
    assertEquals("failed", state.getString("status"));
    assertEquals(1, state.getInteger("attempts"));
    assertTrue(state.getLong("nextAttemptAt") > System.currentTimeMillis() + 30_000, state.encode());
    assertNull(get(RedisKeys.cert("unreachable.portico.test")));
    assertNull(get(CertKeys.certLock("unreachable.portico.test")), "lock released on failure");

    long start = System.nanoTime();
    JsonObject second = issue(nodeB, "unreachable.portico.test");
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals("failed", second.getString("status"));
    assertTrue(second.getString("error").startsWith("backing off"), second.encode());
    assertTrue(tookMs < 1_000, "answered at once, took " + tookMs + " ms");
    assertEquals(1, pebble.orders() - ordersBefore, "no second order during the backoff");
  }

  /** The site was deleted after its issuance failed: the scheduler tries once, finds no site, forgets the name. */
  @Test
  void aFailedNameWhoseSiteIsGoneIsForgottenWithoutAnOrder() throws Exception {
    long ordersBefore = pebble.orders();
    set(CertKeys.certState("deleted.portico.test"), new JsonObject().put("status", "failed").put("attempts", 3)
        .put("error", "the CA refused").put("lastAttemptAt", 1L).put("nextAttemptAt", 2L).encode());
    waitFor(() -> get(CertKeys.certState("deleted.portico.test")) == null, 20_000);
    assertEquals(0, pebble.orders() - ordersBefore);
  }

  @Test
  void namesThatAreNotAutoSitesNeverReachTheCa() throws Exception {
    putSite("manual.portico.test", "manual");
    putSite("*.wild.portico.test", "auto");
    long ordersBefore = pebble.orders();

    JsonObject unknown = issue(nodeA, "random-name.portico.test");
    JsonObject manual = issue(nodeA, "manual.portico.test");
    JsonObject wildcard = issue(nodeA, "*.wild.portico.test");
    JsonObject garbage = issue(nodeA, "not a name/..");
    JsonObject noName = await(nodeA.eventBus().<JsonObject>request(Addresses.CERT_ISSUE, "shop.portico.test")).body();

    assertEquals("failed", unknown.getString("status"));
    assertTrue(unknown.getString("error").contains("no site"), unknown.encode());
    assertTrue(manual.getString("error").contains("auto"), manual.encode());
    assertTrue(wildcard.getString("error").contains("DNS-01 needs a DNS provider, and none covers wild.portico.test"),
        wildcard.encode());
    assertEquals("failed", garbage.getString("status"));
    assertEquals("failed", noName.getString("status"));
    assertEquals(0, pebble.orders() - ordersBefore, "orders at the CA");
    assertNull(get(CertKeys.certState("random-name.portico.test")), "no state written for unknown names");
  }

  @Test
  void schedulerLeaseIsHeldByOneVerticleAndMovesWhenItStops() throws Exception {
    // its own Redis database, so the verticles above do not compete for this lease
    Vertx first = Vertx.vertx();
    Vertx second = Vertx.vertx();
    try {
      Redis db1 = Redis.createClient(first, redisUrl(1));
      String firstDeployment = await(first.deployVerticle(new CertVerticle(), new DeploymentOptions().setConfig(certConfig(1))));
      waitFor(() -> leaseHolder(db1) != null, 5_000);
      String holder = leaseHolder(db1);
      assertTrue(holder.matches(ProcessHandle.current().pid() + "@[^/]+/[0-9a-f]{8}#[0-9]+"), holder);
      await(second.deployVerticle(new CertVerticle(), new DeploymentOptions().setConfig(certConfig(1))));
      Thread.sleep(4_000); // past one lease life: the holder keeps extending it
      assertEquals(holder, leaseHolder(db1));

      await(first.undeploy(firstDeployment));

      waitFor(() -> leaseHolder(db1) != null && !holder.equals(leaseHolder(db1)), 5_000);
    } finally {
      await(first.close());
      await(second.close());
    }
  }

  private static String leaseHolder(Redis db) {
    Response response = await(db.send(Request.cmd(Command.GET).arg(CertKeys.RENEWAL_SCHEDULER_LEASE)));
    return response == null ? null : response.toString();
  }

  private static void assertKeyMatches(String pem, X509Certificate leaf) throws Exception {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(leaf.getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    assertTrue(verifier.verify(signature), "stored key belongs to the certificate");
  }

  private static String serial(String name) {
    try {
      return Pem.leaf(StoredCertificate.fromJson(new JsonObject(get(RedisKeys.cert(name)))).certificatePem())
          .getSerialNumber().toString(16);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonObject issue(Vertx node, String name) {
    return await(requestIssue(node, name));
  }

  private static Future<JsonObject> requestIssue(Vertx node, String name) {
    return node.eventBus().<JsonObject>request(Addresses.CERT_ISSUE, new JsonObject().put("name", name),
        new DeliveryOptions().setSendTimeout(60_000)).map(message -> message.body());
  }

  private static void putSite(String pattern, String tls) {
    set(RedisKeys.site(pattern), "{\"targets\":[\"127.0.0.1:9\"],\"tls\":\"" + tls + "\"}");
  }

  private static void set(String key, String value) {
    await(redis.send(Request.cmd(Command.SET).arg(key).arg(value)));
  }

  private static String get(String key) {
    Response response = await(redis.send(Request.cmd(Command.GET).arg(key)));
    return response == null ? null : response.toString();
  }

  private static void waitFor(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within " + timeoutMs + " ms");
      }
      Thread.sleep(50);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future failed: " + e, e);
    }
  }
}
