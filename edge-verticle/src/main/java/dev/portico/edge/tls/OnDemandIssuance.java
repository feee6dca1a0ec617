package dev.portico.edge.tls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.Addresses;
import dev.portico.contract.Site;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * On-demand issuance, the last tier of {@link CertificateStore}: for a name with no certificate
 * that a configured site with {@code tls: auto} serves, one request to a cert verticle over the
 * event bus (answered within the on-demand timeout), then the certificate it stored is read.
 * Names a wildcard site serves through its pattern are chosen by whoever connects, so they are
 * rationed per site. Kept apart from the store's lookup because it is policy (which names may
 * cause an ACME order) rather than caching. One per edge instance, used on its context.
 */
final class OnDemandIssuance {

  private static final Logger LOG = LoggerFactory.getLogger(OnDemandIssuance.class);
  /**
   * On-demand issuance requests per hour and wildcard site, per edge instance, for names the site
   * serves through its pattern: those names are chosen by whoever connects.
   */
  static final int WILDCARD_ISSUE_REQUESTS_PER_HOUR = 10;

  private final Vertx vertx;
  private final SiteLookup sites;
  private final StoredCertificates stored;
  private final DeliveryOptions issueDelivery;
  /** Issuance requests sent this hour, per wildcard pattern (an entry expires an hour after its first). */
  private final Cache<String, int[]> wildcardIssueRequests = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(Duration.ofHours(1)).executor(Runnable::run).build();

  OnDemandIssuance(Vertx vertx, SiteLookup sites, StoredCertificates stored, long timeoutMs) {
    this.vertx = vertx;
    this.sites = sites;
    this.stored = stored;
    this.issueDelivery = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** For a configured site with {@code tls: auto}: asks a cert verticle, then reads what it stored; else null. */
  Future<KeyMaterial> issueIfAuto(String name) {
    return sites.servedBy(name).compose(found -> {
      Site site = found.site();
      if (site == null || site.tls() != Site.TlsMode.AUTO) {
        return Future.succeededFuture(null);
      }
      if (!found.pattern().equals(name) && wildcardIssueRequests.get(found.pattern(), p -> new int[1])[0]++
          >= WILDCARD_ISSUE_REQUESTS_PER_HOUR) {
        LOG.debug("Not asking for a certificate for {}: site {} had its {} requests this hour", name, found.pattern(),
            WILDCARD_ISSUE_REQUESTS_PER_HOUR);
        return Future.succeededFuture(null);
      }
      LOG.info("Asking for a certificate for {} (first handshake, site {})", name, found.pattern());
      return vertx.eventBus().<JsonObject>request(Addresses.CERT_ISSUE, new JsonObject().put("name", name), issueDelivery)
          .compose(reply -> {
            JsonObject body = reply.body();
            if (body == null || !"issued".equals(body.getString("status"))) {
              LOG.warn("No certificate issued for {}: {}", name, body == null ? "empty reply" : body.getString("error"));
              return Future.succeededFuture(null);
            }
            return stored.read(name);
          }, e -> {
            LOG.warn("No certificate issued for {}: {}", name, e.getMessage());
            return Future.succeededFuture(null);
          });
    }, e -> Future.succeededFuture(null));
  }
}
