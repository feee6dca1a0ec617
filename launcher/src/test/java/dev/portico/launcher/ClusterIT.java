package dev.portico.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster of real JVMs on 127.0.0.1, each started from the shaded jar with its own ports and a
 * member list naming all of them, the event bus between them under mutual TLS: one edge-only
 * node, two lookup-only nodes, one admin+cert node and one more cert node, sharing one Redis
 * (the embedded redis-server, run by the test). Node logs: {@code target/cluster-it/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final long READY_TIMEOUT_MS = 90_000;
  private static final String LEASE_KEY = "portico:lease:renewal-scheduler";

  private static Path dir;
  private static EmbeddedRedis redis;
  private static Vertx vertx;
  private static RedisAPI redisApi;
  private static int backendPort;
  private static PorticoProcess edge;
  private static PorticoProcess lookupA;
  private static PorticoProcess lookupB;
  private static PorticoProcess adminCert;
  private static PorticoProcess cert;
  private static PorticoProcess untrusted;
  private static String members;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newCachedThreadPool()).build();

  @BeforeAll
  static void startCluster() throws Exception {
    dir = Path.of("target", "cluster-it").toAbsolutePath();
    Files.createDirectories(dir);
    try (Stream<Path> old = Files.list(dir)) {
      for (Path file : old.toList()) {
        Files.delete(file);
      }
    }
    int redisPort = Harness.freePort();
    redis = EmbeddedRedis.start(Files.createTempDirectory("portico-cluster-redis"), redisPort);
    vertx = Vertx.vertx();
    redisApi = RedisAPI.api(Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + redisPort)));
    HttpServer backend = Harness.await(vertx.createHttpServer()
        .requestHandler(request -> request.response().end("backend " + request.authority())).listen(0, "127.0.0.1"));
    backendPort = backend.actualPort();

    edge = new PorticoProcess("edge", "edge", dir);
    lookupA = new PorticoProcess("lookup-a", "lookup", dir);
    lookupB = new PorticoProcess("lookup-b", "lookup", dir);
    adminCert = new PorticoProcess("admin-cert", "admin,cert", dir);
    cert = new PorticoProcess("cert", "cert", dir);
    List<PorticoProcess> nodes = List.of(lookupA, lookupB, edge, adminCert, cert);
    Map<String, String> shared = new HashMap<>(eventBusTls(dir, "node"));
    shared.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + redisPort);
    shared.put("PORTICO_SECRET_KEY", Harness.SECRET_KEY);
    members = nodes.stream().map(PorticoProcess::member).collect(Collectors.joining(","));
    shared.put("PORTICO_CLUSTER_MEMBERS", members);
    // a lookup request to a node that just died times out after this, then goes to another
    shared.put("PORTICO_LOOKUP_TIMEOUT_MS", "1000");
    for (PorticoProcess node : nodes) {
      node.env(shared);
    }
    // The first member founds the cluster; the others then join it, not a cluster of their own.
    lookupA.start().awaitReady(READY_TIMEOUT_MS);
    for (PorticoProcess node : nodes.subList(1, nodes.size())) {
      node.start();
    }
    for (PorticoProcess node : nodes) {
      node.awaitReady(READY_TIMEOUT_MS);
    }
  }

  /** A self-signed node certificate ({@code name}), and a trust store holding only it. */
  private static Map<String, String> eventBusTls(Path dir, String name) throws IOException, InterruptedException {
    Path keyStore = dir.resolve(name + ".p12");
    Path cert = dir.resolve(name + ".crt");
    Path trustStore = dir.resolve(name + "-trust.p12");
    String password = "cluster-it-secret";
    keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=portico-node", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", keyStore.toString(), "-storepass", password);
    keytool("-exportcert", "-alias", "node", "-keystore", keyStore.toString(), "-storepass", password,
        "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "node", "-file", cert.toString(), "-storetype", "PKCS12",
        "-keystore", trustStore.toString(), "-storepass", password);
    return Map.of(
        "PORTICO_EVENTBUS_TLS", "on",
        "PORTICO_EVENTBUS_TLS_KEYSTORE", keyStore.toString(),
        "PORTICO_EVENTBUS_TLS_KEYSTORE_PASSWORD", password,
        "PORTICO_EVENTBUS_TLS_TRUSTSTORE", trustStore.toString(),
        "PORTICO_EVENTBUS_TLS_TRUSTSTORE_PASSWORD", password);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertTrue(keytool.waitFor(30, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool failed: " + output);
  }

  @AfterAll
  static void stopCluster() {
    for (PorticoProcess node : new PorticoProcess[] {edge, lookupA, lookupB, adminCert, cert, untrusted}) {
      if (node != null) {
        node.close();
      }
    }
    if (vertx != null) {
      Harness.await(vertx.close());
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static HttpResponse<String> get(String host) throws IOException, InterruptedException {
    return get(edge, host);
  }

  private static HttpResponse<String> get(PorticoProcess node, String host) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/"))
        .header("Host", host).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int status(String host) {
    try {
      return get(host).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** What the admin API will do: write the site, then tell every lookup node. */
  private static void addSite(String pattern) {
    Harness.await(redisApi.set(List.of("portico:site:" + pattern, "{\"targets\":[\"127.0.0.1:" + backendPort + "\"]}")));
    Harness.await(redisApi.publish("portico:site-changes", pattern));
  }

  @Test
  @Order(1)
  void everyNodeIsLiveAndReadyOnItsOpsPort() {
    for (PorticoProcess node : List.of(edge, lookupA, lookupB, adminCert, cert)) {
      assertEquals(200, node.opsStatus("/health/live"), node.name);
      assertEquals(200, node.opsStatus("/health/ready"), node.name);
    }
  }

  @Test
  @Order(2)
  void aSiteAddedRoutesAtTheEdgeNodeWithinSeconds() {
    // The edge asks a lookup node across the cluster, and remembers the miss for 10 s...
    assertEquals(404, status("shop.added.test"));
    addSite("*.added.test");
    // ...until the lookup node's change notice, over the clustered event bus, drops it (0.5 s here).
    long took = Harness.waitFor(() -> status("shop.added.test") == 200, 3_000);
    System.out.println("site added -> routed at the edge node in " + took + " ms");
  }

  /**
   * Hazelcast membership is not encrypted, so a node can join without the cluster's certificate;
   * the event bus is, and refuses it: its lookups go unanswered.
   */
  @Test
  @Order(4)
  void anEdgeWithoutATrustedCertificateGetsNoAnswerOnTheEventBus() throws Exception {
    untrusted = new PorticoProcess("untrusted-edge", "edge", dir).env(eventBusTls(dir, "untrusted"))
        .env(Map.of("PORTICO_REDIS_URL", "redis://127.0.0.1:" + redis.port(), "PORTICO_CLUSTER_MEMBERS", members,
            "PORTICO_LOOKUP_TIMEOUT_MS", "1000", "PORTICO_SECRET_KEY", Harness.SECRET_KEY));
    untrusted.start().awaitReady(READY_TIMEOUT_MS);
    addSite("*.tls.test");
    // the trusted edge routes it once a lookup node has applied the change (asynchronously)
    Harness.waitFor(() -> status("a.tls.test") == 200, 3_000);
    assertEquals(503, get(untrusted, "b.tls.test").statusCode());
    untrusted.kill();
  }

  @Test
  @Order(3)
  void killingALookupNodeLosesNoRequestAndNewNamesResolveThroughTheOther() throws Exception {
    addSite("*.steady.test");
    int streams = 20;
    for (int i = 0; i < streams; i++) {
      String host = "h" + i + ".steady.test";
      Harness.waitFor(() -> status(host) == 200, 5_000);
    }
    ExecutorService pool = Executors.newFixedThreadPool(streams + 10);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger served = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch streaming = new CountDownLatch(streams);
    List<Future<?>> loops = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      String host = "h" + i + ".steady.test";
      loops.add(pool.submit(() -> {
        streaming.countDown();
        while (running.get()) {
          try {
            HttpResponse<String> response = get(host);
            if (response.statusCode() == 200) {
              served.incrementAndGet();
            } else {
              failures.add(host + ": " + response.statusCode() + " " + response.body());
            }
          } catch (Exception e) {
            failures.add(host + ": " + e);
          }
        }
      }));
    }
    streaming.await();
    Thread.sleep(1_000);
    int beforeKill = served.get();
    lookupB.kill();

    // Names nobody asked for yet: about half go first to the dead node's consumer, still listed.
    long killed = System.nanoTime();
    List<Future<Integer>> fresh = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String host = "new" + i + ".steady.test";
      fresh.add(pool.submit(() -> status(host)));
    }
    List<Integer> freshStatuses = new ArrayList<>();
    for (Future<Integer> answer : fresh) {
      freshStatuses.add(answer.get(15, TimeUnit.SECONDS));
    }
    long freshMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);

    Thread.sleep(2_000);
    running.set(false);
    for (Future<?> loop : loops) {
      loop.get(15, TimeUnit.SECONDS);
    }
    pool.shutdown();
    System.out.println("lookup node killed: " + served.get() + " requests served (" + beforeKill
        + " before the kill), new names resolved in " + freshMs + " ms");
    assertEquals(List.of(), List.copyOf(failures), "requests for cached sites that failed");
    assertTrue(served.get() > beforeKill + streams, "the stream went on after the kill: " + served.get());
    assertEquals(List.of(200, 200, 200, 200, 200, 200, 200, 200, 200, 200), freshStatuses);
    assertTrue(freshMs < 5_000, "new names resolved within seconds: " + freshMs + " ms");
    assertEquals(200, status("later.steady.test"));
  }

  /**
   * The contract with the cert role: the renewal scheduler runs on one node at a time, the holder
   * of the Redis lease {@value #LEASE_KEY} = {@code <pid>@<hostname>/<random>#<n>}; when the holder
   * dies, another cert node takes the lease over.
   */
  @Test
  @Order(5)
  void theRenewalSchedulerMovesWhenItsHolderIsKilled() {
    Map<Long, PorticoProcess> certNodes = Map.of(adminCert.pid(), adminCert, cert.pid(), cert);
    Harness.waitFor(() -> leaseHolder() != null, 20_000);
    long holder = leaseHolder();
    assertTrue(certNodes.containsKey(holder), "the lease names a cert node: " + holder + " not in " + certNodes.keySet());
    certNodes.get(holder).kill();
    long took = Harness.waitFor(() -> {
      Long now = leaseHolder();
      return now != null && now != holder && certNodes.containsKey(now) && certNodes.get(now).alive();
    }, 20_000);
    System.out.println("renewal scheduler moved to another node in " + took + " ms");
  }

  private static Long leaseHolder() {
    Response value = Harness.await(redisApi.get(LEASE_KEY));
    if (value == null) {
      return null;
    }
    String lease = value.toString();
    int at = lease.indexOf('@');
    assertTrue(at > 0 && lease.indexOf('/', at) > at, "lease value is <pid>@<hostname>/<random>#<n>: " + lease);
    return Long.parseLong(lease.substring(0, at));
  }
}
