package dev.portico.edge.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.InvalidSiteException;
import dev.portico.contract.RouteMatch;
import dev.portico.contract.Site;
import dev.portico.contract.SitePolicies;
import dev.portico.edge.pipeline.SiteInfo;
import dev.portico.edge.policy.PolicyServices;
import dev.portico.edge.policy.SiteFilters;
import dev.portico.edge.upstream.UpstreamSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link Route} from a site's JSON: parses it, compiles its filters, sets up its
 * upstreams — once per site version, not per host: the hosts a wildcard site serves share one
 * route, so one balancing state and one health state per site. (A changed site has other JSON,
 * so it gets a new route and fresh state.)
 */
public final class RouteBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(RouteBuilder.class);
  /** Sites kept built; past it the least used are parsed again when next asked for. */
  private static final int MAX_SITES = 10_000;

  private final PolicyServices services;
  private final Cache<RouteMatch, Route> built = Caffeine.newBuilder().maximumSize(MAX_SITES)
      .executor(Runnable::run).build();

  public RouteBuilder(PolicyServices services) {
    this.services = services;
  }

  Route build(RouteMatch match) {
    return built.get(match, this::parse);
  }

  private Route parse(RouteMatch match) {
    Site site;
    try {
      site = Site.fromJson(match.siteJson());
    } catch (InvalidSiteException e) {
      LOG.error("Site {} is invalid and answers 502 until fixed: {}", match.pattern(), e.getMessage());
      return Route.invalid(match.pattern(), e.getMessage());
    }
    SitePolicies policies = site.policies();
    return new Route(match.pattern(), site, null, SiteFilters.compile(policies, services, SiteFilters.SITE_SCOPE),
        UpstreamSet.of(site.targets(), policies.loadBalancing()),
        new SiteInfo(match.pattern(), site.owner() != null, policies.trustedProxies()));
  }
}
