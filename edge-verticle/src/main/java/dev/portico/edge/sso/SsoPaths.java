package dev.portico.edge.sso;

import io.vertx.core.MultiMap;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
  /** The session cookie (over plain HTTP): a random id, nothing else. */
  public static final String SESSION_COOKIE = "portico_sso";
  /** The sign-in's {@code state} (over plain HTTP), tying the callback to the browser that started it. */
  static final String STATE_COOKIE = "portico_sso_state";
  /**
   * The prefix of the cookies' names over HTTPS: a browser keeps a {@code __Host-} cookie only when
   * it is {@code Secure}, {@code Path=/} and has no {@code Domain}, so a sibling subdomain cannot
   * set ("toss") one for this host.
   */
  static final String HOST_PREFIX = "__Host-";
  private static final List<String> OWN_COOKIES = List.of(SESSION_COOKIE, STATE_COOKIE, HOST_PREFIX + SESSION_COOKIE,
      HOST_PREFIX + STATE_COOKIE);
  /** Most values of one cookie name looked at (each may be tried against Redis). */
  static final int MAX_COOKIE_VALUES = 8;
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

  /** The session cookie's name: {@code __Host-portico_sso} over HTTPS, {@code portico_sso} over HTTP. */
  static String sessionCookie(boolean secure) {
    return secure ? HOST_PREFIX + SESSION_COOKIE : SESSION_COOKIE;
  }

  /** The state cookie's name: {@code __Host-portico_sso_state} over HTTPS, {@code portico_sso_state} over HTTP. */
  static String stateCookie(boolean secure) {
    return secure ? HOST_PREFIX + STATE_COOKIE : STATE_COOKIE;
  }

  /**
   * The values of every cookie {@code name} among the request's {@code Cookie} fields, in order
   * (at most {@link #MAX_COOKIE_VALUES}): a browser sends several of one name when several were set
   * (another path, a parent domain's), and the edge's may be any of them.
   */
  public static List<String> cookies(MultiMap headers, String name) {
    List<String> values = new ArrayList<>(2);
    for (String field : headers.getAll("cookie")) {
      for (String pair : field.split(";", 200)) {
        String trimmed = pair.trim();
        if (trimmed.startsWith(name + "=") && values.size() < MAX_COOKIE_VALUES) {
          String value = trimmed.substring(name.length() + 1);
          // RFC 6265 4.1.1: a cookie value may be in double quotes
          values.add(value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
              ? value.substring(1, value.length() - 1) : value);
        }
      }
    }
    return values;
  }

  /** Whether {@code setCookie} (a {@code Set-Cookie} value) sets one of the edge's own cookies. */
  public static boolean setsOwnCookie(String setCookie) {
    int equals = setCookie.indexOf('=');
    String name = (equals < 0 ? setCookie : setCookie.substring(0, equals)).trim();
    for (String own : OWN_COOKIES) {
      if (own.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a request is not cross-site by what the browser says of it: {@code Sec-Fetch-Site},
   * when sent, is {@code same-origin}; {@code Origin}, when sent, is this site's origin
   * ({@code secure}: its scheme; {@code authority}: host and the port, if any, the client named).
   * A client that sends neither is no browser a page could have made send it.
   */
  static boolean sameOrigin(MultiMap headers, boolean secure, String authority) {
    String site = headers.get("Sec-Fetch-Site");
    if (site != null && !site.trim().equalsIgnoreCase("same-origin")) {
      return false;
    }
    String origin = headers.get("Origin");
    if (origin == null) {
      return true;
    }
    String scheme = secure ? "https://" : "http://";
    String defaultPort = secure ? ":443" : ":80";
    String expected = authority.toLowerCase(Locale.ROOT);
    if (expected.endsWith(defaultPort)) {
      expected = expected.substring(0, expected.length() - defaultPort.length());
    }
    String given = origin.trim().toLowerCase(Locale.ROOT);
    if (given.endsWith(defaultPort)) {
      given = given.substring(0, given.length() - defaultPort.length());
    }
    return given.equals(scheme + expected);
  }

  /** {@code field} (a {@code Cookie} value) without the edge's own cookies; {@code null} when nothing is left. */
  public static String withoutOwnCookies(String field) {
    StringBuilder kept = new StringBuilder(field.length());
    for (String pair : field.split(";", -1)) {
      String trimmed = pair.trim();
      String name = trimmed.indexOf('=') < 0 ? trimmed : trimmed.substring(0, trimmed.indexOf('='));
      if (!trimmed.isEmpty() && !OWN_COOKIES.contains(name)) {
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
