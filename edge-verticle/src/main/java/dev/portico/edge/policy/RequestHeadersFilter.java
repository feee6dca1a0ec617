package dev.portico.edge.policy;

import dev.portico.contract.SitePolicies.HeaderRules;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.SiteFilter;
import io.vertx.core.MultiMap;

/** A site's {@code requestHeaders}: fields set on and removed from what the backend receives. */
final class RequestHeadersFilter implements SiteFilter {

  private final HeaderRules rules;

  RequestHeadersFilter(HeaderRules rules) {
    this.rules = rules;
  }

  @Override
  public void onBackendRequest(FilterContext context, MultiMap headers) {
    apply(rules, headers);
  }

  /** Removes, then sets (replacing what is there), as {@code rules} say. */
  static void apply(HeaderRules rules, MultiMap headers) {
    rules.remove().forEach(headers::remove);
    rules.set().forEach(headers::set);
  }
}
