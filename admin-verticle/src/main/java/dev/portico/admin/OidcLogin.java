package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Signing in to the admin API through its OIDC provider: {@code GET /api/v1/auth/oidc/login}
 * sends the browser to the IdP (authorization code flow with PKCE S256, a random {@code state}
 * and {@code nonce} kept in Redis for 10 minutes); {@code GET /api/v1/auth/oidc/callback} takes
 * the state once, trades the code (with the PKCE verifier and the client secret) and answers the
 * admin's own JWT. Vert.x's OAuth2 client discovers the provider, fetches its JWKS and checks the
 * ID token's signature, audience and issuer; this class insists the ID token was there and valid,
 * and checks expiry and nonce itself. The JWT names {@code <IdP subject>@oidc} (no local user can
 * have an {@code @}) and the IdP's groups; each request folds the grants of the local groups of
 * those names ({@link Permissions#ofGroups}).
 */
final class OidcLogin {

  static final String IDP_CLAIM = "idp";
  static final String GROUPS_CLAIM = "groups";
  static final String NAME_SUFFIX = "@oidc";
  private static final int LOGIN_TTL_SECONDS = 600;
  private static final long CLOCK_SKEW_SECONDS = 60;
  private static final SecureRandom RANDOM = new SecureRandom();

  /* KEYS[1] the login's state: its value, taken once. */
  private static final String TAKE_SCRIPT = """
      local value = redis.call('GET', KEYS[1])
      if value then redis.call('DEL', KEYS[1]) end
      return value
      """;

  private final Vertx vertx;
  private final AdminOptions.Oidc settings;
  private final Records records;
  private final Authenticator authenticator;
  /** The discovered provider; discovery is retried on the next sign-in after a failure (IdP down at start). */
  private Future<OAuth2Auth> provider;

  OidcLogin(Vertx vertx, AdminOptions.Oidc settings, Records records, Authenticator authenticator) {
    this.vertx = vertx;
    this.settings = settings;
    this.records = records;
    this.authenticator = authenticator;
  }

  void mountPublic(Router router) {
    router.get("/api/v1/auth/oidc/login").handler(this::login);
    router.get("/api/v1/auth/oidc/callback").handler(Api.handle(this::callback));
  }

  private void login(RoutingContext context) {
    String state = random();
    String nonce = random();
    String verifier = random();
    JsonObject pending = new JsonObject().put("nonce", nonce).put("verifier", verifier);
    discovered().compose(oauth2 -> records.send(Request.cmd(Command.SET).arg(RedisKeys.oidcLogin(state))
            .arg(pending.encode()).arg("EX").arg(LOGIN_TTL_SECONDS))
        .map(v -> oauth2.authorizeURL(new OAuth2AuthorizationURL().setRedirectUri(settings.redirectUri())
            .setScopes(List.of("openid", "profile", "email")).setState(state).setCodeChallenge(challenge(verifier))
            .setCodeChallengeMethod("S256").putAdditionalParameter("nonce", nonce))))
        .onSuccess(url -> context.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, url)
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end())
        .onFailure(context::fail);
  }

  private Future<Reply> callback(RoutingContext context) {
    String error = context.queryParams().get("error");
    if (error != null) {
      throw ApiError.unauthorized("the OIDC provider refused the sign-in: " + printable(error));
    }
    String state = context.queryParams().get("state");
    String code = context.queryParams().get("code");
    if (state == null || code == null || state.length() > 128 || code.length() > 4096) {
      throw ApiError.badRequest("state", "a callback carries the code and state the OIDC provider gave");
    }
    return records.send(Request.cmd(Command.EVAL).arg(TAKE_SCRIPT).arg(1).arg(RedisKeys.oidcLogin(state)))
        .compose(taken -> {
          if (taken == null) {
            return Future.failedFuture(ApiError.badRequest("state", "unknown, expired or already used sign-in state"));
          }
          JsonObject pending = new JsonObject(taken.toString());
          return discovered().compose(oauth2 -> oauth2.authenticate(new Oauth2Credentials()
                  .setFlow(OAuth2FlowType.AUTH_CODE).setCode(code).setRedirectUri(settings.redirectUri())
                  .setCodeVerifier(pending.getString("verifier")))
              .recover(e -> Future.failedFuture(ApiError.unauthorized("the code was refused: " + printable(e.getMessage())))))
              .map(user -> verified(user.attributes().getJsonObject("idToken"), pending.getString("nonce")));
        })
        .compose(identity -> Reply.ok(authenticator.issueForIdp(identity.getString("sub") + NAME_SUFFIX,
            identity.getString("sub"), groups(identity)).put("user", new JsonObject()
            .put("username", identity.getString("sub") + NAME_SUFFIX)
            .put("name", identity.getString("preferred_username")).put("groups", groups(identity)))));
  }

  /** The ID token's claims if it is there (signature, issuer and audience checked by Vert.x), fresh, and ours. */
  private JsonObject verified(JsonObject idToken, String nonce) {
    if (idToken == null) {
      throw ApiError.unauthorized("the OIDC provider's ID token is missing or invalid (signature, issuer or audience)");
    }
    long now = System.currentTimeMillis() / 1000;
    Object audience = idToken.getValue("aud");
    boolean forUs = audience instanceof String single ? single.equals(settings.clientId())
        : audience instanceof JsonArray many && many.contains(settings.clientId());
    if (!forUs || !issuer().equals(trimmed(idToken.getString("iss", "")))) {
      throw ApiError.unauthorized("the ID token is not for this client from this issuer");
    }
    if (!(idToken.getValue("exp") instanceof Number exp) || exp.longValue() + CLOCK_SKEW_SECONDS < now) {
      throw ApiError.unauthorized("the ID token has expired");
    }
    if (!nonce.equals(idToken.getString("nonce"))) {
      throw ApiError.unauthorized("the ID token's nonce is not this sign-in's");
    }
    String subject = idToken.getString("sub");
    if (subject == null || subject.isEmpty() || subject.length() > 255 || !subject.chars().allMatch(c -> c > 32 && c < 127)) {
      throw ApiError.unauthorized("the ID token names no usable subject");
    }
    return idToken;
  }

  /** The groups claim: the names that could be local groups, at most {@link Permissions#MAX_GROUPS}. */
  private List<String> groups(JsonObject idToken) {
    List<String> groups = new ArrayList<>();
    if (idToken.getValue(settings.groupsClaim()) instanceof JsonArray claimed) {
      claimed.stream().filter(String.class::isInstance).map(String.class::cast)
          .map(name -> name.startsWith("/") ? name.substring(1) : name)       // Keycloak's full group paths
          .filter(name -> Users.NAME.matcher(name).matches()).distinct().limit(Permissions.MAX_GROUPS)
          .forEach(groups::add);
    }
    return groups;
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

  private static String trimmed(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** At most 200 printable ASCII characters of outside text, for an answer or a log line. */
  private static String printable(String text) {
    String value = text == null ? "" : text;
    StringBuilder out = new StringBuilder();
    value.chars().limit(200).forEach(c -> out.append(c >= 32 && c < 127 ? (char) c : '?'));
    return out.toString();
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
