package dev.portico.edge.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.DomainPattern;
import dev.portico.contract.SiteChange;
import dev.portico.edge.EdgeOptions;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The in-process route cache of one edge verticle: host to {@link Route}, bounded (Caffeine's
 * W-TinyLFU, so a flood of one-off hosts does not push out the busy ones). An entry is fresh for
 * the hit or miss TTL. A found route is then refreshed ahead for one more hit TTL: it still
 * serves while a resolution in the background replaces it, so no request waits on Redis for a
 * route the edge had (changes do not wait for this: they invalidate at once). After that it is
 * only used when the route cannot be resolved at all (stale-if-error), until the stale TTL drops it.
 *
 * <p>A found route is fresh for a random 80–100 % of the hit TTL: routes first asked for together (after a
 * start, or when a busy set of hosts arrives at once) then come up for refresh spread over a fifth of
 * the TTL, not all in the same second, which would send Redis a burst of reads every TTL.
 *
 * <p>Maintenance runs on the calling thread (the verticle's event loop), not on a shared pool.
 */
final class RouteCache {

  private record Entry(Route route, long freshUntilNanos) {
  }

  private final Cache<String, Entry> entries;
  private final long hitTtlNanos;
  private final long missTtlNanos;
  private final LongSupplier nanoTime;

  RouteCache(EdgeOptions options) {
    this(options, System::nanoTime);
  }

  /** A cache that reads the time from {@code nanoTime} (a test's clock). */
  RouteCache(EdgeOptions options, LongSupplier nanoTime) {
    this.entries = Caffeine.newBuilder()
        .maximumSize(options.routeCacheSize())
        .expireAfterWrite(Duration.ofMillis(options.staleTtlMs()))
        .executor(Runnable::run)
        .build();
    this.hitTtlNanos = Duration.ofMillis(options.hitTtlMs()).toNanos();
    this.missTtlNanos = Duration.ofMillis(options.missTtlMs()).toNanos();
    this.nanoTime = nanoTime;
  }

  /** The route for {@code host} if it is fresh, else {@code null}. */
  Route fresh(String host) {
    Entry entry = entries.getIfPresent(host);
    return entry != null && entry.freshUntilNanos - nanoTime.getAsLong() > 0 ? entry.route : null;
  }

  /**
   * The found route for {@code host} if it is past its freshness by less than one hit TTL (time
   * to refresh it while it serves), else {@code null}.
   */
  Route refreshable(String host) {
    Entry entry = entries.getIfPresent(host);
    return entry != null && entry.route.isKnown() && nanoTime.getAsLong() - entry.freshUntilNanos < hitTtlNanos
        ? entry.route : null;
  }

  /** The route for {@code host}, fresh or not, else {@code null}. */
  Route stale(String host) {
    Entry entry = entries.getIfPresent(host);
    return entry == null ? null : entry.route;
  }

  void put(String host, Route route) {
    long ttl = route.isKnown() ? hitTtlNanos - ThreadLocalRandom.current().nextLong(Math.max(hitTtlNanos, 0) / 5 + 1) : missTtlNanos;
    entries.put(host, new Entry(route, nanoTime.getAsLong() + ttl));
  }

  /** Drops every host whose route the change may alter: those the changed pattern matches. */
  void invalidate(SiteChange change) {
    if (change.isAll()) {
      entries.invalidateAll();
      return;
    }
    DomainPattern pattern = changedPattern(change);
    if (pattern == null) {
      return;
    }
    if (pattern.isWildcard()) {
      entries.asMap().keySet().removeIf(pattern::matches);
    } else {
      entries.invalidate(pattern.text());
    }
  }

  /**
   * Whether {@code change} may alter the route of {@code host}: a host's route is chosen among the
   * patterns that match it, so only a change to one of those can.
   */
  static Predicate<String> affectedHosts(SiteChange change) {
    if (change.isAll()) {
      return host -> true;
    }
    DomainPattern pattern = changedPattern(change);
    if (pattern == null) {
      return host -> false;
    }
    return pattern.isWildcard() ? pattern::matches : pattern.text()::equals;
  }

  /** The changed pattern, or {@code null} for one that cannot be a site's (no route has it). */
  private static DomainPattern changedPattern(SiteChange change) {
    try {
      return DomainPattern.parse(change.pattern());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  long size() {
    return entries.estimatedSize();
  }
}
