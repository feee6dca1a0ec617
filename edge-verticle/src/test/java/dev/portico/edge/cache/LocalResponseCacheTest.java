package dev.portico.edge.cache;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.nio.ReadOnlyBufferException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalResponseCacheTest extends ResponseCacheContract {

  @Override
  protected ResponseCache newCache() {
    return new LocalResponseCache(1 << 20);
  }

  private static CachedResponse sized(int bytes) {
    return new CachedResponse(200, HttpHeaders.headers(), Buffer.buffer(new byte[bytes]), "", 0, 0);
  }

  @Test
  void fillingWithTenTimesTheBoundKeepsTheBytesUnderIt() throws Exception {
    long bound = 1 << 20;
    LocalResponseCache cache = new LocalResponseCache(bound);
    for (int i = 0; i < 10 * 1024; i++) {
      await(cache.put("key-" + i, sized(1024)));
    }
    assertTrue(cache.weightedBytes() <= bound, "held " + cache.weightedBytes());
    assertTrue(cache.weightedBytes() > bound / 2, "the store is used, held " + cache.weightedBytes());
    assertTrue(cache.evictions() > 0);
  }

  /**
   * On an event loop Caffeine's upkeep waits for the loop's next turn: a turn that stores many
   * entries must still keep the bytes held (weighed yet or not) under the bound after every put.
   */
  @Test
  void manyPutsInOneTurnOfAnEventLoopStayUnderTheBound() throws Exception {
    long bound = 100_000;
    LocalResponseCache cache = new LocalResponseCache(bound);
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Long> mostHeld = new CompletableFuture<>();
      vertx.runOnContext(v -> {
        long most = 0;
        for (int i = 0; i < 1000; i++) {
          cache.put("key-" + i, sized(1024));
          most = Math.max(most, cache.heldBytes());
        }
        mostHeld.complete(most);
      });
      long most = mostHeld.get(10, TimeUnit.SECONDS);
      assertTrue(most <= bound, "held " + most + " bytes at most, bound " + bound);
      assertTrue(most > bound / 2, "the store is used, held " + most);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aBodyHandedOutCannotChangeTheEntry() throws Exception {
    LocalResponseCache cache = new LocalResponseCache(1 << 20);
    await(cache.put("k", response("hello")));
    Buffer body = await(cache.get("k")).body();
    assertThrows(ReadOnlyBufferException.class, () -> body.setByte(0, (byte) 'j'));
    assertEquals("hello", await(cache.get("k")).body().toString());
  }

  @Test
  void anEntryOverATenthOfTheBoundIsNotStored() throws Exception {
    LocalResponseCache cache = new LocalResponseCache(100_000);
    await(cache.put("big", sized(20_000)));
    await(cache.put("small", sized(1_000)));
    assertNull(await(cache.get("big")));
    assertNotNull(await(cache.get("small")));
  }

  @Test
  void removeIfPurgesBySiteAndPrefix() throws Exception {
    LocalResponseCache cache = new LocalResponseCache(1 << 20);
    String a = CacheKeys.key("a.test", "site", "a.test", "/docs/x", "identity");
    String b = CacheKeys.key("a.test", "site", "a.test", "/img/y", "gzip");
    String other = CacheKeys.key("b.test", "site", "b.test", "/docs/x", "identity");
    for (String key : new String[] {a, b, other}) {
      await(cache.put(key, sized(10)));
    }
    cache.removeIf(key -> CacheKeys.ofSite(key, "a.test") && CacheKeys.pathOf(key).startsWith("/docs/"));
    assertNull(await(cache.get(a)));
    assertNotNull(await(cache.get(b)));
    assertNotNull(await(cache.get(other)));
    cache.removeIf(key -> CacheKeys.ofSite(key, "a.test"));
    assertNull(await(cache.get(b)));
    assertEquals(10, await(cache.get(other)).body().length());
  }
}
