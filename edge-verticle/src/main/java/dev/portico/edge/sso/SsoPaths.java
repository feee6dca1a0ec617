package dev.portico.edge.sso;

import io.vertx.core.MultiMap;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The edge's own paths on a site behind SSO, the cookies, and the checks on what a client sends
 * in them. The paths lie under {@code /.portico/auth/} on the site's own host.
 */
public final class SsoPaths {

  public static final String PREFIX = "/.portico/auth/";
  public static final String CALLBACK = PREFIX + "callback";
  public static final String LOGOUT = PREFIX + "logout";
  public static final String LOGIN = PREFIX + "login";
  /** The session cookie: a random id, nothing else. */
  public static final String SESSION_COOKIE = "portico_sso";
  /** The sign-in's {@code state}, tying the callback to the browser that started it. */
  static final String STATE_COOKIE = "portico_sso_state";
  static final int MAX_RETURN_CHARS = 2048;

  private SsoPaths() {
  }

  /**
   * {@code path} if it is a path on this host — one {@code /}, then no second {@code /} or
   * {@code \} (a browser reads {@code //evil} and {@code /\evil} as another host), no control
   * characters — else {@code /}: the return after sign-in never leaves the site.
   */
  static String sameHostPath(String path) {
    if (path == null || path.isEmpty() || path.length() > MAX_RETURN_CHARS || path.charAt(0) != '/'
        || path.length() > 1 && (path.charAt(1) == '/' || path.charAt(1) == '\\')) {
      return "/";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\') {
        return "/";
      }
    }
    return path;
  }

  /** The first value of the query parameter {@code name} in {@code query}, decoded; {@code null} when absent or malformed. */
  static String parameter(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&", 64)) {
      if (pair.startsWith(name + "=")) {
        try {
          return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
          return null;
        }
      }
    }
    return null;
  }

  /** The value of the cookie {@code name} among the request's {@code Cookie} fields, or {@code null}. */
  public static String cookie(MultiMap headers, String name) {
    for (String field : headers.getAll("cookie")) {
      for (String pair : field.split(";", 200)) {
        String trimmed = pair.trim();
        if (trimmed.startsWith(name + "=")) {
          String value = trimmed.substring(name.length() + 1);
          // RFC 6265 4.1.1: a cookie value may be in double quotes
          return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
              ? value.substring(1, value.length() - 1) : value;
        }
      }
    }
    return null;
  }

  /** {@code field} (a {@code Cookie} value) without the edge's own cookies; {@code null} when nothing is left. */
  public static String withoutOwnCookies(String field) {
    StringBuilder kept = new StringBuilder(field.length());
    for (String pair : field.split(";", -1)) {
      String trimmed = pair.trim();
      String name = trimmed.indexOf('=') < 0 ? trimmed : trimmed.substring(0, trimmed.indexOf('='));
      if (!trimmed.isEmpty() && !name.equals(SESSION_COOKIE) && !name.equals(STATE_COOKIE)) {
        kept.append(kept.length() == 0 ? "" : "; ").append(trimmed);
      }
    }
    return kept.length() == 0 ? null : kept.toString();
  }

  /** A {@code Set-Cookie} value: host-only, {@code HttpOnly}, {@code SameSite=Lax}, {@code Secure} on HTTPS. */
  static String setCookie(String name, String value, String path, long maxAgeSeconds, boolean secure) {
    return name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Lax"
        + (secure ? "; Secure" : "");
  }

  /** Whether the request is a browser's navigation: a GET (or HEAD) that accepts HTML. */
  public static boolean isBrowserNavigation(String method, MultiMap headers) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return false;
    }
    for (String accept : headers.getAll("accept")) {
      if (accept.toLowerCase(Locale.ROOT).contains("text/html")) {
        return true;
      }
    }
    return false;
  }
}
