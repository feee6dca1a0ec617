package dev.portico.admin;

import dev.portico.contract.Site;
import dev.portico.contract.TargetAddressRules;
import dev.portico.contract.Target;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * What a {@code user} (a tenant) may aim its sites at: the node's {@link TargetAddressRules} on
 * every target and on the JWKS URL, as written. Names other than {@code localhost} and metadata
 * names pass here; the edge checks the address they resolve to before it connects. An admin's
 * writes are not checked (the operator may proxy to anything).
 */
final class TenantTargets {

  private final TargetAddressRules rules;

  TenantTargets(TargetAddressRules rules) {
    this.rules = rules;
  }

  /** @throws ApiError 403 naming the field and the refused address class, the site's or a route's */
  void check(Site site) {
    check(site, "");
    for (int i = 0; i < site.routes().size(); i++) {
      check(site.routes().get(i).site(), "routes[" + i + "].");
    }
  }

  private void check(Site site, String at) {
    for (Target target : site.targets()) {
      String refusal = rules.refusal(target.host(), target.port());
      if (refusal != null) {
        throw ApiError.forbidden(at + "targets: " + target + " is a " + refusal + ", which a user's site may not target");
      }
    }
    String jwksUrl = site.policies().jwt() == null ? null : site.policies().jwt().jwksUrl();
    if (jwksUrl != null) {
      String refusal;
      try {
        URI uri = new URI(jwksUrl);
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        refusal = uri.getHost() == null ? "URL without a host" : rules.refusal(uri.getHost(), port);
      } catch (URISyntaxException e) {
        refusal = "malformed URL";
      }
      if (refusal != null) {
        throw ApiError.forbidden(at + "jwt.jwksUrl: " + jwksUrl + " is a " + refusal + ", which a user's site may not use");
      }
    }
  }
}
