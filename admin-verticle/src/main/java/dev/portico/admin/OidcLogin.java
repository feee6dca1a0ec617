package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.AdminKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Signing in to the admin API through its OIDC provider: {@code GET /api/v1/auth/oidc/login}
 * sends the browser to the IdP (authorization code flow with PKCE S256, a random {@code state}
 * and {@code nonce} kept in Redis for 10 minutes, bound to the browser by {@link OidcHandoff}'s
 * cookie); {@code GET /api/v1/auth/oidc/callback} takes the state once, trades the code (with the
 * PKCE verifier and the client secret) and answers the admin's own JWT, or, for the console
 * ({@code login?console=1}), hands it over through {@link OidcHandoff}. Vert.x's OAuth2 client
 * discovers the provider, fetches its JWKS and checks the ID token's signature, audience and
 * issuer; {@link OidcIdTokens} refetches the JWKS on an unknown key id (bounded), insists the ID
 * token was there and valid, and checks expiry and nonce itself. The JWT names
 * {@code <IdP subject>@oidc} (no local user can have an {@code @}) and the IdP's groups; each
 * request folds the grants of the local groups of those names ({@link Permissions#ofGroups}).
 * {@code POST /api/v1/auth/oidc/logout} ends the admin token and answers the IdP's end-session URL,
 * where the provider offers one, for the browser to end the IdP session too.
 */
final class OidcLogin {

  static final String IDP_CLAIM = "idp";
  static final String GROUPS_CLAIM = "groups";
  static final String NAME_SUFFIX = "@oidc";
  private static final int LOGIN_TTL_SECONDS = 600;
  private static final Logger LOG = LoggerFactory.getLogger(OidcLogin.class);

  /* KEYS[1] the login's state: its value, taken once. */
  private static final String TAKE_SCRIPT = """
      local value = redis.call('GET', KEYS[1])
      if value then redis.call('DEL', KEYS[1]) end
      return value
      """;

  private final Vertx vertx;
  private final AdminOptions.Oidc settings;
  private final Records records;
  private final RequestBodies bodies;
  private final Authenticator authenticator;
  private final OidcHandoff handoff;
  private final OidcIdTokens idTokens;
  /** The discovered provider; discovery is retried on the next sign-in after a failure (IdP down at start). */
  private Future<OAuth2Auth> provider;

  OidcLogin(Vertx vertx, AdminOptions.Oidc settings, Records records, RequestBodies bodies, Authenticator authenticator) {
    this.vertx = vertx;
    this.settings = settings;
    this.records = records;
    this.bodies = bodies;
    this.authenticator = authenticator;
    this.handoff = new OidcHandoff(records, settings.redirectUri().startsWith("https:"));
    this.idTokens = new OidcIdTokens(settings, issuer());
  }

  /** The routes a browser reaches before it has a token. */
  void mountPublic(Router router) {
    router.get("/api/v1/auth/oidc/provider").handler(Api.handle(context -> Reply.ok(new JsonObject()
        .put("issuer", issuer()))));
    router.get("/api/v1/auth/oidc/login").handler(this::login);
    router.get("/api/v1/auth/oidc/callback").handler(this::callback);
    router.post("/api/v1/auth/oidc/handoff").handler(Api.handle(context -> handoff.take(context, bodies)));
  }

  /** The routes for a signed-in caller. */
  void mount(Router router) {
    router.post("/api/v1/auth/oidc/logout").handler(Api.handle(this::logout));
  }

  private void login(RoutingContext context) {
    String state = OidcHandoff.random();
    String nonce = OidcHandoff.random();
    String verifier = OidcHandoff.random();
    JsonObject pending = new JsonObject().put("nonce", nonce).put("verifier", verifier)
        .put("console", "1".equals(context.queryParams().get("console")));
    discovered().compose(oauth2 -> records.send(Request.cmd(Command.SET).arg(AdminKeys.oidcLogin(state))
            .arg(pending.put("binding", handoff.bind(context)).encode()).arg("EX").arg(LOGIN_TTL_SECONDS))
        .map(v -> oauth2.authorizeURL(new OAuth2AuthorizationURL().setRedirectUri(settings.redirectUri())
            .setScopes(List.of("openid", "profile", "email")).setState(state).setCodeChallenge(challenge(verifier))
            .setCodeChallengeMethod("S256").putAdditionalParameter("nonce", nonce))))
        .onSuccess(url -> context.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, url)
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end())
        .onFailure(context::fail);
  }

  /**
   * The IdP's redirect back. Until the state is taken nobody knows who started the sign-in, so
   * those failures are JSON; after it, a console sign-in's failure goes back to the console's
   * sign-in page with the reason (shown there as text).
   */
  private void callback(RoutingContext context) {
    String state = context.queryParams().get("state");
    if (state == null || state.length() > 128) {
      context.fail(ApiError.badRequest("state", "a callback carries the state the OIDC provider gave"));
      return;
    }
    records.send(Request.cmd(Command.EVAL).arg(TAKE_SCRIPT).arg(1).arg(AdminKeys.oidcLogin(state)))
        .onFailure(context::fail)
        .onSuccess(taken -> {
          if (taken == null) {
            context.fail(ApiError.badRequest("state", "unknown, expired or already used sign-in state"));
            return;
          }
          JsonObject pending = new JsonObject(taken.toString());
          boolean console = pending.getBoolean("console", false);
          signIn(context, pending).onComplete(done -> {
            context.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            if (!console) {
              if (done.succeeded()) {
                context.response().addCookie(handoff.cleared());
                Api.send(context, new Reply(200, done.result()));
              } else {
                context.fail(done.cause());
              }
            } else if (done.succeeded()) {
              handoff.hold(done.result(), pending.getString("binding"))
                  .onSuccess(code -> redirect(context, "/#/oidc/" + code)).onFailure(context::fail);
            } else {
              String detail = done.cause() instanceof ApiError error ? error.getMessage() : "the sign-in failed";
              LOG.warn("Console sign-in through OIDC failed: {}", printable(done.cause().getMessage()));
              redirect(context, "/#/oidc-failed/" + URLEncoder.encode(printable(detail), StandardCharsets.UTF_8)
                  .replace("+", "%20"));
            }
          });
        });
  }

  /** The rest of a callback whose state was this sign-in's: its answer with the admin token. */
  private Future<JsonObject> signIn(RoutingContext context, JsonObject pending) {
    if (!OidcHandoff.boundTo(context, pending.getString("binding"))) {
      return Future.failedFuture(ApiError.badRequest("state", "this sign-in was started in another browser"));
    }
    String error = context.queryParams().get("error");
    if (error != null) {
      return Future.failedFuture(ApiError.unauthorized("the OIDC provider refused the sign-in: " + printable(error)));
    }
    String code = context.queryParams().get("code");
    if (code == null || code.length() > 4096) {
      return Future.failedFuture(ApiError.badRequest("code", "a callback carries the code the OIDC provider gave"));
    }
    return discovered().compose(oauth2 -> oauth2.authenticate(new Oauth2Credentials()
                .setFlow(OAuth2FlowType.AUTH_CODE).setCode(code).setRedirectUri(settings.redirectUri())
                .setCodeVerifier(pending.getString("verifier")))
            .recover(e -> Future.failedFuture(ApiError.unauthorized("the code was refused: " + printable(e.getMessage()))))
            .compose(user -> idTokens.of(oauth2, user)))
        .map(claims -> idTokens.verified(claims.idToken(), pending.getString("nonce")).put("raw", claims.raw()))
        .compose(this::issue);
  }

  private Future<JsonObject> issue(JsonObject identity) {
    String jti = UUID.randomUUID().toString();
    List<String> groups = idTokens.groups(identity);
    JsonObject signedIn = authenticator.issueForIdp(identity.getString("sub") + NAME_SUFFIX,
        identity.getString("sub"), groups, jti).put("user", new JsonObject()
        .put("username", identity.getString("sub") + NAME_SUFFIX)
        .put("name", identity.getString("preferred_username")).put("groups", groups));
    long ttl = Math.max(1, signedIn.getLong("expiresAt") - System.currentTimeMillis() / 1000);
    return records.send(Request.cmd(Command.SET).arg(AdminKeys.oidcIdToken(jti)).arg(identity.getString("raw"))
        .arg("EX").arg(ttl)).map(signedIn);
  }

  /**
   * Ends the caller's admin token and answers where the browser ends the IdP session:
   * {@code endSessionUrl} (the provider's end_session_endpoint with the ID token as hint and the
   * console as the way back), {@code null} when the provider offers none.
   */
  private Future<Reply> logout(RoutingContext context) {
    Principal principal = Api.principal(context);
    if (principal.local() || principal.jti() == null) {
      throw ApiError.badRequest(null, "this ends OIDC sign-ins; others sign out with POST /api/v1/auth/logout");
    }
    return records.send(Request.cmd(Command.GETDEL).arg(AdminKeys.oidcIdToken(principal.jti())))
        .compose(raw -> authenticator.revoke(principal).compose(v -> raw == null ? Future.succeededFuture((String) null)
            : discovered().map(oauth2 -> oauth2.endSessionURL(User.create(new JsonObject().put("id_token", raw.toString())),
                new JsonObject().put("client_id", settings.clientId())
                    .put("post_logout_redirect_uri", consoleUrl())))))
        .compose(url -> Reply.ok(new JsonObject().put("endSessionUrl", url)));
  }

  /** The console's address: the origin of the redirect URI the IdP knows. */
  private String consoleUrl() {
    URI callback = URI.create(settings.redirectUri());
    return callback.getScheme() + "://" + callback.getRawAuthority() + "/";
  }

  private static void redirect(RoutingContext context, String location) {
    context.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, location).end();
  }

  private synchronized Future<OAuth2Auth> discovered() {
    if (provider == null || provider.failed()) {
      provider = OpenIDConnectAuth.discover(vertx, new OAuth2Options().setSite(issuer())
              .setClientId(settings.clientId()).setClientSecret(settings.clientSecret()))
          .recover(e -> Future.failedFuture(ApiError.badGateway("the admin's OIDC provider " + issuer()
              + " is unreachable or answers no valid discovery document: " + printable(e.getMessage()))));
    }
    return provider;
  }

  private String issuer() {
    return trimmed(settings.issuer());
  }

  static String trimmed(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** At most 200 printable ASCII characters of outside text, for an answer or a log line. */
  static String printable(String text) {
    String value = text == null ? "" : text;
    StringBuilder out = new StringBuilder();
    value.chars().limit(200).forEach(c -> out.append(c >= 32 && c < 127 ? (char) c : '?'));
    return out.toString();
  }

  private static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
