package dev.portico.edge.cache;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header fields of a stored response as one array, names and values alternating. A stored
 * entry lives until it is evicted, so the collector copies it from the young generation and then
 * walks it in the old one: what it costs there is its number of objects. A header map holds four
 * per field (its entry, two strings and their arrays, a table besides); this holds the value's
 * string and its array, and the names the edge sees on most responses are shared constants.
 */
final class StoredFields {

  private static final String[] NONE = new String[0];
  /** Longest name with a shared spelling. */
  private static final int LONGEST = 32;
  /**
   * Names as backends spell them (HTTP/1.1 and HTTP/2 lower case), by length: each name is one
   * shared string. Found by comparing the few of its length, without hashing it or making a String.
   */
  private static final String[][] COMMON = new String[LONGEST + 1][0];

  static {
    for (String spelled : List.of("Accept-Ranges", "Access-Control-Allow-Origin", "Age", "Cache-Control",
        "Content-Encoding", "Content-Language", "Content-Length", "Content-Location", "Content-Security-Policy",
        "Content-Type", "Date", "ETag", "Etag", "Expires", "Last-Modified", "Link", "Location", "Referrer-Policy",
        "Server", "Strict-Transport-Security", "Vary", "X-Content-Type-Options", "X-Frame-Options", "X-Powered-By")) {
      for (String name : List.of(spelled, spelled.toLowerCase(Locale.ROOT))) {
        String[] sameLength = COMMON[name.length()];
        if (!Arrays.asList(sameLength).contains(name)) {
          COMMON[name.length()] = Arrays.copyOf(sameLength, sameLength.length + 1);
          COMMON[name.length()][sameLength.length] = name;
        }
      }
    }
  }

  private StoredFields() {
  }

  /**
   * The fields of {@code headers}, in order, without those named in {@code dropped}. A header map
   * of Vert.x is walked by its own names and values (no String made for a name that has a shared
   * one, nor a map entry per field).
   */
  static String[] of(MultiMap headers, CharSequence... dropped) {
    if (headers.isEmpty()) {
      return NONE;
    }
    String[] fields = new String[32];
    int size = 0;
    Iterator<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> walk =
        headers instanceof io.netty.handler.codec.http.HttpHeaders netty ? netty.iteratorCharSequence() : headers.iterator();
    while (walk.hasNext()) {
      Map.Entry<? extends CharSequence, ? extends CharSequence> field = walk.next();
      CharSequence name = field.getKey();
      if (named(name, dropped)) {
        continue;
      }
      if (size == fields.length) {
        fields = Arrays.copyOf(fields, size * 2);
      }
      fields[size++] = shared(name);
      fields[size++] = field.getValue().toString();
    }
    return Arrays.copyOf(fields, size);
  }

  /** The shared string spelled as {@code name}, or a new one. */
  private static String shared(CharSequence name) {
    if (name.length() <= LONGEST) {
      for (String common : COMMON[name.length()]) {
        if (AsciiString.contentEquals(common, name)) {
          return common;
        }
      }
    }
    return name.toString();
  }

  /** Whether {@code name} is one of the shared strings itself (not a copy). */
  private static boolean isShared(String name) {
    if (name.length() <= LONGEST) {
      for (String common : COMMON[name.length()]) {
        if (common == name) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean named(CharSequence name, CharSequence[] names) {
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
      if (i % 2 == 1 || !isShared(fields[i])) {
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
