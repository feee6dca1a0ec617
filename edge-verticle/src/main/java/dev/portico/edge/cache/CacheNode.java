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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The response cache of one edge node, shared by its edge verticles (each on its own event
 * loop): the store, and the misses under way, so that concurrent misses for one key — from any
 * event loop — make one backend request while the others wait for its entry.
 */
public final class CacheNode implements Shareable {

  /** Most requests waiting for one miss; more go to the backend themselves. */
  public static final int MAX_WAITERS = 1000;
  private static final String NODE_MAP = "portico.responseCache";

  private final LocalResponseCache store;
  private final ConcurrentHashMap<String, List<Runnable>> misses = new ConcurrentHashMap<>();
  /** Bytes of the copies kept while misses stream, and their bound: a quarter of the store's. */
  private final AtomicLong copying = new AtomicLong();
  private final long maxCopying;

  public CacheNode(LocalResponseCache store) {
    this.store = store;
    this.maxCopying = store.maxBytes() / 4;
  }

  /** This node's cache (one per Vert.x instance), made with a store of {@code maxBytes} by the first verticle to ask. */
  public static CacheNode of(Vertx vertx, long maxBytes) {
    LocalMap<String, CacheNode> node = vertx.sharedData().getLocalMap(NODE_MAP);
    CacheNode made = new CacheNode(new LocalResponseCache(maxBytes));
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

  /** Whether the caller leads the miss for {@code key} (it must {@link #missEnded} it), rather than another request. */
  public boolean leadMiss(String key) {
    return misses.putIfAbsent(key, new ArrayList<>()) == null;
  }

  /**
   * A future, on the caller's context, that completes when the miss under way for {@code key}
   * ends; null when none is under way or too many wait already.
   */
  public Future<Void> awaitMiss(String key) {
    Context context = Vertx.currentContext();
    Promise<Void> ended = Promise.promise();  // completed on the caller's context (below), so its callbacks run there
    Runnable wake = context == null ? ended::tryComplete : () -> context.runOnContext(v -> ended.tryComplete());
    boolean[] waiting = new boolean[1];
    misses.computeIfPresent(key, (k, waiters) -> {
      if (waiters.size() < MAX_WAITERS) {
        waiters.add(wake);
        waiting[0] = true;
      }
      return waiters;
    });
    return waiting[0] ? ended.future() : null;
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

  /** Bytes the copies of misses in flight hold now. */
  public long copyingBytes() {
    return copying.get();
  }

  /** How many misses are under way (led and not yet ended). */
  public int missesUnderWay() {
    return misses.size();
  }

  /** The miss for {@code key} ended (stored or not): its waiters look again. */
  public void missEnded(String key) {
    List<Runnable> waiters = misses.remove(key);
    if (waiters != null) {
      waiters.forEach(Runnable::run);
    }
  }
}
