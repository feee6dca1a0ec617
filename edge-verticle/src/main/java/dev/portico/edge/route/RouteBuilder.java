package dev.portico.edge.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.InvalidSiteException;
import dev.portico.contract.PathRoute;
import dev.portico.contract.RouteMatch;
import dev.portico.contract.Site;
import dev.portico.contract.SitePolicies;
import dev.portico.contract.SsoPolicy;
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
 * so it gets a new route and fresh state.) Each path route of the site is built alike, sharing
 * the site's upstreams when it has the site's targets and balancing.
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
    UpstreamSet upstreams = upstreamsOf(site);
    Route[] paths = new Route[site.routes().size()];
    for (int i = 0; i < paths.length; i++) {
      PathRoute path = site.routes().get(i);
      paths[i] = build(match.pattern(), path.site(), sharedOrOwn(path.site(), site, upstreams), path, new Route[0]);
    }
    return build(match.pattern(), site, upstreams, null, paths);
  }

  private Route build(String pattern, Site site, UpstreamSet upstreams, PathRoute path, Route[] paths) {
    SitePolicies policies = site.policies();
    SsoPolicy routesSso = null;
    for (Route route : paths) {
      routesSso = routesSso != null ? routesSso : route.site().policies().sso();
    }
    return new Route(pattern, site, null, SiteFilters.compile(policies, services, routesSso), upstreams,
        new SiteInfo(pattern, site.owner() != null, policies.trustedProxies(), path == null ? null : path.id()),
        path, paths);
  }

  /** A site's upstreams, or (for a path route with the site's targets and balancing) the site's own, shared. */
  private static UpstreamSet sharedOrOwn(Site served, Site site, UpstreamSet siteUpstreams) {
    return served.targets().equals(site.targets())
        && served.policies().loadBalancing() == site.policies().loadBalancing() ? siteUpstreams : upstreamsOf(served);
  }

  private static UpstreamSet upstreamsOf(Site site) {
    return UpstreamSet.of(site.targets(), site.policies().loadBalancing());
  }
}
