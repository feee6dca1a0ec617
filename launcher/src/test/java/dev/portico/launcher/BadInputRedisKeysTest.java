package dev.portico.launcher;

import dev.portico.contract.Addresses;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What unauthenticated clients can make Portico store in Redis (issue 14, item 11): random host
 * names under wildcard sites, unknown names, random SNI names. The keys counted are the real
 * Redis's (DBSIZE); a cert verticle is played by the test, refusing as the real one refuses names
 * that are not themselves sites (without writing anything).
 */
class BadInputRedisKeysTest {

  private static final int PER_SITE = 20;
  private static final int RANDOM_NAMES = 150;
  private static Harness harness;
  private static RecordingBackend backend;
  private static MessageConsumer<JsonObject> certVerticle;
  private static final List<String> issueRequests = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_ROUTE_CACHE_PER_SITE", Integer.toString(PER_SITE)));
    backend = new RecordingBackend(harness.testVertx);
    String target = "{\"targets\":[\"127.0.0.1:" + backend.port() + "\"]";
    harness.putSite("*.wild.test", target + ",\"tls\":\"auto\",\"redirectHttps\":false}");
    harness.putSite("**.deep.test", target + "}");
    harness.putSite("exact.test", target + "}");
    certVerticle = harness.portico.vertx().eventBus().consumer(Addresses.CERT_ISSUE, message -> {
      issueRequests.add(message.body().getString("name"));
      message.reply(new JsonObject().put("name", message.body().getString("name")).put("status", "failed")
          .put("error", "no site " + message.body().getString("name") + " is configured"));
    });
    Harness.await(certVerticle.completion());
    Harness.waitFor(() -> harness.get("exact.test", "/").statusCode() == 200
        && harness.get("first.wild.test", "/").statusCode() == 200, 5000);
  }

  @AfterAll
  static void stop() {
    backend.close();
    harness.close();
  }

  private static long keys() {
    return Harness.await(harness.redisApi.dbsize()).toLong();
  }

  /** Waits until the key count has stopped changing (the lookup writes after it answers). */
  private static long settledKeys() {
    AtomicLong last = new AtomicLong(-1);
    AtomicLong sameSince = new AtomicLong(System.nanoTime());
    Harness.waitFor(() -> {
      long now = keys();
      if (now != last.getAndSet(now)) {
        sameSince.set(System.nanoTime());
      }
      return System.nanoTime() - sameSince.get() > 500_000_000L;
    }, 10_000);
    return last.get();
  }

  private static String random() {
    return "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @Test
  void randomHostsGrowRedisByAtMostTheBoundAndStillRoute() {
    long before = settledKeys();
    for (int i = 0; i < RANDOM_NAMES; i++) {
      String wild = random() + ".wild.test";
      assertEquals(200, harness.get(wild, "/").statusCode(), wild);
      String deep = random() + "." + random() + ".deep.test";
      assertEquals(200, harness.get(deep, "/").statusCode(), deep);
      assertEquals(404, harness.get(random() + ".nosite.test", "/").statusCode());
    }
    long grown = settledKeys() - before;
    // per wildcard site: PER_SITE route keys and its index
    assertTrue(grown <= 2 * (PER_SITE + 1), "Redis grew by " + grown + " keys");

    String fresh = "fresh-" + random() + ".wild.test";
    backend.clear();
    assertEquals(200, harness.get(fresh, "/").statusCode());
    assertEquals(List.of(fresh), backend.requests().stream().map(r -> r.header("host").get(0)).toList());
    assertEquals(200, harness.get("exact.test", "/").statusCode());
  }

  @Test
  void randomServerNamesStoreNothingBeyondTheBound() {
    long before = settledKeys();
    issueRequests.clear();
    for (int i = 0; i < RANDOM_NAMES; i++) {
      TlsClient.leaf(harness.httpsPort(), random() + ".sni.wild.test");   // no site: '*' is one label
      TlsClient.leaf(harness.httpsPort(), random() + ".nosite.test");
      TlsClient.leaf(harness.httpsPort(), random() + ".wild.test");
    }
    long grown = settledKeys() - before;
    assertTrue(grown <= PER_SITE + 1, "Redis grew by " + grown + " keys");
    assertTrue(issueRequests.size() <= 10, issueRequests.size() + " issuance requests: " + issueRequests);
    assertTrue(issueRequests.stream().allMatch(name -> name.endsWith(".wild.test")), issueRequests.toString());
  }
}
