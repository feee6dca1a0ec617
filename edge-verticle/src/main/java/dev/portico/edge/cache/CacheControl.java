package dev.portico.edge.cache;

import java.util.List;
import java.util.Locale;

/**
 * The {@code Cache-Control} directives the cache acts on (RFC 9111 §5.2), parsed from every
 * field line of a message. Unknown directives are ignored; a delta-seconds that is not a number
 * counts as absent for {@code max-age}/{@code s-maxage} on a response, which then falls back on
 * {@code Expires} or the site's default (§4.2.1: an invalid value means stale — taken here as
 * "no freshness from this directive", the safe side being {@link #noCache} for a malformed
 * {@code max-age} is not what origins mean). Values over {@link #MAX_SECONDS} are capped (§1.2.2).
 *
 * @param maxAge               {@code max-age} seconds, or -1
 * @param sMaxAge              {@code s-maxage} seconds, or -1
 * @param staleWhileRevalidate {@code stale-while-revalidate} seconds (RFC 5861), or -1
 * @param staleIfError         {@code stale-if-error} seconds (RFC 5861), or -1
 */
public record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, boolean isPublic,
    boolean mustRevalidate, boolean proxyRevalidate, long maxAge, long sMaxAge, long staleWhileRevalidate,
    long staleIfError) {

  /** 2^31 seconds, the cap RFC 9111 §1.2.2 sets for delta-seconds. */
  static final long MAX_SECONDS = 2147483648L;
  /** Most directives read from one message: a crafted field with thousands is not walked to the end, and counts as no-store. */
  static final int MAX_DIRECTIVES = 64;

  public static final CacheControl NONE = new CacheControl(false, false, false, false, false, false, -1, -1, -1, -1);

  public static CacheControl parse(List<String> fieldValues) {
    if (fieldValues.isEmpty()) {
      return NONE;
    }
    boolean noStore = false;
    boolean noCache = false;
    boolean isPrivate = false;
    boolean isPublic = false;
    boolean mustRevalidate = false;
    boolean proxyRevalidate = false;
    long maxAge = -1;
    long sMaxAge = -1;
    long swr = -1;
    long sie = -1;
    int seen = 0;
    for (String value : fieldValues) {
      for (String directive : value.split(",", MAX_DIRECTIVES + 1)) {
        if (++seen > MAX_DIRECTIVES) {
          noStore = true;  // a private or no-store may hide past what is read: such a message is not stored
          break;
        }
        int equals = directive.indexOf('=');
        String name = (equals < 0 ? directive : directive.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
        String argument = equals < 0 ? null : directive.substring(equals + 1).trim();
        switch (name) {
          case "no-store" -> noStore = true;
          case "no-cache" -> noCache = true;  // with field names too: §5.2.2.4 allows treating it as unqualified
          case "private" -> isPrivate = true;  // likewise
          case "public" -> isPublic = true;
          case "must-revalidate" -> mustRevalidate = true;
          case "proxy-revalidate" -> proxyRevalidate = true;
          case "max-age" -> maxAge = seconds(argument);
          case "s-maxage" -> sMaxAge = seconds(argument);
          case "stale-while-revalidate" -> swr = seconds(argument);
          case "stale-if-error" -> sie = seconds(argument);
          default -> { }
        }
      }
    }
    return new CacheControl(noStore, noCache, isPrivate, isPublic, mustRevalidate, proxyRevalidate, maxAge, sMaxAge,
        swr, sie);
  }

  /** Whether {@code value} is one or more ASCII digits. */
  public static boolean allDigits(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return !value.isEmpty();
  }

  /** delta-seconds (digits, optionally quoted), capped; 0 (stale) when missing or malformed. */
  private static long seconds(String argument) {
    if (argument == null) {
      return 0;
    }
    String digits = argument.length() >= 2 && argument.startsWith("\"") && argument.endsWith("\"")
        ? argument.substring(1, argument.length() - 1) : argument;
    if (!allDigits(digits)) {
      return 0;
    }
    return digits.length() > 12 ? MAX_SECONDS : Math.min(MAX_SECONDS, Long.parseLong(digits));
  }
}
