package dev.portico.edge.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.InvalidSiteException;
import dev.portico.contract.PathRoute;
import dev.portico.contract.RouteMatch;
import dev.portico.contract.Site;
import dev.portico.contract.SiteChange;
import dev.portico.contract.SitePolicies;
import dev.portico.contract.SsoPolicy;
import dev.portico.edge.pipeline.SiteInfo;
import dev.portico.edge.policy.PolicyServices;
import dev.portico.edge.policy.SiteFilters;
import dev.portico.edge.upstream.UpstreamServices;
import dev.portico.edge.upstream.UpstreamSet;
import dev.portico.edge.upstream.health.SiteHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Builds a {@link Route} from a site's JSON: parses it, compiles its filters, sets up its
 * upstreams — once per site version, not per host: the hosts a wildcard site serves share one
 * route, so one balancing state and one health state per site. (A changed site has other JSON,
 * so it gets a new route and fresh state.) Each path route of the site is built alike, sharing
 * the site's upstreams when it has the site's targets and balancing.
 *
 * <p>A site with a health check has its targets' health from the node's checker: the builder
 * holds (watches) each site's newest checked version while it may serve it, and lets go when the
 * site changes, goes, or its route leaves the cache ({@link #forget}).
 */
public final class RouteBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(RouteBuilder.class);
  /** Sites kept built; past it the least used are parsed again when next asked for. */
  private static final int MAX_SITES = 10_000;

  private final PolicyServices services;
  private final UpstreamServices upstreamServices;
  /** The checked health this builder's routes hold, by pattern: the newest version served. */
  private final Map<String, SiteHealth> held = new HashMap<>();
  private final Cache<RouteMatch, Route> built = Caffeine.newBuilder().maximumSize(MAX_SITES)
      .executor(Runnable::run)
      .<RouteMatch, Route>evictionListener((match, route, cause) -> {
        if (match != null && route != null && route.upstreams() != null
            && held.remove(match.pattern(), route.upstreams().health())) {
          release(route.upstreams().health());
        }
      }).build();

  public RouteBuilder(PolicyServices services, UpstreamServices upstreamServices) {
    this.services = services;
    this.upstreamServices = upstreamServices;
  }

  Route build(RouteMatch match) {
    Route route = built.get(match, this::parse);
    SiteHealth health = route.upstreams() == null ? SiteHealth.NONE : route.upstreams().health();
    if (health != SiteHealth.NONE && held.get(match.pattern()) != health) {
      if (!upstreamServices.health().rejoin(health, this)) {
        built.invalidate(match);  // no longer checked: built anew, it watches afresh
        route = built.get(match, this::parse);
        health = route.upstreams().health();
      }
      SiteHealth previous = held.put(match.pattern(), health);
      if (previous != null && previous != health) {
        release(previous);
      }
    }
    return route;
  }

  /** Lets go of the health of a changed or removed site (of all, for {@link SiteChange#ALL}). */
  void forget(SiteChange change) {
    if (change.isAll()) {
      held.values().forEach(this::release);
      held.clear();
    } else {
      SiteHealth health = held.remove(change.pattern());
      if (health != null) {
        release(health);
      }
    }
  }

  private void release(SiteHealth health) {
    if (health != SiteHealth.NONE) {
      upstreamServices.health().release(health, this);
    }
  }

  private Route parse(RouteMatch match) {
    Site site;
    try {
      site = Site.fromJson(match.siteJson());
    } catch (InvalidSiteException e) {
      LOG.error("Site {} is invalid and answers 502 until fixed: {}", match.pattern(), e.getMessage());
      return Route.invalid(match.pattern(), e.getMessage());
    }
    SiteHealth health = site.upstream().healthCheck() == null || upstreamServices.health() == null ? SiteHealth.NONE
        : upstreamServices.health().watch(match.pattern(), site.upstream().healthCheck(), site.targets(),
            site.owner() != null, this);
    UpstreamSet upstreams = upstreamsOf(match.pattern(), site, health);
    SsoPolicy anySso = anySso(site);
    Route[] paths = new Route[site.routes().size()];
    for (int i = 0; i < paths.length; i++) {
      PathRoute path = site.routes().get(i);
      paths[i] = build(match.pattern(), path.site(), sharedOrOwn(match.pattern(), path.site(), site, upstreams, health),
          path, new Route[0], anySso);
    }
    return build(match.pattern(), site, upstreams, null, paths, anySso);
  }

  /**
   * The {@code sso} of the site, else of its first route that has one: on a site with any, every
   * chain without its own answers the sign-in paths and drops the client's copies of the identity
   * headers and the edge's cookies (a public route must not pass a forged identity on).
   */
  private static SsoPolicy anySso(Site site) {
    SsoPolicy sso = site.policies().sso();
    for (int i = 0; sso == null && i < site.routes().size(); i++) {
      sso = site.routes().get(i).site().policies().sso();
    }
    return sso;
  }

  private Route build(String pattern, Site site, UpstreamSet upstreams, PathRoute path, Route[] paths,
      SsoPolicy anySso) {
    SitePolicies policies = site.policies();
    return new Route(pattern, site, null, SiteFilters.compile(policies, services,
        path == null ? SiteFilters.SITE_SCOPE : path.id(), anySso), upstreams,
        new SiteInfo(pattern, site.owner() != null, policies.trustedProxies(), path == null ? null : path.id()),
        path, paths);
  }

  /** A site's upstreams, or (for a path route with the site's targets, balancing and retrying) the site's own, shared. */
  private UpstreamSet sharedOrOwn(String pattern, Site served, Site site, UpstreamSet siteUpstreams, SiteHealth health) {
    return served.targets().equals(site.targets()) && served.upstream().equals(site.upstream())
        && served.policies().loadBalancing() == site.policies().loadBalancing()
        && served.policies().retries() > 0 == site.policies().retries() > 0
        ? siteUpstreams : upstreamsOf(pattern, served, health);
  }

  private UpstreamSet upstreamsOf(String pattern, Site site, SiteHealth health) {
    return UpstreamSet.of(site.targets(), site.policies().loadBalancing(), site.upstream(), site.policies().retries(),
        health, upstreamServices.stickyKey() == null ? null : upstreamServices.stickyKey().idsFor(pattern));
  }
}
