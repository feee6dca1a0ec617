package dev.portico.lookup;

import dev.portico.contract.HostName;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.RouteMatch;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * The lookup's answers to the edges and the admin: which site serves a host
 * ({@link dev.portico.contract.Addresses#LOOKUP}) and every pattern that matches it
 * ({@link dev.portico.contract.Addresses#EXPLAIN}), from the wildcard tree and Redis.
 */
final class HostQueries {

  private final SiteState state;
  /** The node-local replica when configured, else the master. */
  private final RedisAPI reads;
  private final RouteCacheKeeper routes;

  HostQueries(SiteState state, RedisAPI reads, RouteCacheKeeper routes) {
    this.state = state;
    this.reads = reads;
    this.routes = routes;
  }

  /**
   * Answers which site serves a host: its exact site if Redis has one, else the wildcard the tree
   * picks (the site JSON is read from Redis with the exact site, one round trip). Exact sites are
   * answered from Redis even while they are still being loaded, so the answer never depends on
   * how far loading got.
   */
  void resolve(Message<String> message) {
    String host = HostName.canonical(message.body());
    if (host == null) {
      message.reply(null);
      return;
    }
    DomainTree.Entry<Long> wildcard = state.matchWildcard(host);
    List<String> keys = wildcard == null ? List.of(RedisKeys.site(host))
        : List.of(RedisKeys.site(host), RedisKeys.site(wildcard.pattern()));
    reads.mget(keys).onComplete(read -> {
      if (read.failed()) {
        message.fail(503, "Redis is unreachable: " + read.cause().getMessage());
        return;
      }
      Response exact = read.result().get(0);
      Response site = wildcard == null ? null : read.result().get(1);
      if (exact != null) {
        message.reply(new RouteMatch(host, exact.toString()).toJson());
      } else if (site != null) {
        message.reply(new RouteMatch(wildcard.pattern(), site.toString()).toJson());
        routes.cache(host, wildcard.pattern());
      } else {
        // no site, or a wildcard deleted a moment ago whose change is on its way
        message.reply(null);
      }
    });
  }

  void explain(Message<String> message) {
    String host = HostName.canonical(message.body());
    if (host == null) {
      message.reply(new JsonObject().put("host", (String) null).put("patterns", new JsonArray()));
      return;
    }
    List<DomainTree.Entry<Long>> wildcards = state.matchAllWildcards(host);
    reads.exists(List.of(RedisKeys.site(host))).onComplete(exists -> {
      if (exists.failed()) {
        message.fail(503, "Redis is unreachable: " + exists.cause().getMessage());
        return;
      }
      JsonArray patterns = new JsonArray();
      if (exists.result().toInteger() > 0) {
        patterns.add(host);
      }
      wildcards.forEach(entry -> patterns.add(entry.pattern()));
      message.reply(new JsonObject().put("host", host).put("patterns", patterns));
    });
  }
}
