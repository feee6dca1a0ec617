package dev.portico.launcher;

import dev.portico.contract.redis.RedisSetup;

import java.util.Arrays;
import java.util.List;

/**
 * The Redis settings beyond {@code PORTICO_REDIS_URL}: Sentinel instead of one master, a
 * node-local replica for reads, how long admin writes wait for a replica, and the period of the
 * sweep that finds writes made straight into a Redis that sends no keyspace notifications.
 *
 * @param sentinels     Sentinel URLs ({@code PORTICO_REDIS_SENTINELS}), empty without Sentinel
 * @param masterName    {@code PORTICO_REDIS_SENTINEL_MASTER}
 * @param readUrl       {@code PORTICO_REDIS_READ_URL}, or null
 * @param waitTimeoutMs {@code PORTICO_REDIS_WAIT_TIMEOUT_MS}
 * @param sweepSeconds  {@code PORTICO_REDIS_SWEEP_S}
 */
public record RedisTopology(List<String> sentinels, String masterName, String readUrl, long waitTimeoutMs,
    int sweepSeconds) {

  /** Reads the variables from {@code env}; {@code masterUrl} is PORTICO_REDIS_URL. */
  static RedisTopology fromEnvironment(ConfigEnv env, String masterUrl) {
    String sentinelList = env.get("PORTICO_REDIS_SENTINELS");
    List<String> sentinels = sentinelList == null ? List.of() : Arrays.stream(sentinelList.split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).map(RedisTopology::sentinelUrl).toList();
    String masterName = env.get("PORTICO_REDIS_SENTINEL_MASTER");
    if (masterUrl != null && !sentinels.isEmpty()) {
      throw new ConfigException("PORTICO_REDIS_URL and PORTICO_REDIS_SENTINELS are both set: give the master's URL "
          + "or the sentinels that name it, not both");
    }
    if (!sentinels.isEmpty() && masterName == null) {
      throw new ConfigException("PORTICO_REDIS_SENTINELS needs PORTICO_REDIS_SENTINEL_MASTER (the master's name)");
    }
    if (sentinels.isEmpty() && (masterName != null || sentinelList != null)) {
      throw new ConfigException("PORTICO_REDIS_SENTINEL_MASTER needs PORTICO_REDIS_SENTINELS (host:port list)");
    }
    String readUrl = env.get("PORTICO_REDIS_READ_URL");
    if (readUrl != null) {
      readUrl = url("PORTICO_REDIS_READ_URL", readUrl);
      if (masterUrl == null && sentinels.isEmpty()) {
        throw new ConfigException("PORTICO_REDIS_READ_URL needs PORTICO_REDIS_URL or PORTICO_REDIS_SENTINELS: "
            + "the replica's master takes the writes");
      }
    }
    return new RedisTopology(sentinels, masterName, readUrl,
        ConfigEnv.longBetween(env, "PORTICO_REDIS_WAIT_TIMEOUT_MS", RedisSetup.DEFAULT_WAIT_TIMEOUT_MS, 10, 60_000),
        (int) ConfigEnv.longBetween(env, "PORTICO_REDIS_SWEEP_S", 60, 1, 86_400));
  }

  /** What the verticles get: {@code masterUrl} is the standalone or embedded server's URL, or null. */
  RedisSetup setup(String masterUrl) {
    return new RedisSetup(sentinels.isEmpty() ? masterUrl : null, sentinels, masterName, readUrl, waitTimeoutMs);
  }

  /** Every endpoint named, for log lines, with passwords replaced by {@code ***}. */
  String describe(String masterUrl) {
    String writes = sentinels.isEmpty() ? hidePassword(masterUrl)
        : "Sentinel " + String.join(",", sentinels.stream().map(RedisTopology::hidePassword).toList())
            + " master " + masterName;
    return readUrl == null ? writes : writes + ", reads from " + hidePassword(readUrl);
  }

  static String hidePassword(String url) {
    return url.replaceFirst("^(rediss?://[^:@/]*):[^@/]*@", "$1:***@");
  }

  static String url(String name, String value) {
    String url = value.trim();
    if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
      throw new ConfigException(name + "='" + value + "' must start with redis:// or rediss://");
    }
    return url;
  }

  /** A sentinel given as {@code host:port} or as a URL (for TLS and credentials). */
  private static String sentinelUrl(String value) {
    if (value.contains("://")) {
      return url("PORTICO_REDIS_SENTINELS", value);
    }
    if (!value.matches("[A-Za-z0-9.\\-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}")) {
      throw new ConfigException("PORTICO_REDIS_SENTINELS names '" + value + "': expected host:port or a redis:// URL");
    }
    return "redis://" + value;
  }
}
