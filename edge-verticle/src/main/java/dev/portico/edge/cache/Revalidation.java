package dev.portico.edge.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import java.util.Locale;
import java.util.Set;

/**
 * Revalidating a stale entry with its backend (RFC 9111 §4.3): the conditional fields that ask
 * whether it still holds, and the entry a 304 refreshes (§4.3.4: the 304's fields replace the
 * stored ones, the body stays).
 */
public final class Revalidation {

  /** Fields about the stored message rather than what a 304 says of it: never taken from the 304 (§3.2). */
  private static final Set<String> KEPT = Set.of("content-length", "content-encoding", "content-range",
      "transfer-encoding");

  private Revalidation() {
  }

  /** Whether the entry has a validator ({@code ETag} or {@code Last-Modified}) to revalidate with. */
  public static boolean hasValidator(CachedResponse entry) {
    return entry.hasHeader(HttpHeaders.ETAG) || entry.hasHeader(HttpHeaders.LAST_MODIFIED);
  }

  /**
   * Makes the backend request conditional on the entry: its validators replace whatever the
   * client sent (the client's own condition is then answered from the refreshed entry).
   */
  public static void ask(CachedResponse entry, MultiMap backendHeaders) {
    backendHeaders.remove(HttpHeaders.IF_NONE_MATCH).remove(HttpHeaders.IF_MODIFIED_SINCE);
    String etag = entry.header(HttpHeaders.ETAG);
    String lastModified = entry.header(HttpHeaders.LAST_MODIFIED);
    if (etag != null) {
      backendHeaders.set(HttpHeaders.IF_NONE_MATCH, etag);
    }
    if (lastModified != null) {
      backendHeaders.set(HttpHeaders.IF_MODIFIED_SINCE, lastModified);
    }
  }

  /** Whether a 304 with {@code notModified}'s fields is about the entry: no entity tag, or the entry's (§4.3.4). */
  public static boolean confirms(CachedResponse entry, MultiMap notModified) {
    String etag = notModified.get(HttpHeaders.ETAG);
    return etag == null || opaque(etag).equals(opaque(entry.header(HttpHeaders.ETAG)));
  }

  /** The entry with the 304's fields in place of its own, received at {@code responseTime}. */
  public static CachedResponse refresh(CachedResponse entry, MultiMap notModified, long requestTime,
      long responseTime) {
    MultiMap headers = entry.headers();
    for (String name : notModified.names()) {
      if (!KEPT.contains(name.toLowerCase(Locale.ROOT))) {
        headers.set(name, notModified.getAll(name));
      }
    }
    if (!notModified.contains(HttpHeaders.AGE)) {
      headers.remove(HttpHeaders.AGE);  // the old Age no longer says anything about the confirmed copy
    }
    return entry.refreshed(headers, requestTime, responseTime);
  }

  private static String opaque(String etag) {
    if (etag == null) {
      return "";
    }
    String trimmed = etag.trim();
    return trimmed.startsWith("W/") ? trimmed.substring(2) : trimmed;
  }
}
