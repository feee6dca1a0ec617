package dev.portico.edge.cache;

import io.netty.buffer.Unpooled;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.util.List;

/**
 * A stored response: status, end-to-end header fields, body, and when it was asked for and
 * received (RFC 9111 §4.2.3 needs both to work out its age). Immutable: the store's entries are
 * read by every event loop. Compact, because an entry outlives the young generation and the
 * collector pays per object it copies and walks: the fields are one array ({@link StoredFields}),
 * the body one byte array (no buffer, reference count or wrapper kept with it). The body is on
 * the heap, not in pooled or direct memory, so an entry evicted while a hit still writes it stays
 * valid until that write is done: nothing is released by hand. Its weight, the heap bytes it
 * holds, is worked out once, here.
 */
public final class CachedResponse {

  /** Heap bytes of this object (header, int, three references, two longs, int; 8-aligned). */
  private static final int OBJECT_BYTES = 48;

  private final int status;
  private final String[] fields;
  private final byte[] body;
  private final String variant;
  private final long requestTime;
  private final long responseTime;
  private final int weight;

  /**
   * @param status       the response status
   * @param headers      the response's end-to-end header fields, as the backend sent them (copied)
   * @param body         the whole body (empty for none; copied)
   * @param variant      the request's values of the fields its {@code Vary} names ({@link CacheKeys#selectedFields})
   * @param requestTime  when the request that produced it was sent, epoch milliseconds
   * @param responseTime when its head was received, epoch milliseconds
   */
  public CachedResponse(int status, MultiMap headers, Buffer body, String variant, long requestTime,
      long responseTime) {
    this(status, StoredFields.of(headers), body.getBytes(), variant, requestTime, responseTime);
  }

  /** With the fields already taken ({@link #fieldsOf}) and a body array nobody writes (it is kept, not copied). */
  public CachedResponse(int status, String[] fields, byte[] body, String variant, long requestTime,
      long responseTime) {
    this.status = status;
    this.fields = fields;
    this.body = body;
    this.variant = variant.isEmpty() ? "" : variant;  // the common case shares one string
    this.requestTime = requestTime;
    this.responseTime = responseTime;
    long bytes = OBJECT_BYTES + StoredFields.heapBytes(fields) + StoredFields.align(16 + (long) body.length)
        + (this.variant.isEmpty() ? 0 : StoredFields.stringBytes(variant));
    this.weight = (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  /** The fields of {@code headers} as an entry keeps them, without those named in {@code dropped}. */
  public static String[] fieldsOf(MultiMap headers, CharSequence... dropped) {
    return StoredFields.of(headers, dropped);
  }

  public int status() {
    return status;
  }

  /** The first value of the header field {@code name} (any case), or null. */
  public String header(CharSequence name) {
    return StoredFields.get(fields, name);
  }

  /** Every value of the header field {@code name} (any case), in order. */
  public List<String> headerValues(CharSequence name) {
    return StoredFields.getAll(fields, name);
  }

  /** Whether the entry has the header field {@code name}. */
  public boolean hasHeader(CharSequence name) {
    return StoredFields.get(fields, name) != null;
  }

  /** How many header fields it has; with {@link #fieldName} and {@link #fieldValue}, walks them in order. */
  public int fieldCount() {
    return fields.length / 2;
  }

  public String fieldName(int index) {
    return fields[2 * index];
  }

  public String fieldValue(int index) {
    return fields[2 * index + 1];
  }

  /** A copy of the header fields, to edit. */
  public MultiMap headers() {
    return StoredFields.toMultiMap(fields);
  }

  /** The body: a new read-only buffer over the stored bytes each call (a write to it throws; the entry stays as stored). */
  public Buffer body() {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(body).asReadOnly());
  }

  /** Body bytes. */
  public int bodyLength() {
    return body.length;
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

  /** Heap bytes this entry holds (fields, body, variant, itself), for the store's byte bound. */
  public int weight() {
    return weight;
  }

  /** This response with {@code headers} (a 304's refreshed fields merged in) and new times, same body. */
  public CachedResponse refreshed(MultiMap headers, long requestTime, long responseTime) {
    return new CachedResponse(status, StoredFields.of(headers), body, variant, requestTime, responseTime);
  }
}
