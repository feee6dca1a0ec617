package dev.portico.contract.redis;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;

import java.util.List;

/**
 * Where a node's Redis commands go, as the launcher hands it to every verticle (the {@code redis}
 * object of the deployment configuration). Writes go to the master: one server
 * ({@code masterUrl}) or the master that Sentinel names ({@code sentinels} + {@code masterName});
 * reads go to {@code readUrl}, a node-local replica, when one is given, else to the master. Each
 * URL carries its own ACL user, password and TLS ({@code rediss://user:password@host:port/db});
 * Sentinel URLs' credentials and TLS are also used for the servers Sentinel names.
 *
 * @param masterUrl      the master's URL, or null with Sentinel
 * @param sentinels      Sentinel URLs, empty without Sentinel
 * @param masterName     the master's name at the sentinels, or null
 * @param readUrl        the replica reads go to, or null
 * @param waitTimeoutMs  how long an admin write waits for a replica's acknowledgement ({@code WAIT})
 */
public record RedisSetup(String masterUrl, List<String> sentinels, String masterName, String readUrl,
    long waitTimeoutMs) {

  public static final long DEFAULT_WAIT_TIMEOUT_MS = 1_000;

  public RedisSetup {
    sentinels = List.copyOf(sentinels);
    if ((masterUrl == null) == sentinels.isEmpty()) {
      throw new IllegalArgumentException("give either a master URL or Sentinel addresses");
    }
    if (!sentinels.isEmpty() && (masterName == null || masterName.isBlank())) {
      throw new IllegalArgumentException("Sentinel needs the master's name");
    }
  }

  /** A standalone server for reads and writes. */
  public static RedisSetup standalone(String url) {
    return new RedisSetup(url, List.of(), null, null, DEFAULT_WAIT_TIMEOUT_MS);
  }

  /** The {@code redis} object of a verticle's configuration, else its {@code redisUrl}. */
  public static RedisSetup fromConfig(JsonObject config) {
    JsonObject redis = config.getJsonObject("redis");
    if (redis == null) {
      return standalone(config.getString("redisUrl", "redis://127.0.0.1:6379"));
    }
    return new RedisSetup(redis.getString("masterUrl"),
        redis.getJsonArray("sentinels", new JsonArray()).stream().map(String::valueOf).toList(),
        redis.getString("masterName"), redis.getString("readUrl"),
        redis.getLong("waitTimeoutMs", DEFAULT_WAIT_TIMEOUT_MS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("masterUrl", masterUrl).put("sentinels", new JsonArray(sentinels))
        .put("masterName", masterName).put("readUrl", readUrl).put("waitTimeoutMs", waitTimeoutMs);
  }

  public boolean sentinel() {
    return !sentinels.isEmpty();
  }

  /** Options of a client of the master (Sentinel's current one: the client follows a promotion). */
  public RedisOptions masterOptions() {
    if (!sentinel()) {
      return new RedisOptions().setConnectionString(masterUrl);
    }
    RedisOptions options = new RedisOptions().setType(RedisClientType.SENTINEL).setMasterName(masterName)
        .setRole(RedisRole.MASTER);
    sentinels.forEach(options::addConnectionString);
    return options;
  }

  /** Options of a client of the read endpoint: the replica, else the master. */
  public RedisOptions readOptions() {
    return readUrl == null ? masterOptions() : new RedisOptions().setConnectionString(readUrl);
  }

  /** Where a subscription to change notifications should go, best first. */
  public List<RedisOptions> subscriptionOptions() {
    return readUrl == null ? List.of(masterOptions()) : List.of(readOptions(), masterOptions());
  }

  /** The Redis database index the URLs select (keyspace notification channels name it). */
  public int database() {
    String url = masterUrl != null ? masterUrl : sentinels.get(0);
    String path = java.net.URI.create(url).getPath();
    return path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
  }

  /** A pooled client of the master, for writes; {@code maxWaiting} -1 queues without bound. */
  public Redis writeClient(Vertx vertx, int poolSize, int maxWaiting) {
    // the Sentinel client refuses a queue shorter than the pool, the unbounded -1 included
    int waiting = sentinel() && maxWaiting < poolSize ? (maxWaiting < 0 ? Integer.MAX_VALUE : poolSize) : maxWaiting;
    return Redis.createClient(vertx, masterOptions().setMaxPoolSize(poolSize).setMaxPoolWaiting(waiting));
  }

  /**
   * A pooled client for reads: the replica while it is in sync, the master otherwise or when the
   * replica fails a command ({@link ReplicaReads}); the master alone without a replica.
   */
  public Redis readClient(Vertx vertx, int poolSize, int maxWaiting) {
    return readClient(vertx, poolSize, maxWaiting, v -> { });
  }

  /** The same, calling {@code onReplicaBackInSync} when the replica is in sync again after it was not. */
  public Redis readClient(Vertx vertx, int poolSize, int maxWaiting, Handler<Void> onReplicaBackInSync) {
    if (readUrl == null) {
      return writeClient(vertx, poolSize, maxWaiting);
    }
    return ReplicaReads.start(vertx,
        Redis.createClient(vertx, readOptions().setMaxPoolSize(poolSize).setMaxPoolWaiting(maxWaiting)),
        writeClient(vertx, poolSize, maxWaiting), onReplicaBackInSync);
  }
}
