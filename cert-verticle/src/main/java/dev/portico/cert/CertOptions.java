package dev.portico.cert;

import dev.portico.cert.dns.TxtPropagation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

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
 * @param dnsResolver            {@code host:port} of the resolver that finds a zone's name servers
 * @param dns01Servers           {@code host:port} of the name servers checked for DNS-01 records
 *                               instead of the zone's authoritative ones; empty to find those
 * @param dns01NameserverPort    the port authoritative name servers are asked on (53)
 * @param dns01PropagationTimeoutMs longest wait for a DNS-01 record to be served by the name servers
 * @param dns01PollIntervalMs    pause between two checks of the name servers
 * @param dns01SequenceIntervalMs with a provider that keeps one TXT value per name (DuckDNS), the
 *                               pause before the name carries another value: the CA's resolver
 *                               may have cached the previous one for its TTL
 */
public record CertOptions(String redisUrl, String acmeDirectory, String acmeEmail, String acmeCaBundle,
    String secretKey, long issueTimeoutMs, long renewalCheckIntervalMs, int renewBeforeDays, long backoffBaseMs,
    long backoffMaxMs, long leaseMs, String dnsResolver, List<String> dns01Servers, int dns01NameserverPort,
    long dns01PropagationTimeoutMs, long dns01PollIntervalMs, long dns01SequenceIntervalMs) {

  public CertOptions {
    dns01Servers = List.copyOf(dns01Servers);
  }

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
        config.getLong("leaseMs", 10_000L),
        config.getString("dnsResolver", "127.0.0.53:53"),
        config.getJsonArray("dns01Servers", new JsonArray()).stream().map(String.class::cast).toList(),
        config.getInteger("dns01NameserverPort", 53),
        config.getLong("dns01PropagationTimeoutMs", 120_000L),
        config.getLong("dns01PollIntervalMs", 2_000L),
        config.getLong("dns01SequenceIntervalMs", 60_000L));
  }

  /**
   * Longest one wildcard issuance may take: the CA's part, and room for two DNS-01 turns (a
   * wildcard and its apex under a one-value provider) with the pause between them.
   */
  long dns01IssueTimeoutMs() {
    return issueTimeoutMs + 2 * dns01PropagationTimeoutMs + dns01SequenceIntervalMs;
  }

  TxtPropagation.Options propagation() {
    return new TxtPropagation.Options(dns01Servers, dnsResolver, dns01NameserverPort, dns01PropagationTimeoutMs,
        dns01PollIntervalMs);
  }
}
