package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A purge on the admin API empties the cache of every edge node: two nodes in one cluster (in
 * this JVM, Hazelcast over 127.0.0.1, one Redis), each with its own store; the purge is posted to
 * the first node's admin API only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CachePurgeClusterTest {

  private static final String SITE = "purge-cluster.example.net";
  private static final String PASSWORD = "purge cluster password";

  private Harness first;
  private Portico second;
  private AdminClient admin;
  private String token;
  private final AtomicInteger served = new AtomicInteger();

  @BeforeAll
  void start() throws Exception {
    int firstMember = Harness.freePort();
    int secondMember = Harness.freePort();
    String members = "127.0.0.1:" + firstMember + ",127.0.0.1:" + secondMember;
    first = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", PASSWORD,
        "PORTICO_CLUSTER", "on", "PORTICO_CLUSTER_HOST", "127.0.0.1",
        "PORTICO_CLUSTER_PORT", Integer.toString(firstMember), "PORTICO_CLUSTER_MEMBERS", members));
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + first.redisPort);
    env.put("PORTICO_SECRET_KEY", Harness.SECRET_KEY);
    env.put("PORTICO_ROLES", "edge");
    env.put("PORTICO_EDGE_INSTANCES", "1");
    env.put("PORTICO_CLUSTER", "on");
    env.put("PORTICO_CLUSTER_HOST", "127.0.0.1");
    env.put("PORTICO_CLUSTER_PORT", Integer.toString(secondMember));
    env.put("PORTICO_CLUSTER_MEMBERS", members);
    second = Portico.start(PorticoConfig.fromEnvironment(env));
    admin = new AdminClient(first.portico.config().adminPort());
    token = admin.login("admin", PASSWORD);
    int backend = first.backend(request -> request.response().putHeader("Cache-Control", "max-age=300")
        .end("response " + served.incrementAndGet()));
    AdminClient.Answer answer = admin.put("/api/v1/sites/" + SITE, token, new JsonObject()
        .put("targets", new JsonArray().add("127.0.0.1:" + backend)).put("cache", new JsonObject()));
    assertTrue(answer.status() == 201, answer.body());
  }

  @AfterAll
  void stop() {
    if (second != null) {
      second.close();
    }
    first.close();
  }

  private String xCache(int port, String path) {
    return first.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Host", SITE)
        .timeout(Duration.ofSeconds(10)).build()).headers().firstValue("X-Cache").orElse("");
  }

  @Test
  void aPurgeOnTheAdminApiEmptiesBothEdges() {
    int[] edges = {first.httpPort(), second.config().httpPort()};
    for (int port : edges) {
      Harness.waitFor(() -> xCache(port, "/page").equals("HIT"), 10_000);
    }
    AdminClient.Answer purge = admin.post("/api/v1/sites/" + SITE + "/cache/purge", token, new JsonObject());
    assertEquals(202, purge.status(), purge.body());
    for (int port : edges) {
      Harness.waitFor(() -> xCache(port, "/page").equals("MISS"), 10_000);
    }
    assertEquals(4, served.get(), "each edge fetched the page once before the purge and once after");
  }
}
