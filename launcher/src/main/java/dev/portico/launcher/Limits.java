package dev.portico.launcher;

import static dev.portico.launcher.ConfigEnv.integerBetween;
import static dev.portico.launcher.ConfigEnv.longBetween;

/**
 * What one client may make the node hold; see the README's configuration table.
 *
 * @param requestHeadTimeoutMs      longest time from the first byte of a request head to its end,
 *                                  on the edge, admin and ops listeners (slowloris)
 * @param maxConnectionsPerAddress  most connections one client address may hold open to the edge
 * @param maxBodyBytes              request body limit of sites without {@code maxBodyBytes}
 * @param http2MaxConcurrentStreams HTTP/2 streams open at once per connection
 * @param http2MaxResetsPerWindow   RST_STREAM frames a client may send per window before GOAWAY
 * @param http2ResetWindowSeconds   that window
 * @param redisMaxWaiting           Redis commands an edge instance queues for a connection
 * @param cacheMaxBytes             bytes the node's response cache holds, all sites together
 */
public record Limits(int requestHeadTimeoutMs, int maxConnectionsPerAddress, long maxBodyBytes,
    int http2MaxConcurrentStreams, int http2MaxResetsPerWindow, int http2ResetWindowSeconds, int redisMaxWaiting,
    long cacheMaxBytes) {

  /** 100 MiB: uploads of photos, videos in parts, backups in parts pass; one request cannot stream without end. */
  static final long DEFAULT_MAX_BODY_BYTES = 100L << 20;
  /** 32 MiB: a quarter of the 128 MiB heap a small node runs with (copies of misses in flight take up to 8 MiB more). */
  static final long DEFAULT_CACHE_MAX_BYTES = 32L << 20;

  static Limits fromEnvironment(ConfigEnv env) {
    long maxBody = longBetween(env, "PORTICO_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 0, 1L << 40);
    return new Limits(
        integerBetween(env, "PORTICO_REQUEST_HEAD_TIMEOUT_MS", 10_000, 100, 3_600_000),
        integerBetween(env, "PORTICO_MAX_CONNECTIONS_PER_ADDRESS", 512, 1, 1_000_000),
        maxBody,
        integerBetween(env, "PORTICO_HTTP2_MAX_CONCURRENT_STREAMS", 100, 1, 10_000),
        integerBetween(env, "PORTICO_HTTP2_MAX_RESETS", 200, 1, 1_000_000),
        integerBetween(env, "PORTICO_HTTP2_RESET_WINDOW_S", 30, 1, 3600),
        integerBetween(env, "PORTICO_REDIS_MAX_WAITING", 1024, 1, 1_000_000),
        longBetween(env, "PORTICO_CACHE_MAX_BYTES", DEFAULT_CACHE_MAX_BYTES, 0, 1L << 40));
  }
}
