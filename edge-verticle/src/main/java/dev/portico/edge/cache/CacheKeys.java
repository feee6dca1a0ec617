package dev.portico.edge.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Keys of the store. A key is the site's pattern, the scope of the filters that cache (the site's
 * own, {@code "site"}; a per-path route's id: a page behind
 * one route's password must never answer a request another route admits), the host, the request
 * target and the content encoding the edge negotiated for the client (identity, gzip, br): compressed and plain variants
 * are different entries, whatever the clients spelled in {@code Accept-Encoding}. HEAD shares
 * GET's entry. Other fields a response names in {@code Vary} are compared on use
 * ({@link #selectedFields}): one variant per key, replaced when another is stored.
 */
public final class CacheKeys {

  private static final char SEPARATOR = '\u0000';
  /** Most {@code Vary} names taken into account; a response naming more is not stored ({@link #selectedFields} null). */
  static final int MAX_VARY_FIELDS = 16;

  private CacheKeys() {
  }

  public static String key(String sitePattern, String scope, String host, String pathAndQuery, String encoding) {
    return sitePattern + SEPARATOR + scope + SEPARATOR + host + SEPARATOR + encoding + SEPARATOR + pathAndQuery;
  }

  /** Whether {@code key} belongs to the site (a purge of everything). */
  public static boolean ofSite(String key, String sitePattern) {
    return key.startsWith(sitePattern + SEPARATOR);
  }

  /** The request target of {@code key}. */
  public static String pathOf(String key) {
    int at = -1;
    for (int field = 0; field < 4; field++) {  // pattern, scope, host, encoding: none holds the separator
      at = key.indexOf(SEPARATOR, at + 1);
    }
    return key.substring(at + 1);
  }

  /**
   * The values of the request fields a response's {@code Vary} names, normalised (names lower
   * case, sorted; {@code Accept-Encoding} left out: the key holds it), as one string; null when
   * it names too many.
   */
  public static String selectedFields(MultiMap responseHeaders, MultiMap requestHeaders) {
    return selectedFields(responseHeaders.getAll(HttpHeaders.VARY), requestHeaders);
  }

  /** The same, from the values of the response's {@code Vary} fields; "" for none (most responses). */
  public static String selectedFields(List<String> varyValues, MultiMap requestHeaders) {
    if (varyValues.isEmpty()) {
      return "";
    }
    TreeMap<String, String> selected = new TreeMap<>();
    for (String vary : varyValues) {
      for (String name : vary.split(",", MAX_VARY_FIELDS + 2)) {
        String field = name.trim().toLowerCase(Locale.ROOT);
        if (field.isEmpty() || field.equals("accept-encoding")) {
          continue;
        }
        if (selected.size() == MAX_VARY_FIELDS) {
          return null;
        }
        selected.put(field, String.join(",", requestHeaders.getAll(field)));
      }
    }
    StringBuilder out = new StringBuilder();
    selected.forEach((field, value) -> out.append(field).append(':').append(value).append('\n'));
    return out.toString();
  }
}
