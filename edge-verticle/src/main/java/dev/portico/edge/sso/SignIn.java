package dev.portico.edge.sso;

import dev.portico.contract.SsoPolicy;
import dev.portico.edge.LogSafe;
import dev.portico.edge.pipeline.Answer;
import dev.portico.edge.pipeline.ClientRequest;
import dev.portico.edge.pipeline.Rejection;
import dev.portico.edge.policy.JwtGuard;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The authorization-code flow with PKCE (RFC 7636, S256), {@code state} and {@code nonce}: the
 * redirect to the provider, with the sign-in sealed in the browser's state cookie (so an
 * anonymous visitor costs Redis nothing), and its callback on the site's own host — the state
 * must be the one sealed in the browser's own cookie, for this host, unexpired, not used before
 * (spent in Redis, cluster-wide); the
 * code is traded at the token endpoint; the ID token verified (signature by the provider's JWKS,
 * issuer, audience, expiry with {@link #CLOCK_SKEW_S} of skew, nonce). Then — only when the
 * identity passes the allow-lists of the site or route that asked for the sign-in, sealed in the
 * sign-in beside its state — a session, and back to the page first asked for.
 */
final class SignIn {

  private static final Logger LOG = LoggerFactory.getLogger(SignIn.class);
  static final int CLOCK_SKEW_S = 60;
  private static final int MAX_CODE_CHARS = 4096;
  /** Most characters of a sealed sign-in with allow-lists (a browser keeps cookies of up to 4096 bytes). */
  static final int MAX_SEALED_CHARS = 3800;

  private final Providers providers;
  private final SsoStore store;
  private final IdpHttp http;
  private final JwtGuard tokens;

  SignIn(Providers providers, SsoStore store, IdpHttp http, JwtGuard tokens) {
    this.providers = providers;
    this.store = store;
    this.http = http;
    this.tokens = tokens;
  }

  /**
   * The redirect to {@code providerId}'s sign-in, returning afterwards to {@code returnTo} on this
   * host; {@code allowed}: the allow-lists the identity must pass before a session is made, or
   * {@code null} to leave that to the filter of the page asked for.
   */
  Future<Answer> start(ClientRequest request, String providerId, String returnTo, SsoPolicy allowed) {
    return providers.get(providerId).compose(provider -> {
      String state = SsoStore.randomId();
      String nonce = SsoStore.randomId();
      String verifier = SsoStore.randomId();
      String redirectUri = origin(request) + SsoPaths.CALLBACK;
      JsonObject login = new JsonObject().put("state", state).put("provider", provider.id()).put("host", request.host())
          .put("returnTo", SsoPaths.sameHostPath(returnTo)).put("nonce", nonce).put("verifier", verifier)
          .put("expiresAt", System.currentTimeMillis() + SsoStore.LOGIN_TTL_S * 1000L);
      Map<String, String> query = new LinkedHashMap<>();
      query.put("response_type", "code");
      query.put("client_id", provider.clientId());
      query.put("redirect_uri", redirectUri);
      query.put("scope", String.join(" ", provider.record().scopes()));
      query.put("state", state);
      query.put("nonce", nonce);
      query.put("code_challenge", challenge(verifier));
      query.put("code_challenge_method", "S256");
      String location = withQuery(provider.endpoints().authorization(), query);
      return Future.succeededFuture(SsoPages.redirect(location).header(HttpHeaders.SET_COOKIE,
          SsoPaths.setCookie(SsoPaths.stateCookie(request.secure()), sealed(login, allowed), "/", SsoStore.LOGIN_TTL_S,
              request.secure())));
    }).recover(SignIn::unavailable);
  }

  /**
   * {@code login} sealed, with {@code allowed}'s allow-lists when there are any and they fit in a
   * cookie (else without: the filter of the page asked for still refuses whom they do not allow).
   */
  private String sealed(JsonObject login, SsoPolicy allowed) {
    if (allowed != null && !allowed.allowsEveryone()) {
      String withLists = store.sealLogin(login.copy().put("allowUsers", new JsonArray(allowed.allowUsers()))
          .put("allowGroups", new JsonArray(allowed.allowGroups())));
      if (withLists.length() <= MAX_SEALED_CHARS) {
        return withLists;
      }
      LOG.warn("SSO sign-in at {}: allow-lists too long to seal in the sign-in; checked after it", login.getString("host"));
    }
    return store.sealLogin(login);
  }

  /** Whether {@code identity} passes the allow-lists sealed in {@code login} (none sealed: yes). */
  static boolean allowed(JsonObject login, Identity identity) {
    JsonArray users = login.getJsonArray("allowUsers");
    JsonArray groups = login.getJsonArray("allowGroups");
    if (users == null && groups == null) {
      return true;
    }
    SsoPolicy policy = new SsoPolicy(login.getString("provider"), strings(users), strings(groups), Map.of());
    return policy.allows(identity.user(), identity.email(), identity.groups());
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().filter(String.class::isInstance).map(String.class::cast).toList();
  }

  /** The provider's callback: a session and the redirect back, or the page saying why not. */
  Future<Answer> callback(ClientRequest request) {
    String query = request.path().query();
    String state = SsoPaths.parameter(query, "state");
    if (!SsoStore.isRandomId(state)) {
      return refused("The sign-in callback has no valid state: it was not started here.");
    }
    JsonObject login = null;
    for (String cookie : SsoPaths.cookies(request.headers(), SsoPaths.stateCookie(request.secure()))) {
      JsonObject opened = store.openLogin(cookie);
      if (opened != null && state.equals(opened.getString("state")) && request.host().equals(opened.getString("host"))) {
        login = opened;
        break;
      }
    }
    if (login == null) {
      return refused("This sign-in was not started in this browser.");
    }
    if (System.currentTimeMillis() > login.getLong("expiresAt", 0L)) {
      return refused("This sign-in has expired. Open the page again to sign in anew.");
    }
    JsonObject started = login;
    return store.spendState(state).compose(first -> {
      if (!first) {
        return refused("This sign-in was already used. Open the page again to sign in anew.");
      }
      String error = SsoPaths.parameter(query, "error");
      String code = SsoPaths.parameter(query, "code");
      if (error != null) {
        return Future.succeededFuture(SsoPages.page(403, "Sign-in refused",
            "The sign-in provider refused the sign-in: " + error.substring(0, Math.min(error.length(), 200)), false));
      }
      if (code == null || code.isEmpty() || code.length() > MAX_CODE_CHARS) {
        return refused("The sign-in callback carries no usable code.");
      }
      return providers.get(started.getString("provider"))
          .compose(provider -> trade(provider, started, code, origin(request)))
          .recover(SignIn::unavailable);
    });
  }

  /**
   * Trades the code for tokens, verifies the ID token, makes the session. {@code origin}: the
   * site's, as this callback reached it (the redirect URI was made from the same).
   */
  private Future<Answer> trade(Provider provider, JsonObject login, String code, String origin) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", origin + SsoPaths.CALLBACK);
    form.put("code_verifier", login.getString("verifier"));
    form.put("client_id", provider.clientId());
    return http.postForm(provider.endpoints().token(), provider.clientId(), provider.clientSecret(), form)
        .recover(e -> Future.failedFuture(new ProviderUnavailable("the sign-in provider " + provider.issuer()
            + " cannot be reached (" + e.getMessage() + ")")))
        .compose(reply -> {
          if (reply.status() >= 500) {
            return Future.failedFuture(new ProviderUnavailable("the sign-in provider " + provider.issuer()
                + " failed (HTTP " + reply.status() + ")"));
          }
          if (reply.status() != 200 || reply.json() == null) {
            LOG.info("SSO sign-in at {} refused by {}: HTTP {}", login.getString("host"), provider.issuer(), reply.status());
            return refused("The sign-in provider did not accept this sign-in's code.");
          }
          if (!(reply.json().getValue("id_token") instanceof String idToken)) {
            return Future.failedFuture(new ProviderUnavailable("the sign-in provider " + provider.issuer()
                + " returned no ID token"));
          }
          return verify(provider, idToken, login.getString("nonce")).compose(claims -> {
            Identity identity = Identity.of(claims, provider.record().groupsClaim());
            boolean secure = origin.startsWith("https:");
            if (!allowed(login, identity)) {
              String account = identity.email() == null ? identity.user() : identity.user() + " (" + identity.email() + ")";
              LOG.info("403 for {}: {} is not allowed (no session made)", login.getString("host"), LogSafe.of(account));
              return Future.succeededFuture(SsoPages.page(403, "Access denied",
                  "The account " + account + " is not allowed on " + login.getString("host") + ".", false)
                  .header(HttpHeaders.SET_COOKIE, SsoPaths.setCookie(SsoPaths.stateCookie(secure), "", "/", 0, secure)));
            }
            Session session = new Session(provider.id(), login.getString("host"), identity.user(), identity.email(),
                identity.groups(), claims, idToken, refreshToken(reply.json()), refreshAt(claims));
            String id = SsoStore.randomId();
            String back = origin + SsoPaths.sameHostPath(login.getString("returnTo"));
            return store.saveSession(id, session).map(v -> SsoPages.redirect(back)
                .header(HttpHeaders.SET_COOKIE, SsoPaths.setCookie(SsoPaths.sessionCookie(secure), id, "/",
                    store.sessionTtlSeconds(), secure))
                .header(HttpHeaders.SET_COOKIE, SsoPaths.setCookie(SsoPaths.stateCookie(secure), "", "/", 0, secure)));
          }, e -> e instanceof Rejection rejection && rejection.status() == 401
              ? refused("The sign-in provider's ID token did not verify: " + rejection.getMessage())
              : Future.failedFuture(new ProviderUnavailable("the sign-in provider " + provider.issuer()
                  + " has no usable signing keys")));
        });
  }

  /** The ID token's claims, checked: signature, issuer, audience, expiry (with skew), authorized party, nonce. */
  Future<JsonObject> verify(Provider provider, String idToken, String nonce) {
    return tokens.verifyIdToken(provider.endpoints().jwks(), provider.issuer(), provider.clientId(), idToken, CLOCK_SKEW_S)
        .compose(claims -> {
          Object azp = claims.getValue("azp");
          if (azp != null && !provider.clientId().equals(azp)) {
            return Future.failedFuture(new Rejection(401, "invalid_token", "issued to another client", null, null));
          }
          if (nonce != null && !nonce.equals(claims.getValue("nonce"))) {
            return Future.failedFuture(new Rejection(401, "invalid_token", "its nonce is not this sign-in's", null, null));
          }
          return Future.succeededFuture(claims);
        });
  }

  static String refreshToken(JsonObject tokens) {
    return tokens.getValue("refresh_token") instanceof String text && text.length() <= 8192 ? text : null;
  }

  static long refreshAt(JsonObject claims) {
    return claims.getValue("exp") instanceof Number exp ? exp.longValue() * 1000 : Long.MAX_VALUE;
  }

  static String origin(ClientRequest request) {
    return (request.secure() ? "https://" : "http://") + request.authority();
  }

  static String withQuery(String url, Map<String, String> query) {
    StringBuilder out = new StringBuilder(url).append(url.indexOf('?') < 0 ? '?' : '&');
    query.forEach((name, value) -> out.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8))
        .append('&'));
    return out.substring(0, out.length() - 1);
  }

  private static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Future<Answer> refused(String detail) {
    return Future.succeededFuture(SsoPages.page(400, "Sign-in failed", detail, false));
  }

  /** A provider that cannot be used: 502, naming it; any other failure goes on (500). */
  static Future<Answer> unavailable(Throwable failure) {
    return failure instanceof ProviderUnavailable unavailable
        ? Future.succeededFuture(SsoPages.page(502, "Sign-in unavailable", "Sign-in is not possible now: "
            + unavailable.getMessage() + ".", false))
        : Future.failedFuture(failure);
  }
}
