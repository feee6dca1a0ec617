package dev.portico.admin;

import io.vertx.core.json.JsonObject;

/**
 * The admin verticle's settings, read from its deployment configuration (the launcher fills it
 * from {@code PORTICO_*} variables; see the README).
 *
 * @param adminPassword the first admin's password, {@code null}: generate one and log it once
 * @param jwtSecret an HS256 secret, or {@code null}
 * @param jwtPrivateKey a PEM (PKCS#8) private key for ES256/RS256, or {@code null}
 * @param jwtPublicKey its PEM public key
 * @param secretKey {@code PORTICO_SECRET_KEY}: seals secrets at rest, or {@code null}
 * @param oidc the OIDC provider admins may sign in through, or {@code null}
 */
record AdminOptions(String host, int port, String redisUrl, String adminPassword, String jwtSecret,
    String jwtPrivateKey, String jwtPublicKey, int jwtTtlSeconds, String secretKey, Oidc oidc) {

  /**
   * The admin's OIDC provider ({@code PORTICO_ADMIN_OIDC_*}).
   *
   * @param issuer the issuer URL (discovered at {@code <issuer>/.well-known/openid-configuration})
   * @param redirectUri this API's callback as the IdP knows it: {@code <public admin URL>/api/v1/auth/oidc/callback}
   * @param groupsClaim the ID token claim that lists the user's groups; each names a local group
   * @param jwksRefetchSeconds the least time between two JWKS fetches an unknown key id causes
   */
  record Oidc(String issuer, String clientId, String clientSecret, String redirectUri, String groupsClaim,
      int jwksRefetchSeconds) {
  }

  static final int DEFAULT_JWKS_REFETCH_SECONDS = 60;

  static final int DEFAULT_JWT_TTL_SECONDS = 3600;

  static AdminOptions fromConfig(JsonObject config) {
    return new AdminOptions(
        config.getString("host", "0.0.0.0"),
        config.getInteger("adminPort", 9090),
        config.getString("redisUrl", "redis://127.0.0.1:6379"),
        config.getString("adminPassword"),
        config.getString("jwtSecret"),
        config.getString("jwtPrivateKey"),
        config.getString("jwtPublicKey"),
        config.getInteger("jwtTtlSeconds", DEFAULT_JWT_TTL_SECONDS),
        config.getString("secretKey"),
        config.getString("adminOidcIssuer") == null ? null : new Oidc(config.getString("adminOidcIssuer"),
            config.getString("adminOidcClientId"), config.getString("adminOidcClientSecret"),
            config.getString("adminOidcRedirectUri"), config.getString("adminOidcGroupsClaim", "groups"),
            config.getInteger("adminOidcJwksRefetchSeconds", DEFAULT_JWKS_REFETCH_SECONDS)));
  }
}
