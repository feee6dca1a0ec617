package dev.portico.admin;

import dev.portico.contract.AdminKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Turns an {@code Authorization: Bearer ...} header into a {@link Principal}: either a JWT this
 * API signed (checked for signature, issuer, audience, expiry, and against the logout denylist)
 * or an API token ({@code pat_<id>_<secret>}, compared by SHA-256 with the stored hash). Both name
 * their user by its immutable id (JWT claim {@value #USER_ID_CLAIM}, token record {@code userId}):
 * the user of that name must still be that user, and its record is read on every
 * request, as are its {@link Permissions}, so deleting a user ends its tokens and a revoked grant
 * applies at once. An API token holds at most its creator's permissions ({@code read}: at most viewer).
 */
final class Authenticator {

  static final String ISSUER = "portico";
  static final String AUDIENCE = "portico-admin";
  static final String API_TOKEN_PREFIX = "pat_";
  static final String USER_ID_CLAIM = "uid";
  private static final int TOKEN_ID_HEX = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JWTAuth jwt;
  private final String algorithm;
  private final Records records;
  private final int ttlSeconds;

  Authenticator(JWTAuth jwt, String algorithm, Records records, int ttlSeconds) {
    this.jwt = jwt;
    this.algorithm = algorithm;
    this.records = records;
    this.ttlSeconds = ttlSeconds;
  }

  /** The JWT options every token is verified with. */
  static JWTOptions verifyOptions() {
    return new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE));
  }

  Future<Principal> authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(ApiError.unauthorized("send Authorization: Bearer <token>"));
    }
    String token = authorization.substring(7).trim();
    return token.startsWith(API_TOKEN_PREFIX) ? apiToken(token) : jwt(token);
  }

  /** Signs a token for the stored {@code user}; the JSON has the token and its expiry. */
  JsonObject issue(JsonObject user) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = new JsonObject().put("sub", user.getString("username"))
        .put(USER_ID_CLAIM, user.getString("id")).put("jti", UUID.randomUUID().toString());
    String token = jwt.generateToken(claims, new JWTOptions().setAlgorithm(algorithm).setIssuer(ISSUER)
        .setAudience(List.of(AUDIENCE)).setExpiresInSeconds(ttlSeconds));
    return new JsonObject().put("token", token).put("tokenType", "Bearer").put("expiresAt", now + ttlSeconds);
  }

  /**
   * Signs a token for a sign-in through the admin's OIDC provider: {@code username} is
   * {@code <IdP subject>@oidc}, and the token carries the IdP's {@code groups}, whose local
   * namesakes' grants count at each request; {@code jti} names the token (its logout ends the IdP session too).
   */
  JsonObject issueForIdp(String username, String subject, List<String> groups, String jti) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = new JsonObject().put("sub", username).put(USER_ID_CLAIM, subject)
        .put(OidcLogin.IDP_CLAIM, "oidc").put(OidcLogin.GROUPS_CLAIM, new io.vertx.core.json.JsonArray(groups))
        .put("jti", jti);
    String token = jwt.generateToken(claims, new JWTOptions().setAlgorithm(algorithm).setIssuer(ISSUER)
        .setAudience(List.of(AUDIENCE)).setExpiresInSeconds(ttlSeconds));
    return new JsonObject().put("token", token).put("tokenType", "Bearer").put("expiresAt", now + ttlSeconds);
  }

  /** Denies the caller's JWT until it would have expired anyway. */
  Future<Void> revoke(Principal principal) {
    if (principal.jti() == null) {
      return Future.failedFuture(ApiError.badRequest(null, "API tokens are revoked with DELETE /api/v1/tokens/{id}"));
    }
    long seconds = Math.max(1, principal.expiresAtSeconds() - System.currentTimeMillis() / 1000);
    return records.send(Request.cmd(Command.SET).arg(AdminKeys.revokedJwt(principal.jti())).arg("1")
        .arg("EX").arg(seconds)).mapEmpty();
  }

  private Future<Principal> jwt(String token) {
    return jwt.authenticate(new TokenCredentials(token))
        .recover(e -> Future.failedFuture(ApiError.unauthorized("invalid token: " + e.getMessage())))
        .compose(user -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
          String subject = claims.getString("sub");
          String userId = claims.getString(USER_ID_CLAIM);
          String jti = claims.getString("jti");
          if (subject == null || userId == null || jti == null || !(claims.getValue("exp") instanceof Number exp)) {
            return Future.failedFuture(ApiError.unauthorized("invalid token: sub, " + USER_ID_CLAIM
                + ", jti and exp are required (sign in again)"));
          }
          return records.getAll(List.of(AdminKeys.revokedJwt(jti), AdminKeys.user(subject))).compose(values -> {
            if (values.get(0) != null) {
              return Future.failedFuture(ApiError.unauthorized("token revoked"));
            }
            if (claims.containsKey(OidcLogin.IDP_CLAIM)) {
              return idpPrincipal(subject, userId, claims.getValue(OidcLogin.GROUPS_CLAIM), jti, exp.longValue());
            }
            return principal(subject, userId, values.get(1), false, jti, exp.longValue());
          });
        });
  }

  private Future<Principal> apiToken(String token) {
    if (token.length() < API_TOKEN_PREFIX.length() + TOKEN_ID_HEX + 2
        || token.charAt(API_TOKEN_PREFIX.length() + TOKEN_ID_HEX) != '_') {
      return Future.failedFuture(ApiError.unauthorized("malformed API token"));
    }
    String id = token.substring(API_TOKEN_PREFIX.length(), API_TOKEN_PREFIX.length() + TOKEN_ID_HEX);
    return records.get(AdminKeys.apiToken(id)).compose(stored -> {
      if (stored == null) {
        return Future.failedFuture(ApiError.unauthorized("unknown or revoked API token"));
      }
      JsonObject record = new JsonObject(stored);
      if (!MessageDigest.isEqual(sha256(token).getBytes(StandardCharsets.US_ASCII),
          record.getString("sha256", "").getBytes(StandardCharsets.US_ASCII))) {
        return Future.failedFuture(ApiError.unauthorized("unknown or revoked API token"));
      }
      String owner = record.getString("owner");
      return records.get(AdminKeys.user(owner)).compose(user -> principal(owner, record.getString("userId"), user,
          !"write".equals(record.getString("scope")), null, 0));
    });
  }

  /**
   * The caller, with its permissions as stored now, if the user {@code username} stored as
   * {@code userJson} is still the one with {@code userId}.
   */
  private Future<Principal> principal(String username, String userId, String userJson, boolean readOnly,
      String jti, long expiresAt) {
    JsonObject user = userJson == null ? null : new JsonObject(userJson);
    if (user == null || userId == null || !userId.equals(user.getString("id"))) {
      return Future.failedFuture(ApiError.unauthorized("the user this token was issued to no longer exists"));
    }
    return Permissions.ofUser(records, username)
        .map(permissions -> new Principal(username, userId, true, permissions, readOnly, jti, expiresAt));
  }

  /** A caller signed in through the OIDC provider: no local user, the grants of its groups. */
  private Future<Principal> idpPrincipal(String username, String subject, Object groups, String jti, long expiresAt) {
    if (!username.endsWith(OidcLogin.NAME_SUFFIX) || !(groups instanceof io.vertx.core.json.JsonArray names)) {
      return Future.failedFuture(ApiError.unauthorized("invalid token: an OIDC sign-in's token names its groups"));
    }
    List<String> local = names.stream().filter(String.class::isInstance).map(String.class::cast)
        .filter(name -> Users.NAME.matcher(name).matches()).limit(Permissions.MAX_GROUPS).toList();
    return Permissions.ofGroups(records, local)
        .map(permissions -> new Principal(username, subject, false, permissions, false, jti, expiresAt));
  }

  /** A new API token: {@code pat_<16 hex id>_<43 chars secret>}. */
  static String newApiToken() {
    byte[] id = new byte[TOKEN_ID_HEX / 2];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    return API_TOKEN_PREFIX + HexFormat.of().formatHex(id) + "_"
        + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  static String apiTokenId(String token) {
    return token.substring(API_TOKEN_PREFIX.length(), API_TOKEN_PREFIX.length() + TOKEN_ID_HEX);
  }

  /** API tokens are 256 random bits: a plain SHA-256 is enough to store them (no slow hash needed). */
  static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
