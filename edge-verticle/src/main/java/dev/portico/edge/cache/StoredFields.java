package dev.portico.edge.cache;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The header fields of a stored response as one array, names and values alternating. A stored
 * entry lives until it is evicted, so the collector copies it from the young generation and then
 * walks it in the old one: what it costs there is its number of objects. A header map holds four
 * per field (its entry, two strings and their arrays, a table besides); this holds the value's
 * string and its array, and the names the edge sees on most responses are shared constants.
 */
final class StoredFields {

  private static final String[] NONE = new String[0];
  /** Names as backends spell them (HTTP/1.1 and HTTP/2 lower case), each mapped to one shared string. */
  private static final Map<String, String> COMMON = new HashMap<>();

  static {
    for (String spelled : List.of("Accept-Ranges", "Access-Control-Allow-Origin", "Age", "Cache-Control",
        "Content-Encoding", "Content-Language", "Content-Length", "Content-Location", "Content-Security-Policy",
        "Content-Type", "Date", "ETag", "Etag", "Expires", "Last-Modified", "Link", "Location", "Referrer-Policy",
        "Server", "Strict-Transport-Security", "Vary", "X-Content-Type-Options", "X-Frame-Options", "X-Powered-By")) {
      String lower = spelled.toLowerCase(Locale.ROOT);
      COMMON.put(spelled, spelled);
      COMMON.put(lower, lower);
    }
  }

  private StoredFields() {
  }

  /** The fields of {@code headers}, in order, without those named in {@code dropped}. */
  static String[] of(MultiMap headers, CharSequence... dropped) {
    if (headers.isEmpty()) {
      return NONE;
    }
    Taken taken = new Taken(dropped);
    headers.forEach(taken);  // not size() or the iterator: a header map builds a name set, or an entry a field, for them
    return Arrays.copyOf(taken.fields, taken.size);
  }

  /** Collects fields into an array, names shared where common. */
  private static final class Taken implements BiConsumer<String, String> {
    private final CharSequence[] dropped;
    private String[] fields = new String[32];
    private int size;

    Taken(CharSequence[] dropped) {
      this.dropped = dropped;
    }

    @Override
    public void accept(String name, String value) {
      if (named(name, dropped)) {
        return;
      }
      if (size == fields.length) {
        fields = Arrays.copyOf(fields, size * 2);
      }
      fields[size++] = COMMON.getOrDefault(name, name);
      fields[size++] = value;
    }
  }

  private static boolean named(String name, CharSequence[] names) {
    for (CharSequence candidate : names) {
      if (AsciiString.contentEqualsIgnoreCase(name, candidate)) {
        return true;
      }
    }
    return false;
  }

  /** The first value of the field {@code name} (any case), or null. */
  static String get(String[] fields, CharSequence name) {
    for (int i = 0; i < fields.length; i += 2) {
      if (AsciiString.contentEqualsIgnoreCase(fields[i], name)) {
        return fields[i + 1];
      }
    }
    return null;
  }

  /** Every value of the field {@code name} (any case), in order. */
  static List<String> getAll(String[] fields, CharSequence name) {
    List<String> values = List.of();
    for (int i = 0; i < fields.length; i += 2) {
      if (AsciiString.contentEqualsIgnoreCase(fields[i], name)) {
        if (values.isEmpty()) {
          values = new ArrayList<>(2);
        }
        values.add(fields[i + 1]);
      }
    }
    return values;
  }

  /** A header map with the fields, for who edits them. */
  static MultiMap toMultiMap(String[] fields) {
    MultiMap headers = HttpHeaders.headers();
    for (int i = 0; i < fields.length; i += 2) {
      headers.add(fields[i], fields[i + 1]);
    }
    return headers;
  }

  /**
   * Heap bytes the fields hold (64-bit JVM, compressed pointers): the array, and each string
   * that is not a shared name (24 bytes, its byte array's 16 and its characters, 8-aligned;
   * header values arrive as ISO-8859-1, one byte a character).
   */
  static long heapBytes(String[] fields) {
    long bytes = align(16 + 4L * fields.length);
    for (int i = 0; i < fields.length; i++) {
      if (i % 2 == 1 || COMMON.get(fields[i]) != fields[i]) {
        bytes += stringBytes(fields[i]);
      }
    }
    return bytes;
  }

  static long stringBytes(String value) {
    return 24 + align(16 + (long) value.length());
  }

  static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }
}
