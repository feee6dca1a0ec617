package dev.portico.edge.cache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The response cache of one edge node, shared by its edge verticles (each on its own event
 * loop): the store, and the misses under way, so that concurrent misses for one key — from any
 * event loop — make one backend request while the others wait for its entry.
 */
public final class CacheNode implements Shareable {

  /** Most requests waiting for one miss; more go to the backend themselves. */
  public static final int MAX_WAITERS = 1000;
  /** Longest a request waits for another's miss before going to the backend itself. */
  public static final long MAX_WAIT_MS = 5_000;
  /** Most background refreshes (stale-while-revalidate) under way on the node at once; beyond, stale entries are served and refreshed later. */
  public static final int MAX_REFRESHES = 64;
  private static final String NODE_MAP = "portico.responseCache";

  private final LocalResponseCache store;
  private final ConcurrentHashMap<String, Miss> misses = new ConcurrentHashMap<>();
  private final long maxWaitMs;
  /** Bytes of the copies kept while misses stream, and their bound: a quarter of the store's. */
  private final AtomicLong copying = new AtomicLong();
  private final long maxCopying;
  private final AtomicInteger refreshing = new AtomicInteger();

  /** One miss under way: who waits for it. Only its leader ends it ({@link #missEnded}). */
  public static final class Miss {
    /** Null until one waits: most misses have nobody waiting, and this is made for every one. */
    private List<Runnable> waiters;
  }

  /** {@code maxWaitMs}: how long a request waits for another's miss ({@link #MAX_WAIT_MS}). */
  public CacheNode(LocalResponseCache store, long maxWaitMs) {
    this.store = store;
    this.maxWaitMs = maxWaitMs;
    this.maxCopying = store.maxBytes() / 4;
  }

  /** This node's cache (one per Vert.x instance), made with a store of {@code maxBytes} by the first verticle to ask. */
  public static CacheNode of(Vertx vertx, long maxBytes) {
    LocalMap<String, CacheNode> node = vertx.sharedData().getLocalMap(NODE_MAP);
    CacheNode made = new CacheNode(new LocalResponseCache(maxBytes), MAX_WAIT_MS);
    CacheNode existing = node.putIfAbsent("node", made);
    return existing == null ? made : existing;
  }

  public LocalResponseCache store() {
    return store;
  }

  /**
   * Forgets the site's entries: all of them, those whose request target is {@code path} (with or
   * without a query), or those whose target starts with {@code prefix}. Idempotent: each edge
   * verticle of the node applies a purge it receives.
   */
  public void purge(String sitePattern, String path, String prefix) {
    if (sitePattern == null) {
      return;
    }
    store.removeIf(key -> {
      if (!CacheKeys.ofSite(key, sitePattern)) {
        return false;
      }
      String target = CacheKeys.pathOf(key);
      if (path != null) {
        return target.equals(path) || target.startsWith(path + "?");
      }
      return prefix == null || target.startsWith(prefix);
    });
  }

  /** The miss for {@code key} when the caller leads it (it must {@link #missEnded} it), or null when another request does. */
  public Miss leadMiss(String key) {
    Miss miss = new Miss();
    return misses.putIfAbsent(key, miss) == null ? miss : null;
  }

  /**
   * A future, on the caller's context, that completes with true when the miss under way for
   * {@code key} ends, or with false when it has waited its time (the caller then goes to the
   * backend itself and leaves the miss to its leader); null when none is under way or too many
   * wait already.
   */
  public Future<Boolean> awaitMiss(String key) {
    Context context = Vertx.currentContext();
    Promise<Boolean> ended = Promise.promise();  // completed on the caller's context (below), so its callbacks run there
    Runnable wake = context == null ? () -> ended.tryComplete(true)
        : () -> context.runOnContext(v -> ended.tryComplete(true));
    boolean[] waiting = new boolean[1];
    misses.computeIfPresent(key, (k, miss) -> {
      if (miss.waiters == null) {
        miss.waiters = new ArrayList<>();
      }
      if (miss.waiters.size() < MAX_WAITERS) {
        miss.waiters.add(wake);
        waiting[0] = true;
      }
      return miss;
    });
    if (!waiting[0]) {
      return null;
    }
    if (context != null) {
      long timer = context.owner().setTimer(maxWaitMs, id -> ended.tryComplete(false));
      ended.future().onComplete(ar -> context.owner().cancelTimer(timer));
    }
    return ended.future();
  }

  /**
   * Takes {@code bytes} of the node's budget for copies of misses in flight: false when it would
   * go over, and the copy must be dropped (the response is relayed, not stored). Without it,
   * a few concurrent large misses would hold their copies all at once, whatever the store keeps.
   */
  public boolean reserveCopy(long bytes) {
    long now = copying.addAndGet(bytes);
    if (now > maxCopying) {
      copying.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  /** Gives back {@code bytes} taken with {@link #reserveCopy}. */
  public void releaseCopy(long bytes) {
    copying.addAndGet(-bytes);
  }

  /** Takes one of the node's {@link #MAX_REFRESHES} background refreshes: false when all are under way. */
  public boolean startRefresh() {
    if (refreshing.incrementAndGet() > MAX_REFRESHES) {
      refreshing.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back a refresh taken with {@link #startRefresh}. */
  public void refreshEnded() {
    refreshing.decrementAndGet();
  }

  /** Bytes the copies of misses in flight hold now. */
  public long copyingBytes() {
    return copying.get();
  }

  /** How many misses are under way (led and not yet ended). */
  public int missesUnderWay() {
    return misses.size();
  }

  /** The leader's {@code miss} for {@code key} ended (stored or not): its waiters look again. A newer miss is left alone. */
  public void missEnded(String key, Miss miss) {
    if (misses.remove(key, miss) && miss.waiters != null) {
      miss.waiters.forEach(Runnable::run);
    }
  }
}
