package dev.portico.cert;

import io.vertx.core.json.JsonObject;

/**
 * Settings of the cert verticle, read from its deployment configuration.
 *
 * @param redisUrl               Redis connection string
 * @param acmeDirectory          the ACME server's directory URL
 * @param acmeEmail              contact address of the ACME account, or {@code null}
 * @param acmeCaBundle           path of a PEM file of extra CAs trusted for the ACME server's
 *                               own HTTPS, or {@code null}
 * @param secretKey              {@code PORTICO_SECRET_KEY}, or {@code null}: keys stored unsealed
 * @param issueTimeoutMs         longest one issuance may take (challenge and order polling)
 * @param renewalCheckIntervalMs how often the renewal scheduler scans the certificates
 * @param renewBeforeDays        renew this many days before expiry (or at 2/3 of the lifetime)
 * @param backoffBaseMs          wait after a first failure; doubles with each further failure
 * @param backoffMaxMs           longest wait between attempts
 * @param leaseMs                life of the scheduler lease and of a per-name issuance lock
 *                               between two renewals
 */
public record CertOptions(String redisUrl, String acmeDirectory, String acmeEmail, String acmeCaBundle,
    String secretKey, long issueTimeoutMs, long renewalCheckIntervalMs, int renewBeforeDays, long backoffBaseMs,
    long backoffMaxMs, long leaseMs) {

  public static final String LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";

  public static CertOptions fromJson(JsonObject config) {
    return new CertOptions(
        config.getString("redisUrl", "redis://127.0.0.1:6379"),
        config.getString("acmeDirectory", LETS_ENCRYPT),
        config.getString("acmeEmail"),
        config.getString("acmeCaBundle"),
        config.getString("secretKey"),
        config.getLong("acmeIssueTimeoutMs", 90_000L),
        config.getLong("renewalCheckIntervalMs", 3_600_000L),
        config.getInteger("renewBeforeDays", 30),
        config.getLong("acmeBackoffBaseMs", 60_000L),
        config.getLong("acmeBackoffMaxMs", 86_400_000L),
        config.getLong("leaseMs", 10_000L));
  }
}
