package dev.portico.cert;

import dev.portico.cert.dns.DnsProviders;
import dev.portico.cert.dns.TxtPropagation;
import io.vertx.core.Future;

/** Makes the {@link Dns01Responder} of one issuance: the DNS provider covering the name, and the propagation check. */
final class Dns01Responders {

  private final DnsProviders providers;
  private final TxtPropagation propagation;

  Dns01Responders(DnsProviders providers, TxtPropagation propagation) {
    this.providers = providers;
    this.propagation = propagation;
  }

  /** A responder for the challenges of {@code domain} (and its {@code *.} wildcard). */
  Future<Dns01Responder> forName(String domain) {
    return providers.covering(domain)
        .map(covering -> new Dns01Responder(covering.provider(), covering.id(), covering.zone(), propagation));
  }
}
