package dev.portico.cert;

import dev.portico.cert.dns.Bind;
import dev.portico.cert.dns.FakeCloudflare;
import dev.portico.cert.dns.FakeDigitalOcean;
import dev.portico.cert.dns.FakeDnsApi;
import dev.portico.cert.dns.FakeDuckDns;
import dev.portico.cert.dns.FakePorkbun;
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
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wildcard certificates through DNS-01, for real from Portico's side: a real ACME CA (pebble)
 * validating against pebble-challtestsrv, fed by stand-ins of the providers' HTTP APIs; and RFC
 * 2136 against a real BIND 9 that a second pebble consults. The certificates are then served by a
 * real edge over TLS.
 */
class Dns01IssuanceTest {

  private static final String SECRET = "dns01 test secret key";
  private static final String TOKEN = "provider-token-1234567890";
  /** Short, so one-value providers' turns do not wait a minute; long enough to be told from none. */
  private static final long SEQUENCE_INTERVAL_MS = 1_500;

  private static RedisServer redisServer;
  private static int redisPort;
  private static Pebble pebble;
  private static Pebble bindPebble;
  private static Bind bind;
  private static Vertx vertx;
  /** A second, separate event bus for the cert verticle of the BIND CA. */
  private static Vertx bindVertx;
  private static Redis redis;
  private static int httpsPort;
  private static FakeCloudflare cloudflare;
  private static FakeDigitalOcean digitalOcean;
  private static FakePorkbun porkbun;
  private static FakeDuckDns duckDns;

  @BeforeAll
  static void start() throws Exception {
    redisPort = Pebble.freePort();
    redisServer = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort).build();
    redisServer.start();
    pebble = new Pebble(Pebble.freePort());
    bind = new Bind("rfc2136.test");
    bindPebble = new Pebble(Pebble.freePort(), bind.address());
    vertx = Vertx.vertx();
    bindVertx = Vertx.vertx();
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl(0)));
    FakeDnsApi.TxtSink challtestsrv = new ChalltestsrvSink();
    cloudflare = new FakeCloudflare(vertx, TOKEN, Map.of("cf.test", "9a7806061c88ada191ed06f989cc3dac"), challtestsrv);
    digitalOcean = new FakeDigitalOcean(vertx, TOKEN, Set.of("do.test"), challtestsrv);
    porkbun = new FakePorkbun(vertx, "pk1_key", TOKEN, Set.of("pb.test"), challtestsrv);
    duckDns = new FakeDuckDns(vertx, TOKEN, Set.of("portico", "pair"), challtestsrv);
    httpsPort = Pebble.freePort();
    await(vertx.deployVerticle(new EdgeVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("host", "127.0.0.1").put("httpPort", Pebble.freePort()).put("httpsPort", httpsPort)
        .put("redisUrl", redisUrl(0)).put("secretKey", SECRET))));
    // the challtestsrv CA: records checked on challtestsrv itself
    await(vertx.deployVerticle(new CertVerticle(), new DeploymentOptions().setConfig(certConfig(pebble, 0)
        .put("dns01Servers", new JsonArray().add(pebble.dnsServer())))));
    // the BIND CA: the zone's name servers found through the resolver (BIND), asked on its port
    await(bindVertx.deployVerticle(new CertVerticle(), new DeploymentOptions().setConfig(certConfig(bindPebble, 1)
        .put("dnsResolver", bind.address()).put("dns01NameserverPort", bind.port()))));
  }

  private static String redisUrl(int db) {
    return "redis://127.0.0.1:" + redisPort + "/" + db;
  }

  private static JsonObject certConfig(Pebble ca, int db) {
    return new JsonObject().put("redisUrl", redisUrl(db)).put("acmeDirectory", ca.directoryUrl())
        .put("acmeCaBundle", ca.caBundle().toString()).put("secretKey", SECRET).put("acmeIssueTimeoutMs", 30_000)
        .put("acmeBackoffBaseMs", 600_000).put("leaseMs", 3_000).put("dns01PropagationTimeoutMs", 2_000)
        .put("dns01PollIntervalMs", 100).put("renewalCheckIntervalMs", 300)
        .put("dns01SequenceIntervalMs", SEQUENCE_INTERVAL_MS);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {cloudflare, digitalOcean, porkbun, duckDns}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception ignored) {
        // the test's outcome is decided
      }
    }
    if (vertx != null) {
      await(vertx.close());
      await(bindVertx.close());
    }
    for (AutoCloseable closeable : new AutoCloseable[] {pebble, bindPebble, bind}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception ignored) {
        // the test's outcome is decided
      }
    }
    try {
      redisServer.stop();
    } catch (Exception ignored) {
      // the test's outcome is decided
    }
  }

  /** Feeds challtestsrv, which answers one name with every value added and clears a name at once. */
  private static final class ChalltestsrvSink implements FakeDnsApi.TxtSink {
    private final Map<String, List<String>> values = new ConcurrentHashMap<>();

    @Override
    public Future<Void> add(String name, String value) {
      values.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(value);
      return vertx.executeBlocking(() -> {
        pebble.addTxt(name, value);
        return null;
      });
    }

    @Override
    public Future<Void> remove(String name, String value) {
      List<String> left = values.getOrDefault(name, new ArrayList<>());
      left.remove(value);
      return vertx.executeBlocking(() -> {
        pebble.clearTxt(name);
        for (String other : left) {
          pebble.addTxt(name, other);
        }
        return null;
      });
    }
  }

  private static void provider(int db, String id, String type, String domain, JsonObject credentials, String endpoint) {
    String key = CertKeys.dnsProvider(id);
    JsonObject record = new JsonObject().put("id", id).put("type", type).put("domains", new JsonArray().add(domain))
        .put("credentials", SecretBox.fromSecret(SECRET).seal(credentials.encode(), key));
    if (endpoint != null) {
      record.put("endpoint", endpoint);
    }
    Redis client = db == 0 ? redis : Redis.createClient(vertx, redisUrl(db));
    await(client.send(Request.cmd(Command.SET).arg(key).arg(record.encode())));
    await(client.send(Request.cmd(Command.ZADD).arg(CertKeys.DNS_PROVIDER_INDEX).arg(0).arg(id)));
    await(client.send(Request.cmd(Command.SET).arg(RedisKeys.site("*." + domain)).arg(new JsonObject()
        .put("targets", new JsonArray().add("127.0.0.1:9")).put("tls", "auto").put("includeApex", true).encode())));
  }

  private static JsonObject issue(String name, int db) {
    JsonObject reply = await((db == 0 ? vertx : bindVertx).eventBus().<JsonObject>request(Addresses.CERT_ISSUE,
        new JsonObject().put("name", name), new DeliveryOptions().setSendTimeout(60_000))).body();
    return reply;
  }

  private static StoredCertificate stored(String name, int db) {
    Redis client = db == 0 ? redis : Redis.createClient(vertx, redisUrl(db));
    Response value = await(client.send(Request.cmd(Command.GET).arg(RedisKeys.cert(name))));
    return value == null ? null : StoredCertificate.fromJson(new JsonObject(value.toString()));
  }

  private static String serial(String name) throws Exception {
    return Pem.leaf(stored(name, 0).certificatePem()).getSerialNumber().toString(16);
  }

  private static JsonObject state(String name) {
    return new JsonObject(await(redis.send(Request.cmd(Command.GET).arg(CertKeys.certState(name)))).toString());
  }

  private static List<String> served(String serverName) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", httpsPort)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      return leaf.getSubjectAlternativeNames().stream().map(san -> (String) san.get(1)).sorted().toList();
    }
  }

  /** One issuance through a provider: the certificate names both, is served, and no record is left. */
  private static void assertWildcardIssued(String zone, FakeDnsApi fake) throws Exception {
    String wildcard = "*." + zone;
    int before = fake.received().size();
    JsonObject reply = issue(wildcard, 0);
    assertEquals("issued", reply.getString("status"), reply.encode());
    StoredCertificate certificate = stored(wildcard, 0);
    assertEquals(List.of(wildcard, zone), certificate.names());
    assertEquals(List.of(wildcard, zone), Pem.leaf(certificate.certificatePem()).getSubjectAlternativeNames().stream()
        .map(san -> (String) san.get(1)).sorted().toList());
    assertTrue(certificate.privateKey().startsWith("aesgcm1:"));
    assertEquals(Map.of(), fake.txt(), "the provider holds no challenge record");
    List<FakeDnsApi.Received> during = fake.received().subList(before, fake.received().size());
    assertEquals(4, during.stream().filter(Dns01IssuanceTest::changesRecords).count(),
        "two records created, two removed: " + during);
    assertEquals(List.of(wildcard, zone), served("www." + zone), "the edge serves it for a subdomain");
    assertEquals(List.of(wildcard, zone), served(zone), "and for the apex");
  }

  /** A request that creates or removes a record (not a look-up such as Cloudflare's zone search). */
  private static boolean changesRecords(FakeDnsApi.Received request) {
    return !request.method().equals("GET") || request.uri().startsWith("/update?");
  }

  @Test
  void cloudflareWildcardWithItsApex() throws Exception {
    provider(0, "cf", "cloudflare", "cf.test", new JsonObject().put("apiToken", TOKEN), cloudflare.endpoint());
    assertWildcardIssued("cf.test", cloudflare);
  }

  @Test
  void digitalOceanWildcardWithItsApex() throws Exception {
    provider(0, "do", "digitalocean", "do.test", new JsonObject().put("apiToken", TOKEN), digitalOcean.endpoint());
    assertWildcardIssued("do.test", digitalOcean);
  }

  @Test
  void porkbunWildcardWithItsApex() throws Exception {
    provider(0, "pb", "porkbun", "pb.test", new JsonObject().put("apiKey", "pk1_key").put("secretApiKey", TOKEN),
        porkbun.endpoint());
    assertWildcardIssued("pb.test", porkbun);
  }

  /**
   * The domain's one value serves the wildcard's challenge, then the apex's; the second value is
   * set only a sequence interval after the first was cleared (a CA's resolver may cache the first).
   */
  @Test
  void duckDnsAnswersTheTwoChallengesInTurns() throws Exception {
    provider(0, "duck", "duckdns", "portico.duckdns.org", new JsonObject().put("token", TOKEN), duckDns.endpoint());
    int before = duckDns.received().size();
    assertWildcardIssued("portico.duckdns.org", duckDns);
    List<FakeDnsApi.Received> updates = duckDns.received().subList(before, duckDns.received().size());
    assertEquals(List.of(false, true, false, true), updates.stream().map(update -> update.uri().contains("clear=true"))
        .toList(), "set, clear, set, clear: " + updates);
    long pause = updates.get(2).atMillis() - updates.get(1).atMillis();
    assertTrue(pause >= SEQUENCE_INTERVAL_MS, "second value set " + pause + " ms after the first was cleared");
  }

  @Test
  void aWildcardIsRenewedThroughDns01WhenItsTimeComes() throws Exception {
    FakeDigitalOcean renewing = new FakeDigitalOcean(vertx, TOKEN, Set.of("renew.test"), new ChalltestsrvSink());
    try {
      provider(0, "do-renew", "digitalocean", "renew.test", new JsonObject().put("apiToken", TOKEN),
          renewing.endpoint());
      assertEquals("issued", issue("*.renew.test", 0).getString("status"));
      String first = serial("*.renew.test");
      int requestsAfterFirst = renewing.received().size();
      // the renewal time comes (as when the CA's renewal information says so): the scheduler renews
      await(redis.send(Request.cmd(Command.SET).arg(CertKeys.certState("*.renew.test"))
          .arg(state("*.renew.test").put("renewAt", System.currentTimeMillis() - 1).encode())));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (first.equals(serial("*.renew.test")) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertFalse(first.equals(serial("*.renew.test")), "the scheduler replaced the certificate");
      assertEquals(List.of("*.renew.test", "renew.test"), stored("*.renew.test", 0).names());
      assertTrue(state("*.renew.test").getLong("renewAt") > System.currentTimeMillis());
      // Pebble reuses a valid authorization now and then even with PEBBLE_AUTHZREUSE=0 (it
      // creates a new one when rand(100) > 0): the renewal may answer one challenge, not two.
      List<FakeDnsApi.Received> renewal = renewing.received().subList(requestsAfterFirst, renewing.received().size());
      long created = renewal.stream().filter(request -> request.method().equals("POST")).count();
      assertTrue(created >= 1, "the renewal answered its challenges through the provider: " + renewal);
      assertEquals(created, renewal.stream().filter(request -> request.method().equals("DELETE")).count(),
          "and removed every record it created: " + renewal);
      assertEquals(Map.of(), renewing.txt(), "no challenge record is left");
    } finally {
      renewing.close();
    }
  }

  /** A first issuance that failed is not left for an admin to notice: after its backoff, the scheduler tries again. */
  @Test
  void aWildcardWhoseFirstIssuanceFailedIsIssuedOnceItsBackoffIsOver() throws Exception {
    FakeDigitalOcean flaky = new FakeDigitalOcean(vertx, TOKEN, Set.of("retry.test"), new ChalltestsrvSink());
    try {
      flaky.failing(true);
      provider(0, "do-retry", "digitalocean", "retry.test", new JsonObject().put("apiToken", TOKEN), flaky.endpoint());
      assertEquals("failed", issue("*.retry.test", 0).getString("status"));
      JsonObject failed = state("*.retry.test");
      assertTrue(failed.getLong("nextAttemptAt") > System.currentTimeMillis() + 30_000, failed.encode());
      flaky.failing(false);
      Thread.sleep(2_500);  // two scans at least (a tick a second): none tries again while the backoff runs
      assertEquals(failed, state("*.retry.test"));

      // the backoff runs out
      await(redis.send(Request.cmd(Command.SET).arg(CertKeys.certState("*.retry.test"))
          .arg(failed.put("nextAttemptAt", System.currentTimeMillis() - 1).encode())));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!"issued".equals(state("*.retry.test").getString("status")) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals("issued", state("*.retry.test").getString("status"), state("*.retry.test").encode());
      assertEquals(List.of("*.retry.test", "retry.test"), stored("*.retry.test", 0).names());
      assertEquals(Map.of(), flaky.txt(), "no challenge record is left");
    } finally {
      flaky.close();
    }
  }

  @Test
  void duckDnsWildcardsSharingTheDomainsOneValueTakeTurns() throws Exception {
    duckDns.alsoServedUnder("api");
    int overwrites = duckDns.overwrites();
    provider(0, "duck-pair", "duckdns", "pair.duckdns.org", new JsonObject().put("token", TOKEN), duckDns.endpoint());
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.site("*.api.pair.duckdns.org")).arg(new JsonObject()
        .put("targets", new JsonArray().add("127.0.0.1:9")).put("tls", "auto").encode())));
    Future<Message<JsonObject>> outer = vertx.eventBus().request(Addresses.CERT_ISSUE,
        new JsonObject().put("name", "*.pair.duckdns.org"), new DeliveryOptions().setSendTimeout(60_000));
    Future<Message<JsonObject>> inner = vertx.eventBus().request(Addresses.CERT_ISSUE,
        new JsonObject().put("name", "*.api.pair.duckdns.org"), new DeliveryOptions().setSendTimeout(60_000));
    assertEquals("issued", await(outer).body().getString("status"), await(outer).body().encode());
    assertEquals("issued", await(inner).body().getString("status"), await(inner).body().encode());
    assertEquals(List.of("*.pair.duckdns.org", "pair.duckdns.org"), stored("*.pair.duckdns.org", 0).names());
    assertEquals(List.of("*.api.pair.duckdns.org"), stored("*.api.pair.duckdns.org", 0).names());
    assertEquals(overwrites, duckDns.overwrites(), "one issuance at a time used the domain's one value");
    assertEquals(Map.of(), duckDns.txt());
  }

  @Test
  void aCreationFailingHalfWayRemovesTheRecordAlreadyCreated() throws Exception {
    FakeDigitalOcean halfWay = new FakeDigitalOcean(vertx, TOKEN, Set.of("half.test"), new ChalltestsrvSink());
    try {
      halfWay.failingRequest(2);
      provider(0, "do-half", "digitalocean", "half.test", new JsonObject().put("apiToken", TOKEN), halfWay.endpoint());
      JsonObject reply = issue("*.half.test", 0);
      assertEquals("failed", reply.getString("status"));
      assertTrue(reply.getString("error").contains("HTTP 500"), reply.getString("error"));
      assertEquals(List.of("POST", "POST", "DELETE"), halfWay.received().stream().map(FakeDnsApi.Received::method)
          .toList(), "the first record, created before the second failed, is deleted");
      assertEquals(Map.of(), halfWay.txt());
    } finally {
      halfWay.close();
    }
  }

  @Test
  void aStoppingCertRoleWithdrawsTheRecordsOfItsIssuance() throws Exception {
    FakeCloudflare neverVisible = new FakeCloudflare(vertx, TOKEN, Map.of("stopping.test", "c4d2"), FakeDnsApi.NOWHERE);
    Vertx node = Vertx.vertx();
    try {
      provider(2, "cf-stopping", "cloudflare", "stopping.test", new JsonObject().put("apiToken", TOKEN),
          neverVisible.endpoint());
      String deployment = await(node.deployVerticle(new CertVerticle(), new DeploymentOptions().setConfig(
          certConfig(pebble, 2).put("dns01Servers", new JsonArray().add(pebble.dnsServer()))
              .put("dns01PropagationTimeoutMs", 60_000))));
      Future<Message<JsonObject>> reply = node.eventBus().request(Addresses.CERT_ISSUE,
          new JsonObject().put("name", "*.stopping.test"), new DeliveryOptions().setSendTimeout(60_000));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (neverVisible.txt().getOrDefault("_acme-challenge.stopping.test", List.of()).size() < 2
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(2, neverVisible.txt().get("_acme-challenge.stopping.test").size(), "waiting for propagation");

      long stopping = System.nanoTime();
      await(node.undeploy(deployment));
      assertTrue(System.nanoTime() - stopping < TimeUnit.SECONDS.toNanos(10), "the wait for propagation ends");
      assertEquals(Map.of(), neverVisible.txt(), "both records removed before the role stopped");
      JsonObject answer = await(reply).body();
      assertEquals("failed", answer.getString("status"));
      assertTrue(answer.getString("error").contains("the certificate role is stopping"), answer.encode());
      Response state = await(Redis.createClient(vertx, redisUrl(2)).send(Request.cmd(Command.GET)
          .arg(CertKeys.certState("*.stopping.test"))));
      assertEquals("pending", new JsonObject(state.toString()).getString("status"),
          "not a failure of the name (no backoff): left for a running node's scheduler");
    } finally {
      neverVisible.close();
      await(node.close());
    }
  }

  @Test
  void rfc2136AgainstBindFindingTheZonesNameServers() throws Exception {
    provider(1, "bind", "rfc2136", "rfc2136.test", bind.credentials(), null);
    JsonObject reply = issue("*.rfc2136.test", 1);
    assertEquals("issued", reply.getString("status"), reply.encode());
    assertEquals(List.of("*.rfc2136.test", "rfc2136.test"), stored("*.rfc2136.test", 1).names());
    assertEquals(List.of(), bind.txt("_acme-challenge.rfc2136.test"), "the record is removed from the zone");
  }

  @Test
  void wrongCredentialsEndInAClearFailure() throws Exception {
    provider(0, "cf-wrong", "cloudflare", "wrong.test", new JsonObject().put("apiToken", "not-the-token"),
        cloudflare.endpoint());
    JsonObject reply = issue("*.wrong.test", 0);
    assertEquals("failed", reply.getString("status"));
    assertTrue(reply.getString("error").contains("cloudflare: finding zone wrong.test refused with HTTP 403: "
        + "Authentication error (code 10000)"), reply.getString("error"));
    assertFalse(reply.encode().contains("not-the-token"));
    assertEquals("failed", state("*.wrong.test").getString("status"));
    assertEquals(reply.getString("error"), state("*.wrong.test").getString("error"));
  }

  @Test
  void providerServerErrorsEndInAClearFailureAndNoRecord() throws Exception {
    FakeDigitalOcean failing = new FakeDigitalOcean(vertx, TOKEN, Set.of("down.test"), FakeDnsApi.NOWHERE);
    try {
      failing.failing(true);
      provider(0, "do-down", "digitalocean", "down.test", new JsonObject().put("apiToken", TOKEN), failing.endpoint());
      JsonObject reply = issue("*.down.test", 0);
      assertEquals("failed", reply.getString("status"));
      assertTrue(reply.getString("error").contains("digitalocean: creating _acme-challenge.down.test refused with "
          + "HTTP 500: Server was unable to give you a response."), reply.getString("error"));
      assertEquals(Map.of(), failing.txt());
    } finally {
      failing.close();
    }
  }

  @Test
  void aRecordThatNeverBecomesVisibleFailsAndIsRemoved() throws Exception {
    FakeCloudflare silent = new FakeCloudflare(vertx, TOKEN, Map.of("silent.test", "b3a1"), new ChalltestsrvSink());
    try {
      silent.publishing(false);
      provider(0, "cf-silent", "cloudflare", "silent.test", new JsonObject().put("apiToken", TOKEN), silent.endpoint());
      long started = System.nanoTime();
      JsonObject reply = issue("*.silent.test", 0);
      assertEquals("failed", reply.getString("status"));
      assertTrue(reply.getString("error").startsWith("the TXT record _acme-challenge.silent.test was not visible "
          + "within 2 s at " + pebble.dnsServer() + " (shows nothing)"), reply.getString("error"));
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "bounded by the propagation timeout");
      assertEquals(Map.of(), silent.txt(), "both records removed after the failure");
      assertEquals(4, silent.received().stream().filter(r -> !r.method().equals("GET")).count(),
          "two created, two deleted: " + silent.received());
    } finally {
      silent.close();
    }
  }

  @Test
  void aWildcardNoProviderCoversFailsWithoutAnOrder() {
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.site("*.nobody.test")).arg(new JsonObject()
        .put("targets", new JsonArray().add("127.0.0.1:9")).put("tls", "auto").encode())));
    long orders = pebble.orders();
    JsonObject reply = issue("*.nobody.test", 0);
    assertEquals("failed", reply.getString("status"));
    assertTrue(reply.getString("error").startsWith("DNS-01 needs a DNS provider, and none covers nobody.test"),
        reply.getString("error"));
    assertEquals(orders, pebble.orders());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
