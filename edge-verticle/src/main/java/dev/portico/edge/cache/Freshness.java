package dev.portico.edge.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * RFC 9111 for a shared cache, as pure functions of messages and times (milliseconds): whether a
 * request may use the cache, whether a response may be stored, and how fresh a stored one is.
 */
public final class Freshness {

  /** What a stored response may be used for now (§4.2, §4.3; RFC 5861). */
  public enum State {
    /** Serve it. */
    FRESH,
    /** Serve it and revalidate in the background ({@code stale-while-revalidate}). */
    STALE_WHILE_REVALIDATE,
    /** Revalidate before use. */
    STALE
  }

  /** Statuses a cache may give a heuristic (default) lifetime (§4.2.2, "heuristically cacheable"). */
  private static final Set<Integer> HEURISTIC = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

  private Freshness() {
  }

  /**
   * Why the cache is not consulted for this request, or null when it is: only GET and HEAD, not a
   * protocol upgrade; on a guarded site only when marked shared (one user's page must never reach
   * another); not when the client says {@code no-store}.
   */
  public static String bypassReason(HttpMethod method, MultiMap requestHeaders, CacheRules rules) {
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      return "method";
    }
    if (requestHeaders.contains(HttpHeaders.UPGRADE)) {
      return "upgrade";  // a WebSocket handshake: its 101 is a tunnel, nothing to store
    }
    if (rules.guarded() && !rules.shared()) {
      return "guarded site";
    }
    if (CacheControl.parse(requestHeaders.getAll(HttpHeaders.CACHE_CONTROL)).noStore()) {
      return "request no-store";
    }
    return null;
  }

  /**
   * Why this response must not be stored, or null when it may be (§3): no {@code no-store} or
   * {@code private}, no {@code Set-Cookie}, no {@code Vary: *}, a status the cache understands,
   * for a request with {@code Authorization} only when the response allows it (§3.5), for one
   * with {@code Cookie} (a session, most likely) only when it says {@code public} or
   * {@code s-maxage} (backends rarely mark per-user pages {@code private}), and some
   * way to use it later: a lifetime, or a validator to revalidate with.
   */
  public static String notStorableReason(MultiMap requestHeaders, int status, MultiMap responseHeaders,
      CacheRules rules) {
    CacheControl cc = CacheControl.parse(responseHeaders.getAll(HttpHeaders.CACHE_CONTROL));
    if (cc.noStore()) {
      return "no-store";
    }
    if (cc.isPrivate()) {
      return "private";
    }
    if (responseHeaders.contains(HttpHeaders.SET_COOKIE)) {
      return "set-cookie";
    }
    for (String vary : responseHeaders.getAll(HttpHeaders.VARY)) {
      if (vary.contains("*")) {
        return "vary *";
      }
    }
    if (!HEURISTIC.contains(status)) {
      return "status";
    }
    if (requestHeaders.contains(HttpHeaders.AUTHORIZATION) && !sharedExplicitly(cc) && !cc.mustRevalidate()) {
      return "authorization";
    }
    if (requestHeaders.contains(HttpHeaders.COOKIE) && !sharedExplicitly(cc)) {
      return "cookie";  // a logged-in user's page: shared only when the backend says so, never by the default lifetime
    }
    boolean explicit = cc.maxAge() >= 0 || cc.sMaxAge() >= 0 || responseHeaders.contains(HttpHeaders.EXPIRES);
    boolean validator = responseHeaders.contains(HttpHeaders.ETAG) || responseHeaders.contains(HttpHeaders.LAST_MODIFIED);
    if (!explicit && rules.defaultTtlSeconds() <= 0 && !validator) {
      return "no freshness";
    }
    return null;
  }

  /** Whether {@code entry} may answer a request with {@code Authorization} (§3.5: it was stored as shareable). */
  public static boolean servesAuthorized(CachedResponse entry) {
    CacheControl cc = CacheControl.parse(entry.headerValues(HttpHeaders.CACHE_CONTROL));
    return sharedExplicitly(cc) || cc.mustRevalidate();
  }

  /**
   * Whether {@code entry} may answer a request with {@code Cookie}: only one its backend declared
   * shared, since a logged-in user must not get the page stored for an anonymous one.
   */
  public static boolean servesWithCookie(CachedResponse entry) {
    return sharedExplicitly(CacheControl.parse(entry.headerValues(HttpHeaders.CACHE_CONTROL)));
  }

  /** {@code public} or {@code s-maxage}: the backend's statement that the response is the same for everyone. */
  private static boolean sharedExplicitly(CacheControl cc) {
    return cc.isPublic() || cc.sMaxAge() >= 0;
  }

  /** The freshness lifetime in ms (§4.2.1): s-maxage, max-age, Expires − Date, else the default for heuristic statuses. */
  public static long lifetimeMs(CachedResponse entry, long defaultTtlSeconds) {
    CacheControl cc = CacheControl.parse(entry.headerValues(HttpHeaders.CACHE_CONTROL));
    if (cc.noCache()) {
      return 0;
    }
    if (cc.sMaxAge() >= 0) {
      return cc.sMaxAge() * 1000;
    }
    if (cc.maxAge() >= 0) {
      return cc.maxAge() * 1000;
    }
    String expires = entry.header(HttpHeaders.EXPIRES);
    if (expires != null) {
      long expiresAt = httpDate(expires);
      long date = dateOr(entry);
      return expiresAt < 0 ? 0 : Math.max(0, expiresAt - date);  // an invalid Expires is in the past (§5.3)
    }
    return HEURISTIC.contains(entry.status()) ? defaultTtlSeconds * 1000 : 0;
  }

  /** The entry's current age in ms at {@code now} (§4.2.3). */
  public static long ageMs(CachedResponse entry, long now) {
    long date = dateOr(entry);
    long apparentAge = Math.max(0, entry.responseTime() - date);
    long responseDelay = Math.max(0, entry.responseTime() - entry.requestTime());
    long correctedAgeValue = ageHeaderSeconds(entry) * 1000 + responseDelay;
    long residentTime = Math.max(0, now - entry.responseTime());
    return Math.max(apparentAge, correctedAgeValue) + residentTime;
  }

  /** What {@code entry} may be used for at {@code now}. */
  public static State state(CachedResponse entry, long now, long defaultTtlSeconds) {
    long lifetime = lifetimeMs(entry, defaultTtlSeconds);
    long age = ageMs(entry, now);
    if (age < lifetime) {
      return State.FRESH;
    }
    CacheControl cc = CacheControl.parse(entry.headerValues(HttpHeaders.CACHE_CONTROL));
    if (!mayServeStale(cc) || cc.staleWhileRevalidate() < 0) {
      return State.STALE;
    }
    return age < lifetime + cc.staleWhileRevalidate() * 1000 ? State.STALE_WHILE_REVALIDATE : State.STALE;
  }

  /** Whether a stale {@code entry} may answer when its backend fails ({@code stale-if-error}, RFC 5861 §4). */
  public static boolean servesOnError(CachedResponse entry, long now, long defaultTtlSeconds) {
    CacheControl cc = CacheControl.parse(entry.headerValues(HttpHeaders.CACHE_CONTROL));
    if (!mayServeStale(cc) || cc.staleIfError() < 0) {
      return false;
    }
    return ageMs(entry, now) < lifetimeMs(entry, defaultTtlSeconds) + cc.staleIfError() * 1000;
  }

  /** must-revalidate, proxy-revalidate, s-maxage (§5.2.2.10) and no-cache forbid serving stale. */
  private static boolean mayServeStale(CacheControl cc) {
    return !cc.mustRevalidate() && !cc.proxyRevalidate() && cc.sMaxAge() < 0 && !cc.noCache();
  }

  /** The entry's {@code Date}, or when it was received. */
  private static long dateOr(CachedResponse entry) {
    String date = entry.header(HttpHeaders.DATE);
    long parsed = date == null ? -1 : httpDate(date);
    return parsed < 0 ? entry.responseTime() : parsed;
  }

  /** The {@code Age} field in seconds; 0 when absent or malformed. */
  private static long ageHeaderSeconds(CachedResponse entry) {
    String age = entry.header(HttpHeaders.AGE);
    if (age == null || age.length() > 10 || !CacheControl.allDigits(age)) {
      return 0;
    }
    return Long.parseLong(age);
  }

  /** An IMF-fixdate (the form RFC 9110 senders must use) as epoch ms, or -1. */
  public static long httpDate(String value) {
    if (value.length() > 64) {
      return -1;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return -1;
    }
  }
}
