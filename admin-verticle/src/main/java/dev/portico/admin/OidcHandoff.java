package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.AdminKeys;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What ties an OIDC sign-in to the browser that started it, and how the console gets its token.
 * The login sets a random binding in an {@code HttpOnly}, {@code SameSite=Lax} cookie scoped to
 * {@value #COOKIE_PATH} and keeps only its SHA-256 with the state: a callback from another
 * browser (someone else's code and state planted in a link: login CSRF) is refused. For the
 * console the callback does not answer the token: it keeps it for {@value #TTL_SECONDS} s under a
 * random one-time code and sends the browser to {@code /#/oidc/<code>}; the page removes the
 * fragment and trades the code, with the same cookie, at {@code POST /api/v1/auth/oidc/handoff}.
 * The token never appears in a URL, so it is in no history, referrer or log.
 */
final class OidcHandoff {

  static final String COOKIE = "portico_oidc";
  static final String COOKIE_PATH = "/api/v1/auth/oidc";
  private static final int TTL_SECONDS = 60;
  private static final int MAX_CODE_LENGTH = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /* KEYS[1] the handoff: its value, taken once. */
  private static final String TAKE_SCRIPT = """
      local value = redis.call('GET', KEYS[1])
      if value then redis.call('DEL', KEYS[1]) end
      return value
      """;

  private final Records records;
  private final boolean secureCookie;

  /** {@code secureCookie}: the admin is reached over HTTPS (its redirect URI says so). */
  OidcHandoff(Records records, boolean secureCookie) {
    this.records = records;
    this.secureCookie = secureCookie;
  }

  /** Sets a new binding cookie on the login's answer; returns the hash to keep with the state. */
  String bind(RoutingContext context) {
    String binding = random();
    context.response().addCookie(cookie(binding).setMaxAge(600));
    return sha256(binding);
  }

  /** Whether the request carries the binding cookie whose hash is {@code boundHash}. */
  static boolean boundTo(RoutingContext context, String boundHash) {
    Cookie cookie = context.request().getCookie(COOKIE);
    return cookie != null && boundHash != null && MessageDigest.isEqual(
        sha256(cookie.getValue()).getBytes(StandardCharsets.US_ASCII), boundHash.getBytes(StandardCharsets.US_ASCII));
  }

  /** Keeps the signed-in answer for the console under a new one-time code, which it returns. */
  Future<String> hold(JsonObject signedIn, String boundHash) {
    String code = random();
    JsonObject held = new JsonObject().put("signedIn", signedIn).put("binding", boundHash);
    return records.send(Request.cmd(Command.SET).arg(AdminKeys.oidcHandoff(code)).arg(held.encode())
        .arg("EX").arg(TTL_SECONDS)).map(code);
  }

  /** {@code POST /api/v1/auth/oidc/handoff} {@code {"code"}}: the held answer, once, to the browser that signed in. */
  Future<Reply> take(RoutingContext context, RequestBodies bodies) {
    String code = bodies.parse(context, "OidcHandoff").getString("code");
    if (code.length() > MAX_CODE_LENGTH) {
      throw ApiError.badRequest("code", "not a sign-in code");
    }
    return records.send(Request.cmd(Command.EVAL).arg(TAKE_SCRIPT).arg(1).arg(AdminKeys.oidcHandoff(code)))
        .compose(taken -> {
          JsonObject held = taken == null ? null : new JsonObject(taken.toString());
          if (held == null || !boundTo(context, held.getString("binding"))) {
            return Future.failedFuture(ApiError.badRequest("code",
                "unknown, expired or already used sign-in code, or one from a sign-in in another browser"));
          }
          context.response().addCookie(cleared());
          return Reply.ok(held.getJsonObject("signedIn"));
        });
  }

  /** The binding cookie's removal: once a sign-in is done with it. */
  Cookie cleared() {
    return cookie("").setMaxAge(0);
  }

  private Cookie cookie(String value) {
    return Cookie.cookie(COOKIE, value).setPath(COOKIE_PATH).setHttpOnly(true).setSecure(secureCookie)
        .setSameSite(CookieSameSite.LAX);
  }

  static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
