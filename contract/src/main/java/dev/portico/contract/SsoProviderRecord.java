package dev.portico.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An OIDC provider sites sign their visitors in through, as stored under
 * {@link RedisKeys#ssoProvider}: written by the admin API (global admins only), read by the edge.
 *
 * <pre>{"id": "corp", "issuer": "https://idp.example.com/realms/corp", "clientId": "portico",
 *  "clientSecret": "aesgcm1:...", "scopes": ["openid", "email", "profile"], "groupsClaim": "groups"}</pre>
 *
 * @param issuer       the issuer URL; discovery is at {@code <issuer>/.well-known/openid-configuration}
 * @param clientSecret the client secret, sealed with {@link SecretBox} (context: the record's Redis key)
 * @param scopes       the scopes asked for ({@code openid} always among them)
 * @param groupsClaim  the ID-token claim that lists the user's groups
 */
public record SsoProviderRecord(String id, String issuer, String clientId, String clientSecret, List<String> scopes,
    String groupsClaim) {

  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  public static final List<String> DEFAULT_SCOPES = List.of("openid", "email", "profile");

  public SsoProviderRecord {
    scopes = List.copyOf(scopes);
  }

  /** @throws IllegalArgumentException when the stored JSON is not a provider record */
  public static SsoProviderRecord fromJson(JsonObject json) {
    if (!(json.getValue("id") instanceof String id) || !(json.getValue("issuer") instanceof String issuer)
        || !(json.getValue("clientId") instanceof String clientId)
        || !(json.getValue("clientSecret") instanceof String secret)) {
      throw new IllegalArgumentException("not an SSO provider record");
    }
    JsonArray scopes = json.getJsonArray("scopes", new JsonArray(DEFAULT_SCOPES));
    return new SsoProviderRecord(id, issuer, clientId, secret, scopes.stream().map(String::valueOf).toList(),
        json.getString("groupsClaim", "groups"));
  }

  /** Where the provider's discovery document is (OpenID Connect Discovery 1.0, section 4). */
  public String discoveryUrl() {
    return (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
        + "/.well-known/openid-configuration";
  }

  /**
   * Why {@code issuer} is not usable, or {@code null} when it is: an {@code https} URL (or
   * {@code http} to loopback), without query, fragment or credentials.
   */
  public static String issuerProblem(String issuer) {
    if (issuer.length() > 1024) {
      return "an issuer is a URL of at most 1024 characters";
    }
    return DnsProviderRecord.endpointProblem(issuer);
  }
}
