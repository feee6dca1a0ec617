package dev.portico.edge.cache;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What every {@link ResponseCache} must do; a store's test extends this and says how to make one
 * that holds at least a few kilobytes.
 */
public abstract class ResponseCacheContract {

  /** A fresh, empty store. */
  protected abstract ResponseCache newCache();

  static CachedResponse response(String body) {
    MultiMap headers = HttpHeaders.headers().add("Content-Type", "text/plain").add("ETag", "\"" + body + "\"");
    return new CachedResponse(200, headers, Buffer.buffer(body), "", 1_000, 1_100);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMissingKeyIsNull() throws Exception {
    assertNull(await(newCache().get("nothing")));
  }

  @Test
  void whatIsPutIsGot() throws Exception {
    ResponseCache cache = newCache();
    await(cache.put("k", response("hello")));
    CachedResponse got = await(cache.get("k"));
    assertEquals(200, got.status());
    assertEquals("hello", got.body().toString());
    assertEquals("\"hello\"", got.headers().get("ETag"));
    assertEquals(1_100, got.responseTime());
  }

  @Test
  void aPutReplacesAndKeysAreDistinct() throws Exception {
    ResponseCache cache = newCache();
    await(cache.put("k", response("one")));
    await(cache.put("k2", response("other")));
    await(cache.put("k", response("two")));
    assertEquals("two", await(cache.get("k")).body().toString());
    assertEquals("other", await(cache.get("k2")).body().toString());
  }

  @Test
  void removeForgets() throws Exception {
    ResponseCache cache = newCache();
    await(cache.put("k", response("one")));
    await(cache.remove("k"));
    await(cache.remove("never-there"));
    assertNull(await(cache.get("k")));
  }

  @Test
  void aStoredEntryIsNotChangedByItsCallerLater() throws Exception {
    ResponseCache cache = newCache();
    MultiMap headers = HttpHeaders.headers().add("X-A", "1");
    await(cache.put("k", new CachedResponse(200, headers, Buffer.buffer("x"), "", 0, 0)));
    headers.set("X-A", "changed");
    assertEquals("1", await(cache.get("k")).headers().get("X-A"));
  }
}
