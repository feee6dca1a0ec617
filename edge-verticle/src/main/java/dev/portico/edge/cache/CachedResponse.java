package dev.portico.edge.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

import java.util.Map;

/**
 * A stored response: status, end-to-end header fields, body, and when it was asked for and
 * received (RFC 9111 §4.2.3 needs both to work out its age). Immutable: the headers are a copy
 * that nobody writes; readers copy them again before editing.
 *
 * @param status       the response status
 * @param headers      the response's end-to-end header fields, as the backend sent them
 * @param body         the whole body (empty for none)
 * @param variant      the request's values of the fields its {@code Vary} names ({@link CacheKeys#selectedFields})
 * @param requestTime  when the request that produced it was sent, epoch milliseconds
 * @param responseTime when its head was received, epoch milliseconds
 */
public record CachedResponse(int status, MultiMap headers, Buffer body, String variant, long requestTime,
    long responseTime) {

  /** Header bytes counted per field beyond its name and value (": " and CRLF). */
  private static final int FIELD_OVERHEAD = 4;
  /** What an entry costs beyond its bytes: the record, the map, the key (an estimate, so tiny entries still weigh). */
  private static final int ENTRY_OVERHEAD = 256;

  public CachedResponse {
    MultiMap copy = HttpHeaders.headers();
    copy.addAll(headers);
    headers = copy;
  }

  /** Bytes this entry holds, for the store's byte bound. */
  public int weight() {
    long bytes = ENTRY_OVERHEAD + (long) body.length() + variant.length();
    for (Map.Entry<String, String> field : headers) {
      bytes += field.getKey().length() + field.getValue().length() + FIELD_OVERHEAD;
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  /** This response with {@code headers} (a 304's refreshed fields merged in) and new times, same body. */
  public CachedResponse refreshed(MultiMap headers, long requestTime, long responseTime) {
    return new CachedResponse(status, headers, body, variant, requestTime, responseTime);
  }
}
