package dev.portico.edge;

import io.vertx.core.json.JsonObject;

/**
 * Settings of the edge verticle, read from its deployment configuration.
 *
 * @param host             address the HTTP listener binds
 * @param httpPort         port of the HTTP listener
 * @param redisUrl         Redis connection string
 * @param routeCacheSize   most hosts kept in the in-process route cache
 * @param hitTtlMs         how long a found route is used before it is looked up again
 * @param missTtlMs        how long an unknown host is remembered as unknown
 * @param staleTtlMs       how long an expired route may still serve while Redis and the lookup
 *                         verticles cannot be reached
 * @param lookupTimeoutMs  how long to wait for a lookup verticle's answer
 * @param metricsRegistry  name of the node's Micrometer registry ({@code null}: none)
 * @param siteLabelLimit   most sites with series of their own in the metrics
 * @param dnsResolver      {@code host:port} of the DNS resolver targets given by name are resolved with
 */
public record EdgeOptions(String host, int httpPort, String redisUrl, int routeCacheSize, long hitTtlMs,
    long missTtlMs, long staleTtlMs, long lookupTimeoutMs, String metricsRegistry, int siteLabelLimit,
    String dnsResolver) {

  public static EdgeOptions fromJson(JsonObject config) {
    return new EdgeOptions(
        config.getString("host", "0.0.0.0"),
        config.getInteger("httpPort", 8080),
        config.getString("redisUrl", "redis://127.0.0.1:6379"),
        config.getInteger("routeCacheSize", 100_000),
        config.getLong("routeHitTtlMs", 30_000L),
        config.getLong("routeMissTtlMs", 10_000L),
        config.getLong("routeStaleTtlMs", 3_600_000L),
        config.getLong("lookupTimeoutMs", 2_000L),
        config.getString("metricsRegistry"),
        config.getInteger("metricsSiteLimit", 100),
        config.getString("dnsResolver", "127.0.0.53:53"));
  }
}
