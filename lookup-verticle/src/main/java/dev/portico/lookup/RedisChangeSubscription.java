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

import java.util.List;

/**
 * Listens for site and certificate changes on a dedicated Redis connection: the channels
 * {@link RedisKeys#SITE_CHANGES_CHANNEL} and {@link RedisKeys#CERT_CHANGES_CHANNEL} (changes made
 * through Portico) and keyspace notifications on the site and certificate keys (changes made
 * straight into Redis), handing the changed pattern or certificate name to its handler.
 *
 * <p>The connection goes to the first endpoint that answers, in order: the node-local replica
 * (which receives every published message and fires keyspace notifications for what it
 * replicates), then the master. Before subscribing it turns on the keyspace notifications it
 * needs on that server; a managed Redis may refuse {@code CONFIG}, and then {@code onNotifications}
 * hears {@code false} (the owner sweeps for direct writes instead). Redis does not restore a
 * subscription after it restarts, and messages sent while nobody listens are lost; so after a lost
 * connection this resubscribes and then calls {@code onResumed}, for the owner to re-read what it
 * may have missed.
 */
final class RedisChangeSubscription {

  private static final Logger LOG = LoggerFactory.getLogger(RedisChangeSubscription.class);
  private static final long MIN_RETRY_MS = 100;
  private static final long MAX_RETRY_MS = 5_000;

  /** What a subscription tells its owner. */
  record Listeners(Handler<String> onSiteChange, Handler<String> onCertChange, Handler<Boolean> onNotifications,
      Handler<Void> onResumed) {
  }

  private final Vertx vertx;
  private final List<RedisOptions> endpoints;
  private final int database;
  private final Listeners listeners;
  private Redis client;
  private RedisConnection connection;
  private long retryMs = MIN_RETRY_MS;
  private boolean closed;

  /**
   * @param endpoints  where to subscribe, best first
   * @param listeners  {@code onSiteChange} gets the pattern of a site written or deleted;
   *                   {@code onCertChange} the name of a certificate written or deleted, or
   *                   {@link RedisKeys#FALLBACK_CERT}; {@code onNotifications} whether the server
   *                   subscribed to sends keyspace notifications; {@code onResumed} is called after a
   *                   lost subscription was restored (changes may have been missed)
   */
  RedisChangeSubscription(Vertx vertx, List<RedisOptions> endpoints, int database, Listeners listeners) {
    this.vertx = vertx;
    this.endpoints = List.copyOf(endpoints);
    this.database = database;
    this.listeners = listeners;
  }

  /** Subscribes; the future fails if no endpoint answers (later attempts retry by themselves). */
  Future<Void> start() {
    return subscribe(0);
  }

  private Future<Void> subscribe(int endpoint) {
    Future<Void> subscribed = subscribeTo(endpoints.get(endpoint));
    if (endpoint + 1 >= endpoints.size()) {
      return subscribed;
    }
    return subscribed.recover(e -> {
      LOG.warn("Cannot subscribe to changes at Redis endpoint {} ({}); trying the next", endpoint + 1, e.getMessage());
      client.close();
      return subscribe(endpoint + 1);
    });
  }

  private Future<Void> subscribeTo(RedisOptions endpoint) {
    client = Redis.createClient(vertx, endpoint);
    return client.connect()
        .compose(conn -> {
          connection = conn;
          conn.handler(this::onMessage);
          conn.endHandler(v -> onLost("connection closed"));
          conn.exceptionHandler(e -> onLost(e.getMessage()));
          String keyspace = "__keyspace@" + database + "__:";
          return enableKeyspaceNotifications(conn)
              .compose(v -> conn.send(Request.cmd(Command.SUBSCRIBE).arg(RedisKeys.SITE_CHANGES_CHANNEL)
                  .arg(RedisKeys.CERT_CHANGES_CHANNEL)))
              .compose(r -> conn.send(Request.cmd(Command.PSUBSCRIBE).arg(RedisKeys.siteKeyspacePattern(database))
                  .arg(keyspace + RedisKeys.CERT_PREFIX + "*").arg(keyspace + RedisKeys.FALLBACK_CERT)));
        })
        .map(r -> {
          retryMs = MIN_RETRY_MS;
          return (Void) null;
        });
  }

  /**
   * Turns on the notification classes needed (K: keyspace channel, $: string commands, g: DEL and
   * friends, x: expiry) on top of what the server has; tells the owner whether it could.
   */
  private Future<Void> enableKeyspaceNotifications(RedisConnection conn) {
    return conn.send(Request.cmd(Command.CONFIG).arg("GET").arg("notify-keyspace-events"))
        .compose(current -> {
          // RESP3 answers CONFIG GET with a map, RESP2 with a [name, value] array.
          Response value = current.isMap() ? current.get("notify-keyspace-events")
              : current.size() > 1 ? current.get(1) : null;
          String flags = value == null ? "" : value.toString();
          String wanted = flags;
          for (char flag : "K$gx".toCharArray()) {
            if (wanted.indexOf(flag) < 0 && !(flag != 'K' && wanted.indexOf('A') >= 0)) {
              wanted += flag;
            }
          }
          return wanted.equals(flags) ? Future.succeededFuture()
              : conn.send(Request.cmd(Command.CONFIG).arg("SET").arg("notify-keyspace-events").arg(wanted));
        })
        .map(v -> true)
        .otherwise(e -> {
          LOG.warn("Redis refused to enable keyspace notifications ({}): writes made straight into Redis are "
              + "found by a slow sweep; writes through Portico are still pushed", e.getMessage());
          return false;
        })
        .map(on -> {
          listeners.onNotifications().handle(on);
          return null;
        });
  }

  private void onMessage(Response message) {
    if (message.type() != ResponseType.PUSH && message.type() != ResponseType.MULTI) {
      return;
    }
    String kind = message.get(0).toString();
    if ("message".equals(kind)) {
      String channel = message.get(1).toString();
      (RedisKeys.CERT_CHANGES_CHANNEL.equals(channel) ? listeners.onCertChange() : listeners.onSiteChange())
          .handle(message.get(2).toString());
    } else if ("pmessage".equals(kind)) {
      String channel = message.get(2).toString();
      String key = channel.substring(channel.indexOf(':') + 1);
      String pattern = RedisKeys.patternOfSiteKey(key);
      if (pattern != null) {
        listeners.onSiteChange().handle(pattern);
      } else if (key.startsWith(RedisKeys.CERT_PREFIX)) {
        listeners.onCertChange().handle(key.substring(RedisKeys.CERT_PREFIX.length()));
      } else if (key.equals(RedisKeys.FALLBACK_CERT)) {
        listeners.onCertChange().handle(key);
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
      subscribe(0).onSuccess(v -> {
        LOG.info("Redis subscription for site and certificate changes restored");
        listeners.onResumed().handle(null);
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
