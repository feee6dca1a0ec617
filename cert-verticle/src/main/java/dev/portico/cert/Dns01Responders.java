package dev.portico.cert;

import dev.portico.cert.dns.DnsProviders;
import dev.portico.cert.dns.TxtPropagation;
import io.vertx.core.Future;

/**
 * Makes the {@link Dns01Responder} of one issuance: the DNS provider covering the name, the
 * propagation check, and the zone leases of single-value providers.
 */
final class Dns01Responders {

  private final DnsProviders providers;
  private final TxtPropagation propagation;
  private final Dns01ZoneLocks zoneLocks;

  Dns01Responders(DnsProviders providers, TxtPropagation propagation, Dns01ZoneLocks zoneLocks) {
    this.providers = providers;
    this.propagation = propagation;
    this.zoneLocks = zoneLocks;
  }

  /**
   * A responder for the challenges of {@code domain} (and its {@code *.} wildcard) in an issuance
   * that ends at {@code deadline} (epoch ms).
   */
  Future<Dns01Responder> forName(String domain, long deadline) {
    return providers.covering(domain)
        .map(covering -> new Dns01Responder(covering, propagation, zoneLocks, deadline));
  }

  /** Ends the propagation and zone-lease waits under way: the node is stopping. */
  void stop() {
    propagation.stop();
    zoneLocks.stop();
  }
}
