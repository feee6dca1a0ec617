package dev.portico.lookup;

import io.vertx.core.json.JsonObject;

/**
 * Settings of the lookup verticle, read from its deployment configuration (its Redis endpoints
 * are the {@code redis} object, read by {@code RedisSetup}).
 *
 * @param sweepMs             the period of the sweep for writes made straight into a Redis that
 *                            sends no keyspace notifications (changes made through Portico are
 *                            still pushed); {@code PORTICO_REDIS_SWEEP_S}
 * @param routeCachePerSite   the most hosts one wildcard site may have in the Redis route cache at
 *                            once: the hosts are chosen by whoever sends requests
 */
public record LookupOptions(long sweepMs, int routeCachePerSite) {

  public static final long DEFAULT_SWEEP_MS = 60_000;
  public static final int DEFAULT_ROUTE_CACHE_PER_SITE = 1000;

  public static LookupOptions fromJson(JsonObject config) {
    return new LookupOptions(
        config.getLong("redisSweepMs", DEFAULT_SWEEP_MS),
        config.getInteger("routeCachePerSite", DEFAULT_ROUTE_CACHE_PER_SITE));
  }
}
