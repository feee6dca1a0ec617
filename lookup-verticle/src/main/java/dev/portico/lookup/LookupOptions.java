package dev.portico.lookup;

import io.vertx.core.json.JsonObject;

/**
 * Settings of the lookup verticle, read from its deployment configuration.
 *
 * @param redisUrl            Redis connection string, e.g. {@code redis://127.0.0.1:6379/0}
 * @param pollIntervalMs      how often the sites are re-read when Redis cannot send keyspace
 *                            notifications (changes made through Portico are still pushed)
 * @param routeCachePerSite   the most hosts one wildcard site may have in the Redis route cache at
 *                            once: the hosts are chosen by whoever sends requests
 */
public record LookupOptions(String redisUrl, long pollIntervalMs, int routeCachePerSite) {

  public static final long DEFAULT_POLL_INTERVAL_MS = 10_000;
  public static final int DEFAULT_ROUTE_CACHE_PER_SITE = 1000;

  public static LookupOptions fromJson(JsonObject config) {
    return new LookupOptions(
        config.getString("redisUrl", "redis://127.0.0.1:6379"),
        config.getLong("lookupPollIntervalMs", DEFAULT_POLL_INTERVAL_MS),
        config.getInteger("routeCachePerSite", DEFAULT_ROUTE_CACHE_PER_SITE));
  }
}
