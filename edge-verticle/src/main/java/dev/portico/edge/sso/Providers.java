package dev.portico.edge.sso;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.SecretBox;
import dev.portico.contract.SsoProviderRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The SSO providers of one edge verticle: each read from Redis and discovered once, kept for
 * {@link #KEEP_MS} (so an admin's change applies within it), and a failure — no such provider, the
 * provider down — kept for {@link #RETRY_MS}: a site whose provider is down costs the provider at
 * most one discovery per verticle in that time, whatever the number of visitors.
 */
final class Providers {

  private static final Logger LOG = LoggerFactory.getLogger(Providers.class);
  static final long KEEP_MS = 60_000;
  static final long RETRY_MS = 5_000;

  /** A lookup and when it was made. */
  private record Entry(Future<Provider> provider, long at) {
  }

  private final Redis redis;
  private final SecretBox secrets;
  private final IdpHttp http;
  private final Cache<String, Entry> entries = Caffeine.newBuilder().maximumSize(1_000)
      .expireAfterWrite(Duration.ofMillis(KEEP_MS)).executor(Runnable::run).build();

  Providers(Redis redis, SecretBox secrets, IdpHttp http) {
    this.redis = redis;
    this.secrets = secrets;
    this.http = http;
  }

  /** The provider {@code id}, or a {@link ProviderUnavailable} failure naming what is wrong. */
  Future<Provider> get(String id) {
    Entry entry = entries.getIfPresent(id);
    long now = System.currentTimeMillis();
    if (entry != null && !(entry.provider().failed() && now - entry.at() > RETRY_MS)) {
      return entry.provider();
    }
    Future<Provider> loaded = load(id);
    entries.put(id, new Entry(loaded, now));
    return loaded;
  }

  private Future<Provider> load(String id) {
    String key = RedisKeys.ssoProvider(id);
    return redis.send(Request.cmd(Command.GET).arg(key))
        .recover(e -> Future.failedFuture(new ProviderUnavailable("the SSO provider " + id + " cannot be read now")))
        .compose(value -> {
          if (value == null) {
            return Future.failedFuture(new ProviderUnavailable("no SSO provider " + id + " is configured"));
          }
          SsoProviderRecord record;
          String secret;
          try {
            record = SsoProviderRecord.fromJson(new JsonObject(value.toBuffer()));
            secret = secrets.open(record.clientSecret(), key);
          } catch (RuntimeException e) {
            LOG.error("SSO provider {} is unusable: {}", id, e.getMessage());
            return Future.failedFuture(new ProviderUnavailable("the SSO provider " + id + " is misconfigured"));
          }
          return http.get(record.discoveryUrl())
              .map(reply -> {
                if (reply.status() != 200) {
                  throw new IllegalArgumentException("discovery answered HTTP " + reply.status());
                }
                return new Provider(record, secret, Discovery.parse(reply.json(), record.issuer()));
              })
              .recover(e -> {
                LOG.warn("SSO provider {} ({}): discovery failed: {}", id, record.issuer(), e.getMessage());
                return Future.failedFuture(new ProviderUnavailable("the sign-in provider " + record.issuer()
                    + " cannot be reached (" + e.getMessage() + ")"));
              });
        });
  }
}
