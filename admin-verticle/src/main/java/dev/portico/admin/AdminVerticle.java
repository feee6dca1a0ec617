package dev.portico.admin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

/**
 * The admin port. For now it answers the health probes: {@code GET /health/live} (the process
 * serves) and {@code GET /health/ready} (Redis answers); the API comes with the admin issue.
 */
public final class AdminVerticle extends VerticleBase {

  private Redis redis;
  private HttpServer server;

  @Override
  public Future<?> start() {
    JsonObject config = config();
    redis = Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(config.getString("redisUrl", "redis://127.0.0.1:6379")).setMaxPoolSize(2));
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(config.getInteger("adminPort", 9090), config.getString("host", "0.0.0.0"));
  }

  private void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET) {
      respond(request, 405, new JsonObject().put("error", "method not allowed").put("detail", "Use GET"));
      return;
    }
    switch (request.path()) {
      case "/health/live" -> respond(request, 200, new JsonObject().put("status", "up"));
      case "/health/ready" -> RedisAPI.api(redis).ping(java.util.List.of()).onComplete(ar -> respond(request,
          ar.succeeded() ? 200 : 503,
          new JsonObject().put("status", ar.succeeded() ? "up" : "down").put("redis", ar.succeeded() ? "up" : "down")));
      default -> respond(request, 404, new JsonObject().put("error", "not found").put("detail", request.path()));
    }
  }

  private static void respond(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }

  @Override
  public Future<?> stop() {
    return Future.join(server.close(), redis.close());
  }
}
