package dev.portico.edge.policy;

import dev.portico.edge.cache.CacheControl;
import dev.portico.edge.cache.CacheKeys;
import dev.portico.edge.cache.CacheNode;
import dev.portico.edge.cache.CacheRules;
import dev.portico.edge.cache.CachedResponse;
import dev.portico.edge.cache.Freshness;
import dev.portico.edge.cache.Revalidation;
import dev.portico.edge.observe.Exchange;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

/**
 * What a backend's answer does to the store, for a request's own miss or revalidation and for a
 * background refresh alike: a 304 refreshes the stale entry, a storable response is recorded as
 * its body streams.
 */
final class CacheWrites {

  /** Fields the edge stamps on each exchange: never stored. */
  private static final CharSequence[] STAMPED = {Exchange.REQUEST_ID, CachedAnswers.X_CACHE};

  private final CacheNode node;
  private final CacheRules rules;

  CacheWrites(CacheNode node, CacheRules rules) {
    this.node = node;
    this.rules = rules;
  }

  /**
   * A 304 (fields {@code notModified}) to the revalidation of {@code stale} under {@code key}:
   * the refreshed entry, stored again when it still may be (else the stale one is forgotten: the
   * 304 took back what allowed storing it); null when the 304 is not about the entry (another
   * entity tag), which is then left alone.
   */
  CachedResponse refresh(String key, CachedResponse stale, MultiMap requestHeaders, MultiMap notModified,
      long requestTime) {
    if (!Revalidation.confirms(stale, notModified)) {
      return null;
    }
    CachedResponse refreshed = Revalidation.refresh(stale, storedHeaders(notModified), requestTime,
        System.currentTimeMillis());
    if (Freshness.notStorableReason(requestHeaders, refreshed.status(), refreshed.headers(), rules) == null
        && refreshed.variant().equals(CacheKeys.selectedFields(refreshed.headerValues(HttpHeaders.VARY), requestHeaders))) {
      node.store().put(key, refreshed);
    } else {
      node.store().remove(key);
    }
    return refreshed;
  }

  /**
   * The recorder that stores the response's body under {@code key} as it streams (then
   * {@code ended} runs), or null when the response is not stored ({@code ended} has run): not a
   * GET's, too many {@code Vary} fields, a body in another coding than the key's, not storable
   * (RFC 9111 §3), or declared heavier than the site or the store takes.
   */
  CacheRecorder recorder(String key, String encoding, HttpMethod method, MultiMap requestHeaders, int status,
      MultiMap responseHeaders, long requestTime, Runnable ended) {
    long responseTime = System.currentTimeMillis();
    String variant = CacheKeys.selectedFields(responseHeaders, requestHeaders);
    long maxBytes = Math.min(rules.maxObjectBytes(), node.store().maxEntryBytes());  // the store drops heavier ones
    if (method != HttpMethod.GET || variant == null || !inKeysCoding(responseHeaders, encoding)
        || Freshness.notStorableReason(requestHeaders, status, responseHeaders, rules) != null
        || contentLength(responseHeaders) > maxBytes) {
      ended.run();  // relayed without a copy that would only be dropped
      return null;
    }
    String[] fields = CachedResponse.fieldsOf(responseHeaders, STAMPED);  // now: the outer filters edit them next
    return new CacheRecorder(node, maxBytes, body -> node.store().put(key,
        new CachedResponse(status, fields, body, variant, requestTime, responseTime)), ended);
  }

  /**
   * The backend request's fields for the key: only the key's content coding offered, so what it
   * answers belongs under that key (a {@code gzip} body never lands where {@code br} clients
   * look); with a {@code stale} entry that has validators, conditional on them. Returns whether
   * the request revalidates.
   */
  static boolean ask(MultiMap backendHeaders, String encoding, CachedResponse stale) {
    backendHeaders.set(HttpHeaders.ACCEPT_ENCODING, encoding);
    if (stale != null && Revalidation.hasValidator(stale)) {
      Revalidation.ask(stale, backendHeaders);
      return true;
    }
    return false;
  }

  /** Whether {@code entry} may go to a request with these fields (§3.5 for {@code Authorization}; {@code Cookie}; its variant). */
  static boolean usable(CachedResponse entry, MultiMap requestHeaders) {
    if (requestHeaders.contains(HttpHeaders.AUTHORIZATION) && !Freshness.servesAuthorized(entry)) {
      return false;
    }
    if (requestHeaders.contains(HttpHeaders.COOKIE) && !Freshness.servesWithCookie(entry)) {
      return false;
    }
    return entry.variant().equals(CacheKeys.selectedFields(entry.headerValues(HttpHeaders.VARY), requestHeaders));
  }

  /** Whether the body is in {@code encoding} (the key's) or in none: a backend that ignored the offer is not stored. */
  private static boolean inKeysCoding(MultiMap headers, String encoding) {
    String coding = headers.get(HttpHeaders.CONTENT_ENCODING);
    return coding == null || coding.equalsIgnoreCase(encoding) || coding.equalsIgnoreCase("identity");
  }

  /** The response's {@code Content-Length} (one decimal number, as the edge validated it), or -1. */
  private static long contentLength(MultiMap headers) {
    String value = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (value == null || value.length() > 18 || !CacheControl.allDigits(value)) {
      return -1;
    }
    return Long.parseLong(value);
  }

  /** The backend's end-to-end fields, without what the edge adds per exchange. */
  private static MultiMap storedHeaders(MultiMap responseHeaders) {
    MultiMap headers = HttpHeaders.headers().addAll(responseHeaders);
    for (CharSequence stamp : STAMPED) {
      headers.remove(stamp);
    }
    return headers;
  }
}
