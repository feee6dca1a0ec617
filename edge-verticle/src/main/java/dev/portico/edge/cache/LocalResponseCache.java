package dev.portico.edge.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The in-process store of one edge node, shared by its event loops: a Caffeine cache bounded by
 * the bytes its entries weigh ({@link CachedResponse#weight}), evicting by Caffeine's
 * frequency-and-recency policy. An entry heavier than a tenth of the bound is not stored (it
 * would evict a crowd of small ones for a single large one). Caffeine's upkeep after writes runs on
 * the event loop that wrote, once per turn of the loop ({@link #upkeep}); until it runs, what was put is
 * held but not yet weighed by Caffeine ("unsettled"). So that the bytes held never exceed the bound,
 * Caffeine keeps its entries within the bound less a tenth, and a put that would take the unsettled
 * bytes past that tenth runs the upkeep first ({@link #put}).
 */
public final class LocalResponseCache implements ResponseCache {

  /** The default bound, {@code PORTICO_CACHE_MAX_BYTES}: 32 MiB, a quarter of the 128 MiB heap a small node runs with. */
  public static final long DEFAULT_MAX_BYTES = 32L << 20;

  /** Heap bytes the store spends on an entry beyond it and its key: Caffeine's node (40), the hash table's node (32) and slot. */
  private static final int NODE_BYTES = 80;

  private final Cache<String, CachedResponse> entries;
  private final long maxBytes;
  private final long maxEntryBytes;
  /** Bytes put since the upkeep that began last: held, not yet weighed; at most {@link #maxEntryBytes}. */
  private final AtomicLong unsettled = new AtomicLong();
  private final LongAdder evictions = new LongAdder();

  public LocalResponseCache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative");
    }
    this.maxBytes = maxBytes;
    this.maxEntryBytes = maxBytes / 10;
    this.entries = Caffeine.newBuilder()
        .maximumWeight(maxBytes - maxEntryBytes)  // the rest: room for what is put before the upkeep weighs it
        .weigher(LocalResponseCache::weight)
        .executor(this::upkeep)
        .evictionListener((String key, CachedResponse response, RemovalCause cause) -> {
          if (cause == RemovalCause.SIZE) {
            evictions.increment();
          }
        })
        .build();
  }

  /**
   * Runs Caffeine's upkeep after writes (the write buffer drained, evictions): queued on the
   * writing event loop behind what it is doing, not on a pool thread (on a small machine that
   * hand-off cost more than the upkeep), and not inline either: Caffeine schedules no second pass
   * while one is pending, so the misses stored in one turn of the loop share one pass instead of
   * paying one each. Off an event loop (a worker, a test) it runs at once.
   */
  private void upkeep(Runnable task) {
    ContextInternal context = (ContextInternal) Vertx.currentContext();
    if (context != null && context.isEventLoopContext()) {
      context.nettyEventLoop().execute(() -> settle(task));
    } else {
      settle(task);
    }
  }

  /**
   * Runs Caffeine's {@code upkeep}, which weighs (and evicts for) every entry put before it began:
   * those bytes are no longer unsettled. Read under the lock {@link #put} holds, so every put counted
   * has reached Caffeine's write buffer; a put after that stays counted until the next upkeep.
   */
  private void settle(Runnable upkeep) {
    long settled;
    synchronized (unsettled) {
      settled = unsettled.get();
    }
    upkeep.run();
    unsettled.addAndGet(-settled);
  }

  /** Heap bytes an entry takes in the store: it, its key, the store's nodes for it. */
  private static int weight(String key, CachedResponse response) {
    return (int) Math.min(Integer.MAX_VALUE, NODE_BYTES + StoredFields.stringBytes(key) + (long) response.weight());
  }

  @Override
  public Future<CachedResponse> get(String key) {
    return Future.succeededFuture(entries.getIfPresent(key));
  }

  @Override
  public Future<Void> put(String key, CachedResponse response) {
    int weight = weight(key, response);
    if (weight <= maxEntryBytes) {
      synchronized (unsettled) {  // uncontended but for puts from two event loops at once
        if (unsettled.get() + weight > maxEntryBytes) {
          settle(entries::cleanUp);
        }
        entries.put(key, response);
        unsettled.addAndGet(weight);
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> remove(String key) {
    entries.invalidate(key);
    return Future.succeededFuture();
  }

  /** Forgets every entry whose key {@code purged} accepts (a purge: a site, a path, a prefix). */
  public void removeIf(Predicate<String> purged) {
    entries.asMap().keySet().removeIf(purged);
  }

  /** The bound on the bytes held. */
  public long maxBytes() {
    return maxBytes;
  }

  /** The heaviest entry stored (key, header fields and body): heavier ones are dropped by {@link #put}. */
  public long maxEntryBytes() {
    return maxEntryBytes;
  }

  /** Bytes held now (after pending evictions ran). */
  public long weightedBytes() {
    settle(entries::cleanUp);
    return entries.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0L)).orElse(0L);
  }

  /** Bytes the entries in the store hold now, weighed by Caffeine's upkeep or not yet: what the bound is about. */
  long heldBytes() {
    long bytes = 0;
    for (var entry : entries.asMap().entrySet()) {
      bytes += weight(entry.getKey(), entry.getValue());
    }
    return bytes;
  }

  /** Entries evicted for size so far. */
  public long evictions() {
    return evictions.sum();
  }
}
