package dev.portico.admin;

import dev.portico.contract.Addresses;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.StoredCertificate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * What a site write does for a wildcard site with {@code tls: auto}: its certificate can only be
 * proven with DNS-01, so a DNS provider must cover its zone, and the issuance starts with the
 * write instead of waiting for a first handshake.
 */
final class WildcardCertificates {

  private static final Logger LOG = LoggerFactory.getLogger(WildcardCertificates.class);

  private final Vertx vertx;
  private final Records records;
  private final DnsProvidersApi dnsProviders;

  WildcardCertificates(Vertx vertx, Records records, DnsProvidersApi dnsProviders) {
    this.vertx = vertx;
    this.records = records;
    this.dnsProviders = dnsProviders;
  }

  /** A wildcard certificate is proven with DNS-01: some DNS provider must cover its zone. */
  Future<Void> requireDnsProvider(String domain) {
    return dnsProviders.covering(domain).compose(provider -> provider != null ? Future.succeededFuture()
        : Future.failedFuture(ApiError.badRequest("tls", "a wildcard site with tls auto gets its certificate "
            + "through DNS-01, and no DNS provider covers " + domain + ": add one (PUT /api/v1/dns-providers/{id}) "
            + "or use tls manual")));
  }

  /**
   * Starts the issuance of a wildcard certificate right away, unless the stored one already names
   * what the site asks for: DNS-01 takes longer than a TLS handshake may wait, and needs no
   * traffic. The outcome shows in the certificate's state.
   */
  void askUnlessCovered(String pattern, boolean includeApex) {
    Set<String> wanted = includeApex ? Set.of(pattern, pattern.substring(2)) : Set.of(pattern);
    records.get(RedisKeys.cert(pattern)).onComplete(stored -> {
      if (stored.succeeded() && stored.result() != null && wanted.equals(storedNames(stored.result()))) {
        return;
      }
      vertx.eventBus().send(Addresses.CERT_ISSUE, new JsonObject().put("name", pattern));
      LOG.info("Asked for a certificate for {} (DNS-01)", pattern);
    });
  }

  private static Set<String> storedNames(String stored) {
    try {
      return Set.copyOf(StoredCertificate.fromJson(new JsonObject(stored)).names());
    } catch (RuntimeException unusable) {
      return Set.of();
    }
  }
}
