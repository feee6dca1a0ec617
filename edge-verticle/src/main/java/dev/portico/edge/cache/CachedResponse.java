package dev.portico.edge.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

import java.util.Map;

/**
 * A stored response: status, end-to-end header fields, body, and when it was asked for and
 * received (RFC 9111 §4.2.3 needs both to work out its age). Immutable: the store's entries are
 * read by every event loop, so the headers are a copy that nobody writes; readers copy them again
 * before editing. Its weight is worked out once, here, not on every look at the store's bound.
 */
public final class CachedResponse {

  /**
   * Heap bytes a header field holds beyond its characters: the map's entry and two strings with
   * their arrays (64-bit JVM, compressed pointers). The weights are heap bytes, so that the
   * store's bound is what it takes of the heap: a 1 KiB page with nine fields weighs about 2.8 KB.
   */
  private static final int FIELD_OVERHEAD = 112;
  /** Heap bytes of an entry beyond its body and fields: this object, the header map, the buffer, the store's nodes, the key's string. */
  private static final int ENTRY_OVERHEAD = 480;

  private final int status;
  private final MultiMap headers;
  private final Buffer body;
  private final String variant;
  private final long requestTime;
  private final long responseTime;
  private final int weight;

  /**
   * @param status       the response status
   * @param headers      the response's end-to-end header fields, as the backend sent them (copied)
   * @param body         the whole body (empty for none)
   * @param variant      the request's values of the fields its {@code Vary} names ({@link CacheKeys#selectedFields})
   * @param requestTime  when the request that produced it was sent, epoch milliseconds
   * @param responseTime when its head was received, epoch milliseconds
   */
  public CachedResponse(int status, MultiMap headers, Buffer body, String variant, long requestTime,
      long responseTime) {
    this.status = status;
    this.headers = HttpHeaders.headers().addAll(headers);
    this.body = body;
    this.variant = variant;
    this.requestTime = requestTime;
    this.responseTime = responseTime;
    long bytes = ENTRY_OVERHEAD + (long) body.length() + variant.length();
    for (Map.Entry<String, String> field : this.headers) {
      bytes += field.getKey().length() + field.getValue().length() + FIELD_OVERHEAD;
    }
    this.weight = (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  public int status() {
    return status;
  }

  public MultiMap headers() {
    return headers;
  }

  public Buffer body() {
    return body;
  }

  public String variant() {
    return variant;
  }

  public long requestTime() {
    return requestTime;
  }

  public long responseTime() {
    return responseTime;
  }

  /** Bytes this entry holds, for the store's byte bound. */
  public int weight() {
    return weight;
  }

  /** This response with {@code headers} (a 304's refreshed fields merged in) and new times, same body. */
  public CachedResponse refreshed(MultiMap headers, long requestTime, long responseTime) {
    return new CachedResponse(status, headers, body, variant, requestTime, responseTime);
  }
}
