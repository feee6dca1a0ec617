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
 */
record AdminOptions(String host, int port, String redisUrl, String adminPassword, String jwtSecret,
    String jwtPrivateKey, String jwtPublicKey, int jwtTtlSeconds, String secretKey) {

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
        config.getString("secretKey"));
  }
}
