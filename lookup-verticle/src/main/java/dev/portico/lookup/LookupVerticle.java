package dev.portico.lookup;

import dev.portico.contract.Addresses;
import dev.portico.contract.DomainPattern;
import dev.portico.contract.HostName;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.RouteMatch;
import dev.portico.contract.SiteChange;
import dev.portico.contract.redis.RedisSetup;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Owns the wildcard domain tree of every site in Redis and answers {@link Addresses#LOOKUP}
 * requests from it. Keeps the tree current from pushed changes ({@link RedisChangeSubscription}),
 * and passes certificate changes on to the edges as {@link Addresses#CERT_CHANGED},
 * writes resolved wildcard matches back to Redis as a route cache, and tells the edges what
 * changed on {@link Addresses#SITE_CHANGED} once tree and route cache reflect it.
 */
public final class LookupVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(LookupVerticle.class);
  private static final int SCAN_BATCH = 1000;
  /** Site changes applied per MGET. */
  private static final int CHANGE_BATCH = 1000;
  /** Past this many changes found by one resynchronisation, edges are told to drop everything. */
  private static final int MAX_INDIVIDUAL_CHANGES = 100;
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

  private LookupOptions options;
  /** The master: the route cache this verticle writes back. */
  private Redis redis;
  /** The node-local replica when configured, else the master: the sites. */
  private Redis reads;
  private RedisAPI api;
  private RedisChangeSubscription subscription;
  private ManagedRedisSweep sweep;
  private MessageConsumer<String> consumer;
  private MessageConsumer<String> explainConsumer;

  private DomainTree<String> tree = new DomainTree<>();
  /** Pattern to site JSON: what the tree holds, kept to tell what a resynchronisation changed. */
  private Map<String, String> sites = new HashMap<>();
  private final Set<String> wildcards = new HashSet<>();
  /** Patterns changed while a resynchronisation was reading Redis: applied again after it. */
  private Set<String> changedDuringResync;
  private Future<Void> resyncing;
  private final Set<String> pendingChanges = new LinkedHashSet<>();
  private boolean applyingChanges;

  @Override
  public Future<?> start() {
    options = LookupOptions.fromJson(config());
    RedisSetup redisSetup = RedisSetup.fromConfig(config());
    redis = redisSetup.writeClient(vertx, 8, -1);
    // a replica back in sync after a full copy fired no notifications for what it loaded
    reads = redisSetup.readClient(vertx, 8, -1, v -> catchUp());
    api = RedisAPI.api(reads);
    sweep = new ManagedRedisSweep(vertx, reads, options.sweepMs(), new ManagedRedisSweep.Sites(
        pattern -> sites.containsKey(pattern), () -> sites.keySet(), this::applyChange, this::publishCertChange));
    subscription = new RedisChangeSubscription(vertx, redisSetup.subscriptionOptions(), redisSetup.database(),
        new RedisChangeSubscription.Listeners(this::applyChange, this::publishCertChange,
            notifications -> {
              if (notifications) {
                sweep.stop();
              } else {
                sweep.start();
              }
            }, v -> catchUp()));
    return subscription.start()
        .compose(v -> resync())
        .onSuccess(v -> {
          consumer = vertx.eventBus().consumer(Addresses.LOOKUP, this::resolve);
          explainConsumer = vertx.eventBus().consumer(Addresses.EXPLAIN, this::explain);
          // The node's registry, or a private one when the node runs without metrics.
          MeterRegistry registry = Optional.ofNullable(config().getString("metricsRegistry"))
              .map(BackendRegistries::getNow).orElseGet(SimpleMeterRegistry::new);
          Gauge.builder("portico.lookup.sites", this, lookup -> lookup.tree.size())
              .description("Sites in this lookup verticle's domain tree").register(registry);
          LOG.info("Lookup ready with {} sites", tree.size());
        });
  }

  @Override
  public Future<?> stop() {
    sweep.stop();
    Future<Void> unregistered = consumer == null ? Future.succeededFuture()
        : Future.join(consumer.unregister(), explainConsumer.unregister()).mapEmpty();
    return Future.join(unregistered, subscription.close(), redis.close(), reads.close());
  }

  /**
   * After the change subscription was lost and restored (its server may have restarted, or be
   * another one now): any site or certificate may have changed meanwhile, so the edges drop every
   * parsed certificate and the sites are read again.
   */
  private void catchUp() {
    vertx.eventBus().publish(Addresses.CERT_CHANGED, new JsonObject().put("all", true));
    resync();
  }

  private void resolve(Message<String> message) {
    String host = HostName.canonical(message.body());
    DomainTree.Entry<String> entry = host == null ? null : tree.match(host);
    if (entry == null) {
      message.reply(null);
      return;
    }
    message.reply(new RouteMatch(entry.pattern(), entry.value()).toJson());
    if (!entry.pattern().equals(host)) {
      cacheRoute(host, entry.pattern());
    }
  }

  private void explain(Message<String> message) {
    String host = HostName.canonical(message.body());
    JsonArray patterns = new JsonArray();
    if (host != null) {
      tree.matchAll(host).forEach(entry -> patterns.add(entry.pattern()));
    }
    message.reply(new JsonObject().put("host", host).put("patterns", patterns));
  }

  /**
   * Writes {@code host -> pattern} to the Redis route cache and indexes it under the pattern,
   * unless the pattern already has {@link LookupOptions#routeCachePerSite} unexpired hosts there:
   * the hosts come from anyone's requests, and the route cache only saves a lookup, so a flood of
   * random names under a wildcard may not grow Redis past that. One script, so the count holds
   * with every lookup verticle of a cluster writing.
   */
  private void cacheRoute(String host, String pattern) {
    long now = System.currentTimeMillis() / 1000;
    redis.send(Request.cmd(Command.EVAL).arg(CACHE_ROUTE).arg(2).arg(RedisKeys.route(host))
            .arg(RedisKeys.routesBySite(pattern)).arg(pattern).arg(RedisKeys.ROUTE_TTL_SECONDS).arg(now)
            .arg(options.routeCachePerSite()).arg(host))
        .onFailure(e -> LOG.debug("Could not cache route {} -> {}: {}", host, pattern, e.getMessage()));
  }

  /**
   * Queues one site's change notification. Changes are applied in batches (one MGET each) on
   * the verticle's context, so a burst of writes — a bulk import of 100 000 sites — costs a few
   * hundred round trips instead of one per write, and a site written twice is read once.
   */
  private void applyChange(String pattern) {
    if (changedDuringResync != null) {
      changedDuringResync.add(pattern);
    }
    pendingChanges.add(pattern);
    if (!applyingChanges) {
      applyingChanges = true;
      vertx.runOnContext(v -> applyPendingChanges());
    }
  }

  private void applyPendingChanges() {
    List<String> batch = new ArrayList<>(Math.min(pendingChanges.size(), CHANGE_BATCH));
    for (var it = pendingChanges.iterator(); it.hasNext() && batch.size() < CHANGE_BATCH; ) {
      batch.add(it.next());
      it.remove();
    }
    if (batch.isEmpty()) {
      applyingChanges = false;
      return;
    }
    api.mget(batch.stream().map(RedisKeys::site).toList())
        .compose(values -> {
          List<String> changed = new ArrayList<>();
          List<Future<Void>> drops = new ArrayList<>();
          for (int i = 0; i < batch.size(); i++) {
            Response value = values.get(i);
            Change change = put(batch.get(i), value == null ? null : value.toString());
            if (change == Change.ADDED_WILDCARD) {
              drops.add(dropRoutesTakenOverBy(DomainPattern.parse(batch.get(i))));
            }
            if (change != Change.NONE) {
              changed.add(batch.get(i));
            }
          }
          return Future.all(drops).map(changed);
        })
        .onSuccess(this::publish)
        .onFailure(e -> LOG.warn("Could not apply the changes of {} sites (the next resync will): {}", batch.size(),
            e.getMessage()))
        .onComplete(ar -> applyPendingChanges());
  }

  private enum Change { NONE, CHANGED, ADDED_WILDCARD }

  /** Puts ({@code json} set) or removes one site in the tree. */
  private Change put(String pattern, String json) {
    DomainPattern parsed;
    try {
      parsed = DomainPattern.parse(pattern);
    } catch (IllegalArgumentException e) {
      LOG.warn("Ignoring site key {}: {}", RedisKeys.site(pattern), e.getMessage());
      return Change.NONE;
    }
    if (!parsed.text().equals(pattern)) {
      LOG.warn("Ignoring site key {}: patterns are stored in canonical form ({})", RedisKeys.site(pattern),
          parsed.text());
      return Change.NONE;
    }
    if (json == null) {
      wildcards.remove(pattern);
      tree.remove(parsed);
      return sites.remove(pattern) != null ? Change.CHANGED : Change.NONE;
    }
    String previous = sites.put(pattern, json);
    tree.put(parsed, json);
    if (previous == null && parsed.isWildcard()) {
      wildcards.add(pattern);
      return Change.ADDED_WILDCARD;
    }
    return json.equals(previous) ? Change.NONE : Change.CHANGED;
  }

  /**
   * A new wildcard may serve hosts that the Redis route cache sends to another, less specific
   * wildcard: delete those routes. (A new exact site needs nothing: edges read exact sites first.)
   */
  private Future<Void> dropRoutesTakenOverBy(DomainPattern added) {
    String now = Long.toString(System.currentTimeMillis() / 1000);
    List<Future<?>> drops = new ArrayList<>();
    for (String other : wildcards) {
      if (other.equals(added.text())) {
        continue;
      }
      String index = RedisKeys.routesBySite(other);
      // the route cache lives on the master, which wrote it
      drops.add(redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(index).arg(now).arg("+inf")).compose(hosts -> {
        List<Request> deletes = new ArrayList<>();
        for (Response host : hosts) {
          String name = host.toString();
          DomainTree.Entry<String> winner = tree.match(name);
          if (added.matches(name) && (winner == null || !winner.pattern().equals(other))) {
            deletes.add(Request.cmd(Command.DEL).arg(RedisKeys.route(name)));
            deletes.add(Request.cmd(Command.ZREM).arg(index).arg(name));
          }
        }
        return deletes.isEmpty() ? Future.succeededFuture() : redis.batch(deletes);
      }));
    }
    return Future.all(drops).mapEmpty();
  }

  /**
   * Reads every site from Redis (SCAN, never KEYS), swaps in the new tree, then applies again the
   * changes that arrived meanwhile and tells the edges what differs from before.
   */
  private Future<Void> resync() {
    if (resyncing != null) {
      return resyncing;
    }
    changedDuringResync = new HashSet<>();
    Map<String, String> loaded = new HashMap<>();
    resyncing = scan("0", loaded)
        .compose(v -> swapIn(loaded))
        .onComplete(ar -> {
          Set<String> pending = changedDuringResync;
          changedDuringResync = null;
          resyncing = null;
          if (ar.failed()) {
            LOG.warn("Could not read the sites from Redis: {}", ar.cause().getMessage());
          }
          pending.forEach(this::applyChange);
        });
    return resyncing;
  }

  private Future<Void> scan(String cursor, Map<String, String> into) {
    return api.scan(List.of(cursor, "MATCH", RedisKeys.SITE_PREFIX + "*", "COUNT", Integer.toString(SCAN_BATCH)))
        .compose(page -> {
          String next = page.get(0).toString();
          List<String> keys = new ArrayList<>(page.get(1).size());
          page.get(1).forEach(key -> keys.add(key.toString()));
          Future<Void> read = keys.isEmpty() ? Future.succeededFuture() : api.mget(keys).map(values -> {
            for (int i = 0; i < keys.size(); i++) {
              Response value = values.get(i);
              if (value != null) {
                into.put(RedisKeys.patternOfSiteKey(keys.get(i)), value.toString());
              }
            }
            return null;
          });
          return read.compose(v -> "0".equals(next) ? Future.succeededFuture() : scan(next, into));
        });
  }

  private Future<Void> swapIn(Map<String, String> loaded) {
    Map<String, String> before = sites;
    Set<String> wildcardsBefore = new HashSet<>(wildcards);
    tree = new DomainTree<>();
    sites = new HashMap<>();
    wildcards.clear();
    loaded.forEach(this::put);
    Set<String> changed = new HashSet<>();
    sites.forEach((pattern, json) -> {
      if (!json.equals(before.get(pattern))) {
        changed.add(pattern);
      }
    });
    before.keySet().stream().filter(pattern -> !sites.containsKey(pattern)).forEach(changed::add);
    List<Future<Void>> drops = wildcards.stream().filter(pattern -> !wildcardsBefore.contains(pattern))
        .map(pattern -> dropRoutesTakenOverBy(DomainPattern.parse(pattern))).toList();
    return Future.all(drops).onSuccess(v -> publish(changed)).mapEmpty();
  }

  /** Certificates need no state here: the edges read them; tell them which one changed. */
  private void publishCertChange(String name) {
    vertx.eventBus().publish(Addresses.CERT_CHANGED, new JsonObject().put("name", name));
  }

  /** Tells the edges which sites changed: each one, or past a hundred, that everything may have. */
  private void publish(Collection<String> changed) {
    if (changed.size() > MAX_INDIVIDUAL_CHANGES) {
      vertx.eventBus().publish(Addresses.SITE_CHANGED, SiteChange.ALL.toJson());
    } else {
      changed.forEach(pattern -> vertx.eventBus().publish(Addresses.SITE_CHANGED, new SiteChange(pattern).toJson()));
    }
  }
}
