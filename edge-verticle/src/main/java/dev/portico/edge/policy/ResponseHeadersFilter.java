package dev.portico.edge.policy;

import dev.portico.contract.SitePolicies.HeaderRules;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.SiteFilter;

/**
 * A site's {@code responseHeaders}: fields set on and removed from what the client receives from
 * the backend, a WebSocket's 101 included (not on the edge's own error answers).
 */
final class ResponseHeadersFilter implements SiteFilter {

  private final HeaderRules rules;

  ResponseHeadersFilter(HeaderRules rules) {
    this.rules = rules;
  }

  @Override
  public void onResponse(FilterContext context) {
    RequestHeadersFilter.apply(rules, context.responseHeaders());
  }
}
