package dev.portico.edge.policy;

import dev.portico.contract.SitePolicies;
import dev.portico.contract.SsoPolicy;
import dev.portico.edge.pipeline.FilterChain;
import dev.portico.edge.pipeline.SiteFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a site's policies into its {@link FilterChain}, once, when the site is parsed. The
 * order is the onion's: the access checks (address, password, token, rate limit, then the SSO
 * session, so that anonymous sign-in floods count against the rate limit), request headers before
 * them so that the token's claim headers win over the site's header rules;
 * then the response filters, outermost first — so on the way out the site's response header
 * rules apply to the backend's head, then HSTS, and compression last, on the head as the client
 * gets it (a {@code Vary} the rules set is extended, not replaced). The response cache is
 * innermost: it runs after every access check, stores what the backend sent, and its answers
 * get the same response filters as the backend's. A refusal by an access check goes out through
 * none of the response filters.
 */
public final class SiteFilters {

  /** The scope of a site's own policies; a per-path route passes its id, so that its cache entries stay its own. */
  public static final String SITE_SCOPE = "site";

  private SiteFilters() {
  }

  /** The chain of {@code policies}, which apply to the requests of {@code scope} (a site, or a route of it). */
  public static FilterChain compile(SitePolicies policies, PolicyServices services, String scope) {
    return compile(policies, services, scope, null);
  }

  /**
   * {@code siteSso}: for a chain without {@code sso} of its own on a site where the site or a
   * route has one, that {@code sso}: the chain then answers the sign-in paths and drops the
   * client's copies of the identity headers and the edge's cookies (see {@link SsoFilter}).
   */
  public static FilterChain compile(SitePolicies policies, PolicyServices services, String scope,
      SsoPolicy siteSso) {
    List<SiteFilter> filters = new ArrayList<>();
    if (!policies.ipAllow().isEmpty() || !policies.ipDeny().isEmpty()) {
      filters.add(new IpRulesFilter(policies.ipAllow(), policies.ipDeny()));
    }
    if (!policies.requestHeaders().isEmpty()) {
      filters.add(new RequestHeadersFilter(policies.requestHeaders()));
    }
    if (policies.basicAuth() != null) {
      filters.add(new BasicAuthFilter(services.basicAuth(), policies.basicAuth()));
    }
    if (policies.jwt() != null) {
      filters.add(new JwtFilter(services.jwt(), policies.jwt()));
    }
    if (policies.rateLimit() != null) {
      filters.add(new RateLimitFilter(services.rateLimiter(), policies.rateLimit()));
    }
    // after the rate limit: an anonymous flood of sign-ins and callbacks counts against it before
    // it costs Redis or the provider anything
    if (policies.sso() != null || siteSso != null) {
      filters.add(new SsoFilter(services.sso(), policies.sso() != null ? policies.sso() : siteSso,
          policies.sso() != null));
    }
    if (policies.compression()) {
      filters.add(CompressionFilter.INSTANCE);
    }
    if (policies.hsts() != null) {
      filters.add(new HstsFilter(policies.hsts()));
    }
    if (!policies.responseHeaders().isEmpty()) {
      filters.add(new ResponseHeadersFilter(policies.responseHeaders()));
    }
    if (policies.cache() != null && services.cache() != null) {
      filters.add(new CacheFilter(services.cache(), policies.cache(),
          policies.basicAuth() != null || policies.jwt() != null || policies.sso() != null, scope));
    }
    return filters.isEmpty() ? FilterChain.EMPTY : new FilterChain(filters.toArray(SiteFilter[]::new));
  }
}
