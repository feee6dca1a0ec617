package dev.portico.edge.tls;

import dev.portico.contract.RedisKeys;
import dev.portico.contract.SecretBox;
import dev.portico.contract.StoredCertificate;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates stored in Redis, read for one name and made usable: one round trip for the
 * name's own, its parent's wildcard and, for an apex, the wildcard that may name it too; then the
 * PEM chains parsed, the sealed key opened and probed on the store's small worker pool, never on
 * the event loop, so a big chain or a slow key delays only its own handshake. Kept apart from
 * {@link CertificateStore}, which decides when to read (its caches, shared resolutions,
 * invalidation); this class decides how. One per edge instance.
 */
final class StoredCertificates {

  private static final Logger LOG = LoggerFactory.getLogger(StoredCertificates.class);

  private final Redis redis;
  private final WorkerExecutor parsing;
  private final SecretBox secrets;

  StoredCertificates(Redis redis, WorkerExecutor parsing, SecretBox secrets) {
    this.redis = redis;
    this.parsing = parsing;
    this.secrets = secrets;
  }

  /**
   * One round trip for the exact certificate, the wildcard {@code *.parent} and, for an apex
   * {@code example.com}, the wildcard {@code *.example.com} when it names the apex too; null when
   * none is usable.
   */
  Future<KeyMaterial> read(String name) {
    String wildcard = wildcardOf(name);
    String apexWildcard = "*." + name;
    Request mget = Request.cmd(Command.MGET).arg(RedisKeys.cert(name)).arg(RedisKeys.cert(apexWildcard));
    if (wildcard != null) {
      mget.arg(RedisKeys.cert(wildcard));
    }
    return redis.send(mget).compose(values -> parsing.executeBlocking(() -> {
      KeyMaterial exact = parse(RedisKeys.cert(name), values.get(0));
      if (exact != null) {
        return exact;
      }
      KeyMaterial parent = wildcard == null ? null : parse(RedisKeys.cert(wildcard), values.get(2));
      if (parent != null) {
        return parent;
      }
      return names(values.get(1), name) ? parse(RedisKeys.cert(apexWildcard), values.get(1)) : null;
    }, false));
  }

  /** The cluster's stored fallback certificate, read again (see {@link FallbackCertificate}). */
  Future<KeyMaterial> fallback() {
    return FallbackCertificate.fromRedis(redis, secrets, parsing);
  }

  /** Stops the parsing pool (shared by the node's edge instances: the last one to close ends it). */
  Future<Void> close() {
    return parsing.close();
  }

  /** Whether a stored certificate names {@code name}. */
  private static boolean names(Response value, String name) {
    try {
      return value != null && StoredCertificate.fromJson(new JsonObject(value.toString())).names().contains(name);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private KeyMaterial parse(String key, Response value) {
    if (value == null) {
      return null;
    }
    try {
      return KeyMaterial.fromStored(StoredCertificate.fromJson(new JsonObject(value.toString())), key, secrets);
    } catch (RuntimeException e) {
      LOG.error("Certificate {} is unusable, serving the fallback instead: {}", key, e.getMessage());
      return null;
    }
  }

  /** {@code *.parent} for {@code label.parent}, when the parent has at least two labels. */
  private static String wildcardOf(String name) {
    int dot = name.indexOf('.');
    return dot < 0 || name.indexOf('.', dot + 1) < 0 ? null : "*" + name.substring(dot);
  }
}
