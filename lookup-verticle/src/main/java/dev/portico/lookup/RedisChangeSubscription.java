package dev.portico.lookup;

import dev.portico.contract.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for site and certificate changes on a dedicated Redis connection: the channels
 * {@link RedisKeys#SITE_CHANGES_CHANNEL} and {@link RedisKeys#CERT_CHANGES_CHANNEL} (changes made
 * through Portico) and keyspace notifications on the site and certificate keys (changes made
 * straight into Redis), handing the changed pattern or certificate name to its handler. Redis does not restore a subscription after it restarts, and messages
 * sent while nobody listens are lost; so after a lost connection this resubscribes and then calls
 * {@code onResumed}, for the owner to re-read what it may have missed.
 */
final class RedisChangeSubscription {

  private static final Logger LOG = LoggerFactory.getLogger(RedisChangeSubscription.class);
  private static final long MIN_RETRY_MS = 100;
  private static final long MAX_RETRY_MS = 5_000;

  private final Vertx vertx;
  private final RedisOptions options;
  private final int database;
  private final Handler<String> onSiteChange;
  private final Handler<String> onCertChange;
  private final Handler<Void> onResumed;
  private Redis client;
  private RedisConnection connection;
  private long retryMs = MIN_RETRY_MS;
  private boolean closed;

  /**
   * @param onSiteChange  gets the pattern of a site that was written or deleted
   * @param onCertChange  gets the name of a certificate that was written or deleted, or
   *                      {@link RedisKeys#FALLBACK_CERT} for the fallback certificate
   * @param onResumed     called after a lost subscription was restored (changes may have been missed)
   */
  RedisChangeSubscription(Vertx vertx, RedisOptions options, int database, Handler<String> onSiteChange,
      Handler<String> onCertChange, Handler<Void> onResumed) {
    this.vertx = vertx;
    this.options = options;
    this.database = database;
    this.onSiteChange = onSiteChange;
    this.onCertChange = onCertChange;
    this.onResumed = onResumed;
  }

  /** Subscribes; the future fails if the first attempt does (later ones retry by themselves). */
  Future<Void> start() {
    return subscribe();
  }

  private Future<Void> subscribe() {
    client = Redis.createClient(vertx, options);
    return client.connect()
        .compose(conn -> {
          connection = conn;
          conn.handler(this::onMessage);
          conn.endHandler(v -> onLost("connection closed"));
          conn.exceptionHandler(e -> onLost(e.getMessage()));
          String keyspace = "__keyspace@" + database + "__:";
          return conn.send(Request.cmd(Command.SUBSCRIBE).arg(RedisKeys.SITE_CHANGES_CHANNEL)
                  .arg(RedisKeys.CERT_CHANGES_CHANNEL))
              .compose(r -> conn.send(Request.cmd(Command.PSUBSCRIBE).arg(RedisKeys.siteKeyspacePattern(database))
                  .arg(keyspace + RedisKeys.CERT_PREFIX + "*").arg(keyspace + RedisKeys.FALLBACK_CERT)));
        })
        .map(r -> {
          retryMs = MIN_RETRY_MS;
          return (Void) null;
        });
  }

  private void onMessage(Response message) {
    if (message.type() != ResponseType.PUSH && message.type() != ResponseType.MULTI) {
      return;
    }
    String kind = message.get(0).toString();
    if ("message".equals(kind)) {
      String channel = message.get(1).toString();
      (RedisKeys.CERT_CHANGES_CHANNEL.equals(channel) ? onCertChange : onSiteChange).handle(message.get(2).toString());
    } else if ("pmessage".equals(kind)) {
      String channel = message.get(2).toString();
      String key = channel.substring(channel.indexOf(':') + 1);
      String pattern = RedisKeys.patternOfSiteKey(key);
      if (pattern != null) {
        onSiteChange.handle(pattern);
      } else if (key.startsWith(RedisKeys.CERT_PREFIX)) {
        onCertChange.handle(key.substring(RedisKeys.CERT_PREFIX.length()));
      } else if (key.equals(RedisKeys.FALLBACK_CERT)) {
        onCertChange.handle(key);
      }
    }
  }

  private void onLost(String reason) {
    if (closed || connection == null) {
      return;
    }
    LOG.warn("Redis subscription for site and certificate changes lost ({}); reconnecting", reason);
    connection = null;
    client.close();
    retryLater();
  }

  private void retryLater() {
    long delay = retryMs;
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    vertx.setTimer(delay, id -> {
      if (closed) {
        return;
      }
      subscribe().onSuccess(v -> {
        LOG.info("Redis subscription for site and certificate changes restored");
        onResumed.handle(null);
      }).onFailure(e -> {
        LOG.debug("Redis subscription retry failed: {}", e.getMessage());
        client.close();
        retryLater();
      });
    });
  }

  Future<Void> close() {
    closed = true;
    return client == null ? Future.succeededFuture() : client.close();
  }
}
