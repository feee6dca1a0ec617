package dev.portico.lookup;

import dev.portico.contract.Addresses;
import dev.portico.contract.DomainPattern;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.SiteChange;
import dev.portico.contract.redis.RedisSetup;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
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
  /**
   * Keys Redis looks at per SCAN page: at a million keys, 50 round trips instead of 1000, each
   * still a command of a few milliseconds.
   */
  private static final int SCAN_COUNT = 20_000;
  /** Site changes applied per MGET. */
  private static final int CHANGE_BATCH = 1000;
  /** Past this many changes found by one resynchronisation, edges are told to drop everything. */
  private static final int MAX_INDIVIDUAL_CHANGES = 100;

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

  private final SiteState state = new SiteState();
  private RouteCacheKeeper routes;
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
    // the route cache lives on the master, which writes it
    routes = new RouteCacheKeeper(redis, state, options.routeCachePerSite());
    sweep = new ManagedRedisSweep(vertx, reads, options.sweepMs(), new ManagedRedisSweep.Sites(
        state::holds, state::patterns, this::applyChange, this::publishCertChange));
    subscription = new RedisChangeSubscription(vertx, redisSetup.subscriptionOptions(), redisSetup.database(),
        new RedisChangeSubscription.Listeners(this::applyChange, this::publishCertChange,
            this::onNotifications, v -> catchUp()));
    return subscription.start()
        .compose(v -> resync())
        .onSuccess(v -> {
          HostQueries queries = new HostQueries(state, api, routes);
          consumer = vertx.eventBus().consumer(Addresses.LOOKUP, queries::resolve);
          explainConsumer = vertx.eventBus().consumer(Addresses.EXPLAIN, queries::explain);
          // The node's registry, or a private one when the node runs without metrics.
          MeterRegistry registry = Optional.ofNullable(config().getString("metricsRegistry"))
              .map(BackendRegistries::getNow).orElseGet(SimpleMeterRegistry::new);
          Gauge.builder("portico.lookup.sites", state, SiteState::wildcardCount)
              .description("Wildcard sites in this lookup verticle's tree (exact sites are read from Redis)")
              .register(registry);
          LOG.info("Lookup ready with {} wildcard sites (exact sites are read from Redis)", state.wildcardCount());
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

  /**
   * Whether the server subscribed to sends keyspace notifications. Without them the sweep finds
   * direct writes, and it needs the exact sites' fingerprints to tell which ones changed (else
   * every exact site it passes would be announced as changed): a resynchronisation reads them.
   * With them again, the fingerprints are dropped: notifications name every change.
   */
  private void onNotifications(boolean notifications) {
    if (notifications) {
      sweep.stop();
      state.stopTrackingExactSites();
    } else if (!state.tracksExactSites()) {
      state.trackExactSites();
      sweep.start();
      if (consumer != null) {
        resync();
      }
    }
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
    if (!state.tracksExactSites() && SiteState.isExact(pattern)) {
      // Nothing here holds an exact site, and Redis has the new value already: the edges can
      // drop it at once, without a round trip to Redis first.
      publish(List.of(pattern));
      return;
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
          List<DomainPattern> added = new ArrayList<>();
          for (int i = 0; i < batch.size(); i++) {
            Response value = values.get(i);
            SiteState.Change change = state.put(batch.get(i), value == null ? null : value.toString());
            if (change == SiteState.Change.ADDED_WILDCARD) {
              added.add(DomainPattern.parse(batch.get(i)));
            }
            if (change != SiteState.Change.NONE) {
              changed.add(batch.get(i));
            }
          }
          return routes.dropTakenOver(added).map(changed);
        })
        .onSuccess(this::publish)
        .onFailure(e -> LOG.warn("Could not apply the changes of {} sites (the next resync will): {}", batch.size(),
            e.getMessage()))
        // from the reply's callback: a fresh stack for each batch, however many are queued
        .onComplete(ar -> applyPendingChanges());
  }

  /**
   * Reads every wildcard site from Redis (a SCAN whose MATCH picks them out in Redis, so the few
   * thousand wildcards among a million exact sites come in about a second), swaps in the new
   * tree, checks the route cache against it, and tells the edges what changed: the wildcards
   * that differ, and every exact site — they may have changed while nobody listened, and they are
   * not held here — unless the managed-Redis sweep needs their fingerprints; then a second pass
   * reads them all and only those that differ are named. Changes that arrive meanwhile are applied
   * again after it. Returns the running resynchronisation's future when one runs.
   */
  private Future<Void> resync() {
    if (resyncing != null) {
      return resyncing;
    }
    changedDuringResync = new HashSet<>();
    Map<String, Long> wildcards = new HashMap<>();
    long started = System.nanoTime();
    resyncing = SiteScan.read(api, SiteScan.WILDCARD_SITES, SCAN_COUNT, false,
            (pattern, json) -> wildcards.put(pattern, SiteState.fingerprint(json)))
        .compose(v -> {
          List<String> changed = state.replaceWildcards(wildcards);
          return routes.checkAll().map(changed);
        })
        .compose(changedWildcards -> {
          LOG.info("Read {} wildcard sites in {} ms", wildcards.size(), (System.nanoTime() - started) / 1_000_000);
          if (!state.tracksExactSites()) {
            publish(List.of(), true);
            return Future.succeededFuture();
          }
          Map<String, Long> exact = new HashMap<>();
          return SiteScan.read(api, SiteScan.ALL_SITES, SCAN_COUNT, true,
                  (pattern, json) -> exact.put(pattern, SiteState.fingerprint(json)))
              .onSuccess(x -> {
                List<String> changed = new ArrayList<>(changedWildcards);
                changed.addAll(state.replaceExact(exact));
                publish(changed, false);
              });
        })
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

  /** Certificates need no state here: the edges read them; tell them which one changed. */
  private void publishCertChange(String name) {
    vertx.eventBus().publish(Addresses.CERT_CHANGED, new JsonObject().put("name", name));
  }

  private void publish(Collection<String> changed) {
    publish(changed, false);
  }

  /** Tells the edges which sites changed: each one, or past a hundred (or with {@code all}), that everything may have. */
  private void publish(Collection<String> changed, boolean all) {
    if (all || changed.size() > MAX_INDIVIDUAL_CHANGES) {
      vertx.eventBus().publish(Addresses.SITE_CHANGED, SiteChange.ALL.toJson());
    } else {
      changed.forEach(pattern -> vertx.eventBus().publish(Addresses.SITE_CHANGED, new SiteChange(pattern).toJson()));
    }
  }
}
