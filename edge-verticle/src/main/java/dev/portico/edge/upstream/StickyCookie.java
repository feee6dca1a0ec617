package dev.portico.edge.upstream;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

import java.util.List;

/** Reading and writing the sticky-session cookie (its value is a target's opaque id, {@link StickyKey}). */
public final class StickyCookie {

  /** Longer than any id we make: a longer value is not read at all. */
  private static final int MAX_VALUE_CHARS = 64;

  private StickyCookie() {
  }

  /** The value of the cookie {@code name} in the request's {@code Cookie} headers, or {@code null}. */
  public static String read(List<String> cookieHeaders, String name) {
    for (String header : cookieHeaders) {
      if (header.contains(name)) {
        for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
          if (cookie.name().equals(name) && cookie.value().length() <= MAX_VALUE_CHARS) {
            return cookie.value();
          }
        }
      }
    }
    return null;
  }

  /** The {@code Set-Cookie} value naming {@code id}: a session cookie for the whole site, not for scripts. */
  public static String set(String name, String id, boolean secure) {
    return name + "=" + id + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
  }
}
