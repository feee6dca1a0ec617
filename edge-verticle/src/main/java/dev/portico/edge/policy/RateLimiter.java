package dev.portico.edge.policy;

import dev.portico.contract.RedisKeys;
import dev.portico.contract.RateLimitPolicy;
import dev.portico.edge.pipeline.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * A site's rate limit, counted in fixed windows in Redis so every edge of the cluster shares
 * one count per client (the seeds' INCR + EXPIRE, in one script). If Redis cannot answer, the
 * limit is kept in this process instead — traffic is never blocked on Redis — and that is
 * logged once until Redis answers again.
 */
public final class RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  private static final String COUNT = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
      return n
      """;
  /** Most clients counted locally while Redis is away; past it the oldest windows are dropped. */
  private static final int LOCAL_KEYS = 100_000;

  private final Redis redis;
  private final Counter rejected;
  private final Map<String, Integer> localCounts = new HashMap<>();
  private long localWindow = -1;
  private boolean redisDown;

  public RateLimiter(Redis redis, MeterRegistry registry) {
    this.redis = redis;
    this.rejected = Counter.builder("portico.ratelimit.rejected").description("Requests refused with 429")
        .register(registry);
  }

  /** Completes when the request may pass; fails with a 429 {@link Rejection} otherwise. */
  Future<Void> admit(String scope, RateLimitPolicy limit, String clientKey) {
    long nowSeconds = System.currentTimeMillis() / 1000;
    long window = nowSeconds / limit.perSeconds();
    long retryAfter = (window + 1) * limit.perSeconds() - nowSeconds;
    String key = RedisKeys.RATE_LIMIT_PREFIX + scope + ":" + clientKey + ":" + window;
    return redis.send(Request.cmd(Command.EVAL).arg(COUNT).arg(1).arg(key).arg(limit.perSeconds() + 1))
        .map(count -> {
          if (redisDown) {
            redisDown = false;
            LOG.info("Redis answers again: rate limits are shared across edges again");
          }
          return count.toLong();
        })
        .otherwise(e -> {
          if (!redisDown) {
            redisDown = true;
            LOG.warn("Redis unreachable ({}): rate limits are kept per edge process until it returns", e.getMessage());
          }
          return (long) countLocally(key, nowSeconds);
        })
        .compose(count -> {
          if (count <= limit.requests()) {
            return Future.succeededFuture();
          }
          rejected.increment();
          return Future.failedFuture(new Rejection(429, "too many requests", "Rate limit of " + limit.requests()
              + " requests per " + limit.perSeconds() + " s reached", "Retry-After", Long.toString(retryAfter)));
        });
  }

  /** Counts in process; all counts are dropped when the second changes to a new minute-sized epoch. */
  private int countLocally(String key, long nowSeconds) {
    long epoch = nowSeconds / 60;
    if (epoch != localWindow || localCounts.size() >= LOCAL_KEYS) {
      localCounts.clear();
      localWindow = epoch;
    }
    return localCounts.merge(key, 1, Integer::sum);
  }
}
