package dev.portico.edge;

import dev.portico.contract.IpAddresses;
import dev.portico.contract.TargetAddressRules;
import io.vertx.core.Future;

/**
 * The address the edge connects to for a host a site names (a target, a JWKS URL's host):
 * literals as written, names through the {@link TargetResolver}. For a tenant's site (one with an
 * {@code owner}) the address is then checked against the node's {@link TargetAddressRules} — after
 * DNS, on the very address that will be dialled — and refused with a {@link Refused} before any
 * connection is made.
 */
final class TenantAddresses {

  /** A tenant's site named an address its rules refuse; the message names the address class. */
  static final class Refused extends RuntimeException {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  private final TargetResolver resolver;
  private final TargetAddressRules rules;

  TenantAddresses(TargetResolver resolver, TargetAddressRules rules) {
    this.resolver = resolver;
    this.rules = rules;
  }

  /**
   * The address to dial for {@code host}:{@code port}, as an address literal; fails with
   * {@link Refused} for a tenant's site ({@code tenant}) aimed where it may not go, or with the
   * resolver's failure.
   */
  Future<String> address(boolean tenant, String host, int port) {
    byte[] literal = IpAddresses.parse(host);
    Future<String> address = literal != null ? Future.succeededFuture(IpAddresses.text(literal))
        : resolver.resolve(host);
    if (!tenant) {
      return address;
    }
    return address.compose(resolved -> {
      byte[] bytes = IpAddresses.parse(resolved);
      String refusal = bytes == null ? "unusable address " + resolved : rules.refusal(bytes, port);
      return refusal == null ? Future.succeededFuture(resolved) : Future.failedFuture(new Refused(refusal));
    });
  }
}
