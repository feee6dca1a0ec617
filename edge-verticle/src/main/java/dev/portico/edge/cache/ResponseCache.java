package dev.portico.edge.cache;

import io.vertx.core.Future;

/**
 * Where cached responses live, by key (see {@link CacheKeys}). Three methods, as
 * vertx-http-proxy 5.0's cache SPI, so a store elsewhere (a shared tier) can be put behind the
 * same cache filter. An implementation may drop any entry at any time (eviction): callers treat
 * a missing entry as a miss. Entries are immutable once put.
 */
public interface ResponseCache {

  /** The entry under {@code key}, or a future completed with {@code null} when there is none. */
  Future<CachedResponse> get(String key);

  /** Stores {@code response} under {@code key}, replacing what was there; a store may refuse it (too large) silently. */
  Future<Void> put(String key, CachedResponse response);

  /** Forgets the entry under {@code key}, if any. */
  Future<Void> remove(String key);
}
