package dev.portico.lookup;

import dev.portico.contract.DomainPattern;
import dev.portico.contract.PatternOverlap;
import dev.portico.contract.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The Redis route cache ({@code portico:route:<host>} and its per-site index): writes resolved
 * wildcard matches, and deletes the cached routes a new wildcard takes over from a less specific
 * one. One new wildcard checks only the wildcards it overlaps; a resynchronisation, or a batch
 * of many new wildcards, checks every cached route once against the tree instead (linear in the
 * wildcards, where checking each new wildcard against every other was quadratic).
 */
final class RouteCacheKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(RouteCacheKeeper.class);
  /** Route indexes read per pipelined round trip when checking them all. */
  private static final int INDEXES_PER_BATCH = 500;
  /** Caches one route unless its site has its share already; KEYS: route, index; ARGV: pattern, ttl, now, limit, host. */
  private static final String CACHE_ROUTE = """
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
      if not redis.call('ZSCORE', KEYS[2], ARGV[5]) and redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then
        return 0
      end
      redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
      redis.call('ZADD', KEYS[2], tonumber(ARGV[3]) + tonumber(ARGV[2]), ARGV[5])
      redis.call('EXPIRE', KEYS[2], ARGV[2])
      return 1""";

  private final Redis redis;
  private final SiteState sites;
  private final int perSite;

  RouteCacheKeeper(Redis redis, SiteState sites, int perSite) {
    this.redis = redis;
    this.sites = sites;
    this.perSite = perSite;
  }

  /**
   * Writes {@code host -> pattern} and indexes it under the pattern, unless the pattern already
   * has {@code perSite} unexpired hosts there: the hosts come from anyone's requests, and the
   * route cache only saves a lookup, so a flood of random names under a wildcard may not grow
   * Redis past that. One script, so the count holds with every lookup verticle of a cluster writing.
   */
  void cache(String host, String pattern) {
    long now = System.currentTimeMillis() / 1000;
    redis.send(Request.cmd(Command.EVAL).arg(CACHE_ROUTE).arg(2).arg(RedisKeys.route(host))
            .arg(RedisKeys.routesBySite(pattern)).arg(pattern).arg(RedisKeys.ROUTE_TTL_SECONDS).arg(now)
            .arg(perSite).arg(host))
        .onFailure(e -> LOG.debug("Could not cache route {} -> {}: {}", host, pattern, e.getMessage()));
  }

  /**
   * Deletes the cached routes that {@code added} (new wildcards, already in the tree) take over.
   * A new exact site needs nothing: edges read exact sites first.
   */
  Future<Void> dropTakenOver(List<DomainPattern> added) {
    if (added.isEmpty()) {
      return Future.succeededFuture();
    }
    if (added.size() > 20) {
      return checkAll();
    }
    List<String> overlapping = new ArrayList<>();
    for (SiteState.Wildcard other : sites.wildcards()) {
      if (added.stream().anyMatch(a -> !a.equals(other.pattern()) && PatternOverlap.overlap(a, other.pattern()))) {
        overlapping.add(other.pattern().text());
      }
    }
    return check(overlapping);
  }

  /** Checks the cached routes of every wildcard against the tree. */
  Future<Void> checkAll() {
    return check(sites.wildcards().stream().map(w -> w.pattern().text()).toList());
  }

  /**
   * Deletes each cached route of {@code patterns} that the tree no longer gives to that pattern;
   * a batch of indexes per round trip, each batch started from the reply to the one before.
   */
  private Future<Void> check(Collection<String> patterns) {
    List<String> all = List.copyOf(patterns);
    Promise<Void> done = Promise.promise();
    checkBatch(all, 0, done);
    return done.future();
  }

  private void checkBatch(List<String> patterns, int from, Promise<Void> done) {
    if (from >= patterns.size()) {
      done.complete();
      return;
    }
    List<String> batch = patterns.subList(from, Math.min(from + INDEXES_PER_BATCH, patterns.size()));
    String now = Long.toString(System.currentTimeMillis() / 1000);
    List<Request> reads = batch.stream()
        .map(pattern -> Request.cmd(Command.ZRANGEBYSCORE).arg(RedisKeys.routesBySite(pattern)).arg(now).arg("+inf"))
        .toList();
    redis.batch(reads).compose(results -> {
      List<Request> deletes = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        String index = RedisKeys.routesBySite(batch.get(i));
        for (Response host : results.get(i)) {
          String name = host.toString();
          DomainTree.Entry<Long> winner = sites.matchWildcard(name);
          if (winner == null || !winner.pattern().equals(batch.get(i))) {
            deletes.add(Request.cmd(Command.DEL).arg(RedisKeys.route(name)));
            deletes.add(Request.cmd(Command.ZREM).arg(index).arg(name));
          }
        }
      }
      return deletes.isEmpty() ? Future.succeededFuture() : redis.batch(deletes).mapEmpty();
    }).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else {
        checkBatch(patterns, from + INDEXES_PER_BATCH, done);
      }
    });
  }
}
