package dev.portico.edge.sso;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A signed-in visitor, as kept in Redis under the hash of the cookie's random id.
 *
 * @param host         the host the session was made on (its cookie is that host's alone)
 * @param user         the user name ({@code preferred_username}, else {@code sub})
 * @param email        the e-mail address, or {@code null}
 * @param groups       the groups the provider's groups claim listed
 * @param claims       the ID token's claims, for the site's claim headers
 * @param idToken      the ID token, the hint for the provider's end-session endpoint
 * @param refreshToken the refresh token ({@code null} when the provider gave none)
 * @param refreshAt    when the ID token expires: from then on, a request renews the session in the background
 */
public record Session(String provider, String host, String user, String email, List<String> groups,
    JsonObject claims, String idToken, String refreshToken, long refreshAt) {

  public Session {
    groups = List.copyOf(groups);
  }

  JsonObject toJson() {
    return new JsonObject().put("provider", provider).put("host", host).put("user", user).put("email", email)
        .put("groups", new JsonArray(groups)).put("claims", claims).put("idToken", idToken)
        .put("refreshToken", refreshToken).put("refreshAt", refreshAt);
  }

  /** @throws RuntimeException when {@code json} is not a session */
  static Session fromJson(JsonObject json) {
    return new Session(json.getString("provider"), json.getString("host"), json.getString("user"),
        json.getString("email"), json.getJsonArray("groups").stream().map(String.class::cast).toList(),
        json.getJsonObject("claims"), json.getString("idToken"), json.getString("refreshToken"),
        json.getLong("refreshAt"));
  }

  /** The provider's stable id of the signed-in user ({@code sub}). */
  String subject() {
    return claims == null ? null : claims.getString("sub");
  }

  Session renewed(Identity identity, String idToken, String refreshToken, long refreshAt) {
    return new Session(provider, host, identity.user(), identity.email(), identity.groups(), identity.claims(),
        idToken, refreshToken == null ? this.refreshToken : refreshToken, refreshAt);
  }
}
