package dev.portico.edge;

import io.vertx.core.json.JsonObject;

/**
 * Settings of the edge verticle, read from its deployment configuration.
 *
 * @param host             address the HTTP and HTTPS listeners bind
 * @param httpPort         port of the HTTP listener
 * @param httpsPort        port of the HTTPS listener
 * @param redisUrl         Redis connection string
 * @param routeCacheSize   most hosts kept in the in-process route cache
 * @param hitTtlMs         how long a found route is used before it is looked up again
 * @param missTtlMs        how long an unknown host is remembered as unknown
 * @param staleTtlMs       how long an expired route may still serve while Redis and the lookup
 *                         verticles cannot be reached
* @param lookupTimeoutMs  how long to wait for a lookup verticle's answer (and for Redis while
 *                         choosing a certificate)
 * @param metricsRegistry  name of the node's Micrometer registry ({@code null}: none)
 * @param siteLabelLimit   most sites with series of their own in the metrics
 * @param dnsResolver      {@code host:port} of the DNS resolver targets given by name are resolved with
 * @param tls              the HTTPS listener's certificate settings
 * @param limits           what one client may make the edge hold
 * @param ssoSessionTtlSeconds how long a visitor's SSO session lasts (renewed with the provider's refresh token)
 */
public record EdgeOptions(String host, int httpPort, int httpsPort, String redisUrl, int routeCacheSize,
    long hitTtlMs, long missTtlMs, long staleTtlMs, long lookupTimeoutMs, String metricsRegistry, int siteLabelLimit,
    String dnsResolver, TlsOptions tls, Limits limits, long ssoSessionTtlSeconds) {

  /**
   * @param maxBodyBytes            largest request body relayed to a site without {@code maxBodyBytes}
   * @param http2MaxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS the edge announces
   * @param http2MaxResetsPerWindow most RST_STREAM frames a client may send in a window before its
   *                                connection is closed with GOAWAY (the "rapid reset" defence)
   * @param http2ResetWindowSeconds that window
   * @param redisMaxWaiting         most Redis commands queued for a pooled connection; past it a
   *                                command fails at once, as when Redis is down
   */
  public record Limits(long maxBodyBytes, long http2MaxConcurrentStreams, int http2MaxResetsPerWindow,
      int http2ResetWindowSeconds, int redisMaxWaiting) {
  }

  /**
   * @param engine             {@code auto} (OpenSSL when it loads, else the JDK), {@code openssl} or {@code jdk}
   * @param onDemandTimeoutMs  how long a first handshake for an {@code auto} site waits for issuance
   * @param fallbackCertFile   PEM certificate chain of the configured fallback certificate, or null
   * @param fallbackKeyFile    PEM private key of the configured fallback certificate, or null
   * @param secretKey          {@code PORTICO_SECRET_KEY}, which opens the stored private keys, or null
   * @param certCacheSize      most names kept with their parsed certificate, and most unknown names remembered
   * @param certTtlMs          how long a parsed certificate is used before Redis is read again
   *                           (pushed changes drop it at once; this is the safety net)
   * @param unknownTtlMs       how long a name without a certificate is remembered as such
   */
  public record TlsOptions(String engine, long onDemandTimeoutMs, String fallbackCertFile, String fallbackKeyFile,
      String secretKey, int certCacheSize, long certTtlMs, long unknownTtlMs) {
  }

  public static EdgeOptions fromJson(JsonObject config) {
    return new EdgeOptions(
        config.getString("host", "0.0.0.0"),
        config.getInteger("httpPort", 8080),
        config.getInteger("httpsPort", 8443),
        config.getString("redisUrl", "redis://127.0.0.1:6379"),
        config.getInteger("routeCacheSize", 100_000),
        config.getLong("routeHitTtlMs", 30_000L),
        config.getLong("routeMissTtlMs", 10_000L),
        config.getLong("routeStaleTtlMs", 3_600_000L),
        config.getLong("lookupTimeoutMs", 2_000L),
        config.getString("metricsRegistry"),
        config.getInteger("metricsSiteLimit", 100),
        config.getString("dnsResolver", "127.0.0.53:53"),
        new TlsOptions(
            config.getString("tlsEngine", "auto"),
            config.getLong("onDemandTlsTimeoutMs", 20_000L),
            config.getString("fallbackCertFile"),
            config.getString("fallbackKeyFile"),
            config.getString("secretKey"),
            config.getInteger("certCacheSize", 10_000),
            config.getLong("certTtlMs", 600_000L),
            config.getLong("unknownCertTtlMs", 10_000L)),
        new Limits(
            config.getLong("maxBodyBytes", 100L << 20),
            config.getLong("http2MaxConcurrentStreams", 100L),
            config.getInteger("http2MaxResetsPerWindow", 200),
            config.getInteger("http2ResetWindowSeconds", 30),
            config.getInteger("redisMaxWaiting", 1024)),
        config.getLong("ssoSessionTtlSeconds", 28_800L));
  }
}
