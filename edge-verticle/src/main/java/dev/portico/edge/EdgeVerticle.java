package dev.portico.edge;

import dev.portico.contract.Addresses;
import dev.portico.contract.SiteChange;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts HTTP on the edge port, answers ACME HTTP-01 challenges from Redis and proxies every
 * other request to its site's targets. Each instance
 * owns its route cache, its Redis client and its backend connection pool, all on its own event
 * loop; instances share the listening port.
 */
public final class EdgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeVerticle.class);
  /** Backend connections kept per target and event loop; nginx's keepalive 256 equivalent. */
  private static final int BACKEND_POOL_SIZE = 256;
  private static final int CLIENT_IDLE_TIMEOUT_S = 75;

  private Redis redis;
  private HttpClient backends;
  private HttpServer server;

  @Override
  public Future<?> start() {
    EdgeOptions options = EdgeOptions.fromJson(config());
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(options.redisUrl())
        .setMaxPoolSize(4).setMaxPoolWaiting(-1));
    backends = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(60).setMaxHeaderSize(16 * 1024),
        new PoolOptions().setHttp1MaxSize(BACKEND_POOL_SIZE));
    RouteResolver routes = new RouteResolver(vertx, redis, options);
    vertx.eventBus().<JsonObject>consumer(Addresses.SITE_CHANGED,
        message -> routes.invalidate(SiteChange.fromJson(message.body())));
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHandle100ContinueAutomatically(true)
        .setIdleTimeout(CLIENT_IDLE_TIMEOUT_S))
        .requestHandler(new AcmeChallengeHandler(redis, new ReverseProxy(routes, backends)));
    return server.listen(options.httpPort(), options.host())
        .onSuccess(s -> LOG.debug("Edge listening on {}:{}", options.host(), s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return Future.join(server.close(), backends.close(), redis.close());
  }
}
