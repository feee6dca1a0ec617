package dev.portico.edge.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.IpAddresses;
import dev.portico.contract.Target;
import dev.portico.contract.TargetAddressRules;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * The address the edge connects to for a host a site names (a target, a JWKS URL's host):
 * literals as written, names through the {@link TargetResolver}. For a tenant's site (one with an
 * {@code owner}) the address is then checked against the node's {@link TargetAddressRules} — after
 * DNS, on the very address that will be dialled — and refused with a {@link Refused} before any
 * connection is made. What a host written as an address literal comes to (the address, or the
 * refusal) never changes, so it is worked out once per host, port and kind of site, not per request.
 */
public final class TenantAddresses {

  /** A tenant's site named an address its rules refuse; the message names the address class. */
  public static final class Refused extends RuntimeException {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Distinct hosts the sites name; past this many, the least used are worked out again when asked. */
  private static final int MAX_REMEMBERED = 10_000;

  private record Literal(boolean tenant, String host, int port) {
  }

  private final TargetResolver resolver;
  private final TargetAddressRules rules;
  /** Per host, its literal's address or refusal; empty for a name, which is resolved every time. */
  private final Cache<Literal, Optional<Future<String>>> literals = Caffeine.newBuilder()
      .maximumSize(MAX_REMEMBERED).executor(Runnable::run).build();

  public TenantAddresses(TargetResolver resolver, TargetAddressRules rules) {
    this.resolver = resolver;
    this.rules = rules;
  }

  /**
   * The address to dial for {@code host}:{@code port}, as an address literal; fails with
   * {@link Refused} for a tenant's site ({@code tenant}) aimed where it may not go, or with the
   * resolver's failure.
   */
  public Future<String> address(boolean tenant, String host, int port) {
    return address(tenant, host, port, literals.get(new Literal(tenant, host, port), this::literal));
  }

  /**
   * {@link #address} of {@code upstream}'s target: what its host comes to as a literal is kept on
   * the upstream, so a request to a site's target costs no look-up here.
   */
  public Future<String> address(boolean tenant, Upstream upstream) {
    Target target = upstream.target();
    Optional<Future<String>> literal = upstream.literal;
    if (literal == null || upstream.literalForTenant != tenant) {
      literal = literals.get(new Literal(tenant, target.host(), target.port()), this::literal);
      upstream.literal = literal;
      upstream.literalForTenant = tenant;
    }
    return address(tenant, target.host(), target.port(), literal);
  }

  private Future<String> address(boolean tenant, String host, int port, Optional<Future<String>> literal) {
    if (literal.isPresent()) {
      return literal.get();  // completed and immutable: safe to hand to every caller
    }
    Future<String> resolved = resolver.resolve(host);
    return tenant ? resolved.compose(address -> checked(address, port)) : resolved;
  }

  private Optional<Future<String>> literal(Literal host) {
    byte[] literal = IpAddresses.parse(host.host());
    if (literal == null) {
      return Optional.empty();
    }
    String address = IpAddresses.text(literal);
    return Optional.of(host.tenant() ? checked(address, host.port()) : Future.succeededFuture(address));
  }

  private Future<String> checked(String address, int port) {
    byte[] bytes = IpAddresses.parse(address);
    String refusal = bytes == null ? "unusable address " + address : rules.refusal(bytes, port);
    return refusal == null ? Future.succeededFuture(address) : Future.failedFuture(new Refused(refusal));
  }
}
