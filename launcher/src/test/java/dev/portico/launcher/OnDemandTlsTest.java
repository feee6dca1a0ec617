package dev.portico.launcher;

import dev.portico.contract.Addresses;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On-demand issuance as the edge sees it: the test answers {@link Addresses#CERT_ISSUE} in the
 * node's own Vert.x as a cert verticle does (storing a real certificate in Redis, then replying
 * "issued"), or does not answer at all.
 */
class OnDemandTlsTest {

  /** Long enough that a held event loop cannot pass for a slow machine (the bounds below are halves of it). */
  private static final int TIMEOUT_MS = 5000;
  private static Harness harness;
  private static int backend;
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> certVerticle;

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_ON_DEMAND_TLS_TIMEOUT_MS", Integer.toString(TIMEOUT_MS)));
    backend = harness.namedBackend("site");
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @AfterEach
  void stopCertVerticle() {
    if (certVerticle != null) {
      Harness.await(certVerticle.unregister());
    }
  }

  /** Issues for every name except those starting with "silent", which get no answer at all. */
  private void answerIssueRequests() {
    certVerticle = harness.portico.vertx().eventBus().consumer(Addresses.CERT_ISSUE, message -> {
      String name = message.body().getString("name");
      asked.add(name);
      if (name.startsWith("silent")) {
        return;
      }
      harness.redisApi.set(List.of("portico:cert:" + name, TestCertificates.stored(name)))
          .onSuccess(ok -> message.reply(new JsonObject().put("name", name).put("status", "issued")));
    });
    Harness.await(certVerticle.completion());
  }

  private static void site(String pattern, String tls) {
    harness.putSite(pattern, "{\"targets\":[\"127.0.0.1:" + backend + "\"],\"tls\":\"" + tls + "\"}");
  }

  @Test
  void firstHandshakeOfAnAutoSiteGetsTheNewCertificate() {
    answerIssueRequests();
    site("*.auto.test", "auto");
    X509Certificate first = TlsClient.leaf(harness.httpsPort(), "shop.auto.test");
    assertEquals(List.of("shop.auto.test"), TlsClient.dnsNames(first));
    assertEquals(first, TlsClient.leaf(harness.httpsPort(), "shop.auto.test"));
    assertEquals(List.of("shop.auto.test"), asked, "asked once, then served from the cache");
  }

  @Test
  void issuanceThatDoesNotAnswerGetsTheFallbackWithinTheBound() {
    answerIssueRequests();
    site("silent.auto.test", "auto");
    X509Certificate fallback = TlsClient.leaf(harness.httpsPort(), null);
    long start = System.nanoTime();
    X509Certificate served = TlsClient.leaf(harness.httpsPort(), "silent.auto.test");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(fallback, served);
    assertTrue(tookMs >= TIMEOUT_MS - 100 && tookMs < 2 * TIMEOUT_MS, "took " + tookMs + " ms");
    assertEquals(List.of("silent.auto.test"), asked);
  }

  @Test
  void waitingForIssuanceDoesNotStallOtherTraffic() throws Exception {
    answerIssueRequests();
    site("silent2.auto.test", "auto");
    site("busy.auto.test", "off");
    CompletableFuture<X509Certificate> waiting = CompletableFuture.supplyAsync(
        () -> TlsClient.leaf(harness.httpsPort(), "silent2.auto.test"));
    Harness.waitFor(() -> asked.contains("silent2.auto.test"), TIMEOUT_MS / 2);
    long start = System.nanoTime();
    assertEquals(200, harness.get("busy.auto.test", "/").statusCode());
    TlsClient.leaf(harness.httpsPort(), null);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(tookMs < TIMEOUT_MS / 2, "the edge's one event loop was held for " + tookMs + " ms");
    assertTrue(!waiting.isDone(), "the waiting handshake should still be waiting");
    waiting.get(2 * TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  @Test
  void namesWithoutAnAutoSiteNeverAsk() {
    answerIssueRequests();
    site("manual.auto.test", "manual");
    site("off.auto.test", "off");
    X509Certificate fallback = TlsClient.leaf(harness.httpsPort(), null);
    for (String name : List.of("random-1234.example", "manual.auto.test", "off.auto.test", "a.b.c.nosite.test")) {
      assertEquals(fallback, TlsClient.leaf(harness.httpsPort(), name));
    }
    assertTrue(asked.isEmpty(), "asked for " + asked);
  }
}
