package dev.portico.edge.policy;

import dev.portico.contract.SitePolicies.Hsts;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.SiteFilter;
import io.vertx.core.http.HttpHeaders;

/** A site's {@code hsts}: {@code Strict-Transport-Security} on responses over HTTPS (RFC 6797 7.2: never over HTTP). */
final class HstsFilter implements SiteFilter {

  private static final CharSequence STRICT_TRANSPORT_SECURITY = HttpHeaders.createOptimized("Strict-Transport-Security");

  private final String value;

  HstsFilter(Hsts policy) {
    this.value = policy.value();
  }

  @Override
  public boolean appliesTo(FilterContext context) {
    return context.request().secure();
  }

  @Override
  public void onResponse(FilterContext context) {
    context.responseHeaders().set(STRICT_TRANSPORT_SECURITY, value);
  }
}
