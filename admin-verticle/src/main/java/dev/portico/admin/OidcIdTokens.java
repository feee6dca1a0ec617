package dev.portico.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * What of the admin OIDC provider's ID token counts: it must be there, signed with a key of the
 * provider's JWKS (fetched again on an unknown key id, bounded by {@link KeyRefetchGate}), for
 * this client from this issuer, fresh (60 s skew), with this sign-in's nonce and a usable subject;
 * its groups claim names the local groups whose grants the sign-in holds.
 */
final class OidcIdTokens {

  private static final long CLOCK_SKEW_SECONDS = 60;
  private static final Logger LOG = LoggerFactory.getLogger(OidcIdTokens.class);

  private final AdminOptions.Oidc settings;
  private final String issuer;
  private final KeyRefetchGate refetches;

  OidcIdTokens(AdminOptions.Oidc settings, String issuer) {
    this.settings = settings;
    this.issuer = issuer;
    this.refetches = new KeyRefetchGate(settings.jwksRefetchSeconds());
  }

  /** The verified ID token and its raw text. */
  record IdToken(JsonObject idToken, String raw) {
  }

  /**
   * The ID token Vert.x verified; if it was signed with a key the cached JWKS lacks, the JWKS is
   * fetched again (bounded by {@link #refetches}) and the raw token verified with the new keys.
   */
  Future<IdToken> of(OAuth2Auth oauth2, User user) {
    String raw = user.principal().getString("id_token");
    JsonObject verified = user.attributes().getJsonObject("idToken");
    if (verified != null || raw == null || !user.attributes().containsKey("missing-kid")) {
      return Future.succeededFuture(new IdToken(verified, raw));
    }
    if (!refetches.tryAcquire(System.nanoTime())) {
      return Future.failedFuture(ApiError.unauthorized("the ID token is signed with a key the provider's JWKS does "
          + "not list (the JWKS is fetched again at most every " + settings.jwksRefetchSeconds() + " s)"));
    }
    LOG.info("The admin's OIDC provider signed with an unknown key id: fetching its JWKS again");
    return oauth2.jWKSet()
        .recover(e -> Future.failedFuture(ApiError.badGateway("the JWKS of " + issuer + " is unreachable: "
            + OidcLogin.printable(e.getMessage()))))
        .compose(v -> oauth2.authenticate(new TokenCredentials(raw)).otherwise((User) null))
        // only a token verified here with the new keys counts (not one the IdP merely introspected)
        .map(again -> new IdToken(again == null ? null : again.attributes().getJsonObject("accessToken"), raw));
  }

  /** The ID token's claims if it is there (signature, issuer and audience checked by Vert.x), fresh, and ours. */
  JsonObject verified(JsonObject idToken, String nonce) {
    if (idToken == null) {
      throw ApiError.unauthorized("the OIDC provider's ID token is missing or invalid (signature, issuer or audience)");
    }
    long now = System.currentTimeMillis() / 1000;
    Object audience = idToken.getValue("aud");
    boolean forUs = audience instanceof String single ? single.equals(settings.clientId())
        : audience instanceof JsonArray many && many.contains(settings.clientId());
    if (!forUs || !issuer.equals(OidcLogin.trimmed(idToken.getString("iss", "")))) {
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
  List<String> groups(JsonObject idToken) {
    List<String> groups = new ArrayList<>();
    if (idToken.getValue(settings.groupsClaim()) instanceof JsonArray claimed) {
      claimed.stream().filter(String.class::isInstance).map(String.class::cast)
          .map(name -> name.startsWith("/") ? name.substring(1) : name)       // Keycloak's full group paths
          .filter(name -> Users.NAME.matcher(name).matches()).distinct().limit(Permissions.MAX_GROUPS)
          .forEach(groups::add);
    }
    return groups;
  }
}
