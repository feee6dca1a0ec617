package dev.portico.launcher;

import dev.portico.contract.RequestHeads;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import dev.portico.contract.redis.ReplicaReads;
import io.vertx.redis.client.Request;

/**
 * The operations port every node opens, whatever its roles: {@code GET /health/live} (the process
 * answers), {@code GET /health/ready} (Redis answers and every role of the node is deployed;
 * 503 otherwise) and {@code GET /metrics} (the node's Prometheus metrics). Orchestrators probe it
 * and Prometheus scrapes it on nodes that have no admin port.
 */
final class OpsServer {

  /** The probe paths; the admin port answers the same ones. */
  static final String LIVE_PATH = "/health/live";
  static final String READY_PATH = "/health/ready";
  static final String METRICS_PATH = "/metrics";
  private static final long REDIS_PING_TIMEOUT_MS = 2_000;
  /** Seconds a connection may stay silent, as on the edge. */
  private static final int IDLE_TIMEOUT_S = 75;

  private final Vertx vertx;
  private final Redis redis;
  private final HttpServer server;
  private final PrometheusMeterRegistry metrics;
  private volatile boolean rolesDeployed;

  private OpsServer(Vertx vertx, Redis redis, HttpServer server, PrometheusMeterRegistry metrics) {
    this.vertx = vertx;
    this.redis = redis;
    this.server = server;
    this.metrics = metrics;
  }

  static Future<OpsServer> start(Vertx vertx, PorticoConfig config, PrometheusMeterRegistry metrics) {
    // reads: the node-local replica when there is one (its state is in the readiness answer), else the master
    Redis redis = config.redisSetup().readClient(vertx, 1, 16);
    // the idle timeout and (through the listener guards) a request head deadline keep slow or
    // silent clients from holding connections; HTTP/1.1 only, as on the admin port (AdminVerticle)
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(IDLE_TIMEOUT_S)
        .setHttp2ClearTextEnabled(false));
    OpsServer ops = new OpsServer(vertx, redis, server, metrics);
    server.requestHandler(RequestHeads.reporting(ops::handle));
    return server.listen(config.opsPort(), config.bindHost())
        .map(s -> ops)
        .recover(e -> {
          redis.close();
          return Future.failedFuture(e);
        });
  }

  /** From now on the node is ready whenever Redis answers. */
  void rolesDeployed() {
    rolesDeployed = true;
  }

  private void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET) {
      respond(request, 405, new JsonObject().put("error", "method not allowed").put("detail", "Use GET"));
      return;
    }
    switch (request.path()) {
      case LIVE_PATH -> respond(request, 200, new JsonObject().put("status", "up"));
      case READY_PATH -> redis.send(Request.cmd(Command.PING))
          .timeout(REDIS_PING_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
          .onComplete(ping -> {
            boolean ready = ping.succeeded() && rolesDeployed;
            JsonObject body = new JsonObject()
                .put("status", ready ? "up" : "down")
                .put("redis", ping.succeeded() ? "up" : "down")
                .put("roles", rolesDeployed ? "deployed" : "starting");
            Object replica = vertx.sharedData().getLocalMap(ReplicaReads.HEALTH_MAP).get(ReplicaReads.HEALTH_KEY);
            if (replica != null) {
              body.put("redisReplica", replica);
            }
            respond(request, ready ? 200 : 503, body);
          });
      case METRICS_PATH -> request.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
          .end(metrics.scrape());
      default -> respond(request, 404, new JsonObject().put("error", "not found").put("detail", request.path()));
    }
  }

  private static void respond(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }

  Future<Void> close() {
    return Future.join(server.close(), redis.close()).mapEmpty();
  }
}
