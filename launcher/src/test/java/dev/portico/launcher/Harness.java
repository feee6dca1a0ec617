package dev.portico.launcher;

import dev.portico.lookup.LookupVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Portico node under test, on real parts: the embedded Redis on a free port, the edge role of a
 * Portico node, a lookup verticle deployed beside it (so a test can stop it), backends that are
 * Vert.x servers on 127.0.0.1, and the JDK's HTTP client.
 */
final class Harness implements AutoCloseable {

  /** The {@code PORTICO_SECRET_KEY} every test node runs with, so stored keys are sealed for real. */
  static final String SECRET_KEY = "test-secret-key";

  final Path dataDir;
  final int redisPort;
  EmbeddedRedis redis;
  final Vertx testVertx = Vertx.vertx();
  final RedisAPI redisApi;
  final Portico portico;
  String lookupDeployment;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  Harness(Map<String, String> extraEnv) throws IOException {
    dataDir = Files.createTempDirectory("portico-test");
    redisPort = freePort();
    redis = EmbeddedRedis.start(dataDir, redisPort);
    redisApi = RedisAPI.api(Redis.createClient(testVertx, new RedisOptions()
        .setConnectionString("redis://127.0.0.1:" + redisPort)));
    Map<String, String> env = listenersOnFreePorts();
    env.put("PORTICO_SECRET_KEY", SECRET_KEY);
    env.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + redisPort);
    env.put("PORTICO_ROLES", "edge");
    env.put("PORTICO_EDGE_INSTANCES", "1");
    env.putAll(extraEnv);
    portico = Portico.start(PorticoConfig.fromEnvironment(env));
    startLookup();
  }

  Harness() throws IOException {
    this(Map.of());
  }

  void startLookup() {
    lookupDeployment = await(portico.vertx().deployVerticle(new LookupVerticle(),
        new DeploymentOptions().setConfig(portico.config().verticleConfig())));
  }

  void stopLookup() {
    await(portico.vertx().undeploy(lookupDeployment));
  }

  void stopRedis() {
    redis.close();
  }

  void restartRedis() {
    redis = EmbeddedRedis.start(dataDir, redisPort);
  }

  int httpPort() {
    return portico.config().httpPort();
  }

  int httpsPort() {
    return portico.config().httpsPort();
  }

  /** Starts a backend on 127.0.0.1; returns its port. */
  int backend(Handler<HttpServerRequest> handler) {
    HttpServer server = await(testVertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1"));
    return server.actualPort();
  }

  /** A backend answering with its name, and the method, URI and headers it received, as text. */
  int namedBackend(String name) {
    return backend(request -> request.body().onSuccess(body -> {
      StringBuilder text = new StringBuilder(name).append('\n')
          .append(request.method()).append(' ').append(request.uri()).append('\n');
      request.headers().forEach(header -> text.append(header.getKey().toLowerCase()).append(": ")
          .append(header.getValue()).append('\n'));
      text.append('\n').append(body.toString());
      request.response().end(text.toString());
    }));
  }

  void putSite(String pattern, String json) {
    await(redisApi.set(List.of("portico:site:" + pattern, json)));
  }

  void putSite(String pattern, int port) {
    putSite(pattern, "{\"targets\":[\"127.0.0.1:" + port + "\"]}");
  }

  void deleteSite(String pattern) {
    await(redisApi.del(List.of("portico:site:" + pattern)));
  }

  /** A GET of {@code path} on the edge for {@code host}, with header fields given as name, value, name, value… */
  HttpResponse<String> get(String host, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
        .header("Host", host).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Sends raw bytes to the edge and returns the response head and body as text. */
  String raw(String request) throws IOException {
    return raw(httpPort(), request);
  }

  /** Sends raw bytes to one of the node's ports and returns the first bytes of the answer as text. */
  String raw(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[65536];
      int n = in.read(buffer);
      return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    }
  }

  /** Polls until {@code condition} holds; returns the milliseconds it took. */
  /** Sleeps {@code ms}; an interrupt fails the test. */
  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static long waitFor(BooleanSupplier condition, long timeoutMs) {
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
        throw new AssertionError("condition not met within " + timeoutMs + " ms");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future failed: " + e, e);
    }
  }

  /**
   * Every listener of a node on 127.0.0.1 and a free port of its own: a test never binds a
   * default port (8443, 9091…), which another test or anything else on the machine may hold.
   */
  static Map<String, String> listenersOnFreePorts() {
    Map<String, String> env = new HashMap<>();
    env.put("PORTICO_BIND", "127.0.0.1");
    for (String port : List.of("PORTICO_HTTP_PORT", "PORTICO_HTTPS_PORT", "PORTICO_ADMIN_PORT", "PORTICO_OPS_PORT")) {
      env.put(port, Integer.toString(freePort()));
    }
    return env;
  }

  /**
   * A port nothing listens on, outside the kernel's ephemeral range and never handed out twice. A
   * port from {@code bind(0)} would come from that range, where any outgoing connection (a
   * cluster member dialling the others, a Redis client) may take it before a node started seconds
   * later binds it.
   */
  static int freePort() {
    synchronized (PORTS) {
      for (int tries = 0; tries < PORT_COUNT; tries++) {
        int port = FIRST_PORT + Math.floorMod(nextPort++, PORT_COUNT);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          return socket.getLocalPort();
        } catch (IOException inUse) {
          // taken by something else on this machine: try the next one
        }
      }
      throw new AssertionError("no free port in " + FIRST_PORT + "-" + (FIRST_PORT + PORT_COUNT - 1));
    }
  }

  private static final Object PORTS = new Object();
  /** Ports outside the ephemeral range: below it from 20000, or else above it. */
  private static final int[] PORT_RANGE = portsOutsideEphemeralRange();
  private static final int FIRST_PORT = PORT_RANGE[0];
  private static final int PORT_COUNT = PORT_RANGE[1];
  /** Starts at a random offset so two test JVMs on one machine rarely walk the same ports. */
  private static int nextPort = ThreadLocalRandom.current().nextInt(PORT_COUNT);

  /** {first port, count}. */
  private static int[] portsOutsideEphemeralRange() {
    int low = 32_768;
    int high = 60_999;
    try {
      String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      low = Integer.parseInt(range[0]);
      high = Integer.parseInt(range[1]);
    } catch (IOException | RuntimeException notLinux) {
      // the Linux default
    }
    if (low - 20_000 >= 1_000) {
      return new int[] {20_000, low - 20_000};
    }
    if (65_535 - high >= 1_000) {
      return new int[] {high + 1, 65_535 - high};
    }
    System.err.println("Harness: the ephemeral port range " + low + "-" + high + " leaves no room outside it; "
        + "test ports may be taken by outgoing connections (cluster tests may fail to start a node)");
    return new int[] {20_000, 10_000};
  }

  @Override
  public void close() {
    portico.close();
    await(testVertx.close());
    if (redis != null) {
      redis.close();
    }
  }
}
