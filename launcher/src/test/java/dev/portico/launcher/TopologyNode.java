package dev.portico.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Portico node on Redis servers a test started ({@link RedisServers}), with a Vert.x of the
 * test's own for backends and direct Redis clients (what an operator's {@code redis-cli} does).
 */
final class TopologyNode implements AutoCloseable {

  static final String ADMIN_PASSWORD = "correct horse battery staple";

  final Vertx testVertx = Vertx.vertx();
  final Portico portico;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  TopologyNode(Map<String, String> redisEnv) {
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_SECRET_KEY", Harness.SECRET_KEY);
    env.put("PORTICO_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("PORTICO_EDGE_INSTANCES", "1");
    env.putAll(redisEnv);
    portico = Portico.start(PorticoConfig.fromEnvironment(env));
  }

  /** A backend answering 200 with its name. */
  int backend(String name) {
    return Harness.await(testVertx.createHttpServer().requestHandler(request -> request.response().end(name))
        .listen(0, "127.0.0.1")).actualPort();
  }

  static String site(int port) {
    return "{\"targets\":[\"127.0.0.1:" + port + "\"]}";
  }

  /** A client of one Redis server, as {@code redis-cli} would be. */
  RedisAPI redis(RedisServers.Server server) {
    return RedisAPI.api(Redis.createClient(testVertx, server.url()));
  }

  /** The status of a GET for {@code host} on the edge, or -1 when the request failed outright. */
  int status(String host) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portico.config().httpPort() + "/"))
          .header("Host", host).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The ops port's readiness answer. */
  JsonObject readiness() {
    try {
      return new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + portico.config().opsPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  AdminClient admin() {
    return new AdminClient(portico.config().adminPort());
  }

  static String get(RedisAPI redis, String key) {
    var value = Harness.await(redis.get(key));
    return value == null ? null : value.toString();
  }

  static void set(RedisAPI redis, String key, String value) {
    Harness.await(redis.set(List.of(key, value)));
  }

  @Override
  public void close() {
    portico.close();
    Harness.await(testVertx.close());
  }
}
