package dev.portico.edge.route;

import dev.portico.contract.Addresses;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.RouteMatch;
import dev.portico.contract.SiteChange;
import dev.portico.edge.EdgeOptions;
import dev.portico.edge.observe.EdgeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Finds the route for a host, tier by tier: the in-process {@link RouteCache}; Redis (the exact
 * site, else the route cache the lookup verticles write); a lookup verticle over the event bus.
 * Concurrent misses for one host share one resolution. When neither Redis nor a lookup verticle
 * answers, an expired cached route is served rather than nothing.
 */
public final class RouteResolver {

  private static final Logger LOG = LoggerFactory.getLogger(RouteResolver.class);
  /** Tries of a lookup that gets no answer; each try waits up to the lookup timeout. */
  private static final int LOOKUP_TRIES = 3;

  private final Vertx vertx;
  private final Redis redis;
  private final RouteCache cache;
  private final DeliveryOptions lookupDelivery;
  private final Map<String, Future<Route>> inFlight = new HashMap<>();
  private final EdgeMetrics metrics;

  private final RouteBuilder builder;

  public RouteResolver(Vertx vertx, Redis redis, EdgeOptions options, EdgeMetrics metrics, RouteBuilder builder) {
    this.vertx = vertx;
    this.builder = builder;
    this.redis = redis;
    this.metrics = metrics;
    this.cache = new RouteCache(options);
    this.lookupDelivery = new DeliveryOptions().setSendTimeout(options.lookupTimeoutMs());
  }

  /**
   * The cached route for {@code host}, or {@code null}: then call {@link #resolve}. A route just
   * past its freshness is still returned, and resolved again in the background.
   */
  public Route cached(String host) {
    Route route = cache.fresh(host);
    if (route == null) {
      route = cache.refreshable(host);
      if (route == null) {
        return null;
      }
      resolve(host);
    }
    metrics.resolved(EdgeMetrics.Tier.PROCESS);
    return route;
  }

  /** Resolves {@code host} past the in-process cache and caches the result. */
  public Future<Route> resolve(String host) {
    Future<Route> pending = inFlight.get(host);
    if (pending != null) {
      return pending;
    }
    Future<Route> resolution = fromRedis(host)
        .recover(e -> {
          metrics.redisError();
          LOG.debug("Redis could not resolve {}: {}", host, e.getMessage());
          return Future.succeededFuture(null);
        })
        .compose(route -> {
          if (route != null) {
            metrics.resolved(EdgeMetrics.Tier.REDIS);
            return Future.succeededFuture(route);
          }
          return fromLookup(host).onSuccess(r -> metrics.resolved(EdgeMetrics.Tier.LOOKUP));
        })
        .recover(e -> {
          Route stale = cache.stale(host);
          if (stale == null) {
            metrics.resolved(EdgeMetrics.Tier.FAILED);
            LOG.warn("Cannot resolve {}: Redis and the lookup verticles are unreachable ({})", host, e.getMessage());
            return Future.failedFuture(e);
          }
          metrics.resolved(EdgeMetrics.Tier.STALE);
          LOG.warn("Serving the cached route of {} past its TTL: {}", host, e.getMessage());
          return Future.succeededFuture(stale);
        });
    if (resolution.isComplete()) {
      if (resolution.succeeded()) {
        cache.put(host, resolution.result());
      }
      return resolution;
    }
    inFlight.put(host, resolution);
    resolution.onComplete(ar -> {
      // a change to one of the host's patterns since it began dropped it: its answer may predate the change
      if (inFlight.get(host) == resolution) {
        inFlight.remove(host);
        if (ar.succeeded()) {
          cache.put(host, ar.result());
        }
      }
    });
    return resolution;
  }

  /**
   * One round trip for the two keys that can answer: the exact site, and the cached route; a
   * cached route needs a second read for its site. Completes with {@code null} when Redis does
   * not know the host.
   */
  private Future<Route> fromRedis(String host) {
    return redis.send(Request.cmd(Command.MGET).arg(RedisKeys.site(host)).arg(RedisKeys.route(host)))
        .compose(values -> {
          Response exact = values.get(0);
          if (exact != null) {
            return Future.succeededFuture(builder.build(new RouteMatch(host, exact.toString())));
          }
          Response routed = values.get(1);
          if (routed == null) {
            return Future.succeededFuture(null);
          }
          String pattern = routed.toString();
          return redis.send(Request.cmd(Command.GET).arg(RedisKeys.site(pattern)))
              .map(site -> site == null ? null : builder.build(new RouteMatch(pattern, site.toString())));
        });
  }

  /**
   * Asks a lookup verticle, and again when none answered, up to {@link #LOOKUP_TRIES} times: in a
   * cluster, a request can go to a node that just died (it times out: the event bus keeps listing
   * a dead node's consumers for a second or more) or find the consumers mid-update (no handlers);
   * the event bus sends each try to the next consumer. A lookup is safe to repeat.
   */
  private Future<Route> fromLookup(String host) {
    return fromLookup(host, LOOKUP_TRIES);
  }

  private Future<Route> fromLookup(String host, int tries) {
    return askLookup(host).recover(e -> {
      if (tries <= 1 || !(e instanceof ReplyException reply) || (reply.failureType() != ReplyFailure.TIMEOUT
          && reply.failureType() != ReplyFailure.NO_HANDLERS)) {
        return Future.failedFuture(e);
      }
      LOG.debug("Asking another lookup verticle for {}: {}", host, e.getMessage());
      return fromLookup(host, tries - 1);
    });
  }

  private Future<Route> askLookup(String host) {
    long start = System.nanoTime();
    return vertx.eventBus().<JsonObject>request(Addresses.LOOKUP, host, lookupDelivery)
        .andThen(ar -> metrics.lookup(System.nanoTime() - start))
        .map(reply -> reply.body() == null ? Route.UNKNOWN : builder.build(RouteMatch.fromJson(reply.body())));
  }

  /**
   * Forgets what {@code change} may have changed. Resolutions under way for the hosts it may
   * concern are dropped from sharing and caching too: they answer those who asked before the
   * change, while a request after it starts anew rather than getting an answer read before the
   * change. Other hosts' resolutions go on (a busy control plane does not turn every miss into
   * an uncached one).
   */
  public void invalidate(SiteChange change) {
    cache.invalidate(change);
    builder.forget(change);
    inFlight.keySet().removeIf(RouteCache.affectedHosts(change));
  }
}
