package dev.portico.edge.tls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.HostName;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.SecretBox;
import dev.portico.edge.EdgeOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.redis.client.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Chooses the certificate for a TLS handshake's SNI name, tier by tier: the parsed certificates
 * in process (bounded, with a TTL as a safety net behind pushed invalidation); the names known to
 * have none (bounded, short TTL: a flood of random names does not reach Redis); Redis (the exact
 * name, then the wildcard {@code *.parent}); for a configured site with {@code tls: auto}, an
 * on-demand issuance request to a cert verticle, waited for a bounded time; else the fallback.
 *
 * <p>{@link #forHandshake} is called by the TLS engine on a worker thread and may wait there;
 * everything that talks to Redis, the route resolver or the event bus runs on the verticle's
 * context, as do the caches' writers. Parsing what Redis returned (PEM chains, opening the sealed
 * key, probing that it matches) runs on a small worker pool of its own, never on the event loop:
 * a big chain or a slow key then delays only its own handshake ({@link StoredCertificates}).
 * Concurrent handshakes for one name share one resolution. This class holds the tiers in memory
 * and decides when to read; reading and parsing are {@link StoredCertificates}', issuance
 * {@link OnDemandIssuance}'.
 */
public final class CertificateStore {

  private static final Logger LOG = LoggerFactory.getLogger(CertificateStore.class);
  /** Handshakes that may wait for Redis or issuance at once; more get the fallback at once (the worker pool is shared). */
  private static final int MAX_WAITING_HANDSHAKES = 8;
  /** Threads parsing certificates, shared by the node's edge instances (parsing is CPU work: a few suffice). */
  private static final int PARSING_THREADS = 2;

  private record Entry(KeyMaterial material, long freshUntilNanos) {
  }

  private final Context context;
  private final StoredCertificates stored;
  private final OnDemandIssuance issuance;
  private final EdgeOptions options;
  private final Cache<String, Entry> issued;
  private final Cache<String, Boolean> withoutCertificate;
  private final Map<String, CompletableFuture<KeyMaterial>> inFlight = new ConcurrentHashMap<>();
  private final Semaphore waiting = new Semaphore(MAX_WAITING_HANDSHAKES);
  private final long certTtlNanos;
  private volatile KeyMaterial fallback;
  /** Counts invalidations (on the context), so that a resolution that raced one is not cached. */
  private long generation;

  private CertificateStore(Vertx vertx, Redis redis, SiteLookup sites, WorkerExecutor parsing, SecretBox secrets,
      EdgeOptions options, KeyMaterial fallback) {
    this.context = vertx.getOrCreateContext();
    this.stored = new StoredCertificates(redis, parsing, secrets);
    this.issuance = new OnDemandIssuance(vertx, sites, stored, options.tls().onDemandTimeoutMs());
    this.options = options;
    this.fallback = fallback;
    EdgeOptions.TlsOptions tls = options.tls();
    this.certTtlNanos = Duration.ofMillis(tls.certTtlMs()).toNanos();
    // Entries outlive their TTL so that they can still be served while Redis is unreachable.
    this.issued = Caffeine.newBuilder().maximumSize(tls.certCacheSize())
        .expireAfterWrite(Duration.ofMillis(Math.max(tls.certTtlMs(), options.staleTtlMs()))).build();
    this.withoutCertificate = Caffeine.newBuilder().maximumSize(tls.certCacheSize())
        .expireAfterWrite(Duration.ofMillis(tls.unknownTtlMs())).build();
  }

  /**
   * Loads the fallback certificate (see {@link FallbackCertificate}), then makes the store.
   * Call on the edge verticle's context; {@link #close()} when the verticle stops.
   */
  public static Future<CertificateStore> load(Vertx vertx, Redis master, Redis reads, SiteLookup sites,
      SecretBox secrets, EdgeOptions options) {
    WorkerExecutor parsing = vertx.createSharedWorkerExecutor("portico-certificate-parsing", PARSING_THREADS);
    // the fallback may be made and stored by the first node: the master; certificates are only read
    return FallbackCertificate.load(vertx, master, options.tls(), secrets, parsing)
        .map(fallback -> new CertificateStore(vertx, reads, sites, parsing, secrets, options, fallback))
        .onFailure(e -> parsing.close());
  }

  /** The key manager for the HTTPS listener: one TLS context, this store's certificate per SNI name. */
  public KeyCertOptions keyCertOptions() {
    return KeyCertOptions.wrap(new SniKeyManager(this, options.tls().certCacheSize()));
  }

  public Future<Void> close() {
    return stored.close();
  }

  /**
   * The certificate for a handshake that asked for {@code serverName} (null: no SNI). On a worker
   * thread it may wait for Redis or issuance; on an event loop it never waits (the handshake's
   * task runs there only when {@link #inMemory} had the answer: should that have changed since,
   * it gets the cached certificate past its TTL or the fallback, while the name is looked up).
   */
  KeyMaterial forHandshake(String serverName) {
    KeyMaterial known = inMemory(serverName);
    if (known != null) {
      return known;
    }
    String name = HostName.canonical(serverName);
    Entry entry = issued.getIfPresent(name);
    if (Context.isOnEventLoopThread()) {
      resolve(name);
      return entry != null ? entry.material : fallback;
    }
    if (!waiting.tryAcquire()) {
      LOG.debug("Too many handshakes waiting for certificates; {} gets the fallback", name);
      return entry != null ? entry.material : fallback;
    }
    try {
      long limitMs = options.tls().onDemandTimeoutMs() + 3 * options.lookupTimeoutMs();
      return resolve(name).get(limitMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("No certificate for {} within the time allowed; serving the fallback", name);
      return fallback;
    } finally {
      waiting.release();
    }
  }

  /** What a handshake for {@code serverName} gets without waiting; null when the name must be looked up first. */
  KeyMaterial inMemory(String serverName) {
    String name = serverName == null ? null : HostName.canonical(serverName);
    if (name == null) {
      return fallback;
    }
    Entry entry = issued.getIfPresent(name);
    if (entry != null && entry.freshUntilNanos - System.nanoTime() > 0) {
      return entry.material;
    }
    return entry == null && withoutCertificate.getIfPresent(name) != null ? fallback : null;
  }

  private CompletableFuture<KeyMaterial> resolve(String name) {
    return inFlight.computeIfAbsent(name, n -> {
      CompletableFuture<KeyMaterial> result = new CompletableFuture<>();
      context.runOnContext(v -> resolveOnContext(n).onComplete(ar -> {
        inFlight.remove(n);
        result.complete(ar.succeeded() ? ar.result() : fallback);
      }));
      return result;
    });
  }

  private Future<KeyMaterial> resolveOnContext(String name) {
    long since = generation;
    return stored.read(name)
        .compose(found -> found != null ? Future.succeededFuture(found) : issuance.issueIfAuto(name))
        .map(found -> {
          if (since == generation) {
            if (found != null) {
              issued.put(name, new Entry(found, System.nanoTime() + certTtlNanos));
            } else {
              withoutCertificate.put(name, Boolean.TRUE);
            }
          }
          return found != null ? found : fallback;
        })
        .recover(e -> {
          Entry stale = issued.getIfPresent(name);
          LOG.warn("Cannot read the certificate of {} from Redis ({}); serving {}", name, e.getMessage(),
              stale != null ? "the cached one past its TTL" : "the fallback");
          return Future.succeededFuture(stale != null ? stale.material : fallback);
        });
  }

  /** A certificate was written or deleted in Redis: new handshakes read it again. Call on the context. */
  public void invalidate(String certName) {
    generation++;
    if (RedisKeys.FALLBACK_CERT.equals(certName)) {
      reloadFallback();
      return;
    }
    if (certName.startsWith("*.")) {
      String suffix = certName.substring(1);
      String source = RedisKeys.cert(certName);
      issued.asMap().entrySet().removeIf(e -> e.getKey().endsWith(suffix) || e.getValue().material.source().equals(source));
      withoutCertificate.asMap().keySet().removeIf(name -> name.endsWith(suffix));
      // a wildcard may name its apex too
      withoutCertificate.invalidate(certName.substring(2));
    } else {
      issued.invalidate(certName);
      withoutCertificate.invalidate(certName);
    }
  }

  /** Any certificate may have changed: every handshake reads Redis again, once. */
  public void invalidateAll() {
    generation++;
    issued.invalidateAll();
    withoutCertificate.invalidateAll();
    reloadFallback();
  }

  private void reloadFallback() {
    if (options.tls().fallbackCertFile() != null) {
      return;
    }
    stored.fallback()
        .onSuccess(material -> {
          fallback = material;
          LOG.info("Fallback certificate reloaded");
        })
        .onFailure(e -> LOG.error("Stored fallback certificate is unusable, keeping the current one: {}", e.getMessage()));
  }
}
