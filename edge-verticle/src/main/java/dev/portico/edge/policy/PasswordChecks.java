package dev.portico.edge.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.portico.contract.PasswordHash;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the node's basic-auth checks share across its edge verticle instances (kept in a Vert.x
 * local map): how many checks wait or run — at most {@link #MAX_PENDING} on the node and
 * {@link #MAX_PENDING_PER_SITE} per site, so that one site's flood cannot hold the pool from the
 * others — and the failures per site and client address: {@link #MAX_FAILURES} within
 * {@link #FAILURE_WINDOW} lock that client out of that site for a window (a bounded map).
 */
final class PasswordChecks implements Shareable {

  static final int MAX_PENDING = 32;
  static final int MAX_PENDING_PER_SITE = 4;
  static final int MAX_FAILURES = 10;
  static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);
  private static final int MAX_TRACKED_CLIENTS = 100_000;

  private final AtomicInteger pending = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> pendingBySite = new ConcurrentHashMap<>();
  private final Cache<String, Integer> failures = Caffeine.newBuilder().maximumSize(MAX_TRACKED_CLIENTS)
      .executor(Runnable::run).expireAfter(new Expiry<String, Integer>() {
        @Override
        public long expireAfterCreate(String key, Integer count, long now) {
          return FAILURE_WINDOW.toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Integer count, long now, long remaining) {
          return count == MAX_FAILURES ? FAILURE_WINDOW.toNanos() : remaining;  // the lock-out lasts a full window
        }

        @Override
        public long expireAfterRead(String key, Integer count, long now, long remaining) {
          return remaining;
        }
      }).build();
  private volatile String dummyHash;

  private PasswordChecks() {
  }

  /** The node's one instance. */
  static PasswordChecks of(Vertx vertx) {
    return (PasswordChecks) vertx.sharedData().getLocalMap("portico.edge.password-checks")
        .computeIfAbsent("checks", name -> new PasswordChecks());
  }

  /** Takes a place for a check of {@code site}'s passwords; {@code false} when the node or the site has none left. */
  boolean admit(String site) {
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      return false;
    }
    boolean[] admitted = {false};
    pendingBySite.compute(site, (name, count) -> {
      int now = count == null ? 0 : count;
      admitted[0] = now < MAX_PENDING_PER_SITE;
      return admitted[0] ? now + 1 : count;
    });
    if (!admitted[0]) {
      pending.decrementAndGet();
    }
    return admitted[0];
  }

  /** Gives back the place {@link #admit} took. */
  void finished(String site) {
    pendingBySite.computeIfPresent(site, (name, count) -> count > 1 ? count - 1 : null);
    pending.decrementAndGet();
  }

  void failed(String client) {
    failures.asMap().merge(client, 1, Integer::sum);
  }

  /** Seconds until {@code client} may try again, 0 when it may now. */
  long lockedOutSeconds(String client) {
    Integer count = failures.getIfPresent(client);
    if (count == null || count < MAX_FAILURES) {
      return 0;
    }
    return failures.policy().expireVariably().flatMap(expiry -> expiry.getExpiresAfter(client))
        .map(left -> Math.max(1, left.toSeconds())).orElse(FAILURE_WINDOW.toSeconds());
  }

  /** A hash of a random password at Portico's cost, for unknown users; made on first use (on the pool). */
  String dummyHash() {
    String hash = dummyHash;
    if (hash == null) {
      synchronized (this) {
        if (dummyHash == null) {
          dummyHash = PasswordHash.hash(PasswordHash.generate());
        }
        hash = dummyHash;
      }
    }
    return hash;
  }
}
