package dev.portico.edge.route;

import dev.portico.contract.PathRoute;
import dev.portico.contract.RequestPath;
import dev.portico.contract.Site;
import dev.portico.contract.SiteRoutes;
import dev.portico.edge.observe.EdgeMetrics;
import dev.portico.edge.pipeline.FilterChain;
import dev.portico.edge.pipeline.SiteInfo;
import dev.portico.edge.upstream.UpstreamSet;

import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * How the edge serves one host: the site whose pattern matched with what was built from it once
 * (its filters, its upstreams); or no site at all ({@link #UNKNOWN}); or a site whose JSON is
 * broken ({@link #site()} null, {@link #problem()} says why). A site with {@code routes} has one
 * more Route per path route ({@link #forPath}), each built the same way from what the path route
 * serves as: the site with the route's overrides.
 */
public final class Route {

  /** No site serves the host. */
  public static final Route UNKNOWN = new Route(null, null, null, FilterChain.EMPTY, null, null, null, new Route[0]);

  private final String pattern;
  private final Site site;
  private final String problem;
  private final FilterChain filters;
  private final UpstreamSet upstreams;
  private final SiteInfo info;
  /** The path route this Route serves, or null for the site's own fields. */
  private final PathRoute path;
  /** The site's path routes, by index in its {@code routes}. */
  private final Route[] paths;
  /** The site's meters on the edge instance that built this route (each instance builds its own): set on first use. */
  private EdgeMetrics.SiteMeters meters;

  Route(String pattern, Site site, String problem, FilterChain filters, UpstreamSet upstreams, SiteInfo info,
      PathRoute path, Route[] paths) {
    this.pattern = pattern;
    this.site = site;
    this.problem = problem;
    this.filters = filters;
    this.upstreams = upstreams;
    this.info = info;
    this.path = path;
    this.paths = paths;
  }

  /** A route to a site whose JSON could not be used. */
  static Route invalid(String pattern, String problem) {
    return new Route(pattern, null, problem, FilterChain.EMPTY, null, null, null, new Route[0]);
  }

  /**
   * The Route that serves a request of this (valid) site: a path route's, or this one when none
   * takes it; {@code null} when the path is refused ({@link SiteRoutes#AMBIGUOUS} or
   * {@link SiteRoutes#TOO_LONG}, which {@code refusal} then receives).
   */
  public Route forPath(RequestPath request, String method, Function<String, String> headers, IntConsumer refusal) {
    if (paths.length == 0) {
      return this;
    }
    int chosen = site.routes().choose(request, method, headers);
    if (chosen >= 0) {
      return paths[chosen];
    }
    if (chosen == SiteRoutes.SITE) {
      return this;
    }
    refusal.accept(chosen);
    return null;
  }

  /** The path route this Route serves (its rewrite, its answer at the edge), or null for the site's own fields. */
  public PathRoute pathRoute() {
    return path;
  }

  public boolean isKnown() {
    return pattern != null;
  }

  /** The matched site's pattern, or null when no site serves the host. */
  public String pattern() {
    return pattern;
  }

  /** The site, or null (unknown host, or invalid site); for a path route, the site with its overrides. */
  public Site site() {
    return site;
  }

  /** The site's meters in {@code metrics}, the metrics of the edge instance that built this route. */
  public EdgeMetrics.SiteMeters meters(EdgeMetrics metrics) {
    if (pattern == null) {
      return metrics.site(null);  // UNKNOWN is shared by every edge instance: nothing is kept on it
    }
    if (meters == null) {
      meters = metrics.site(pattern);
    }
    return meters;
  }

  public String problem() {
    return problem;
  }

  /** The site's policies as filters; empty for a site without policies. */
  public FilterChain filters() {
    return filters;
  }

  public UpstreamSet upstreams() {
    return upstreams;
  }

  /** What the filters know of the site. */
  public SiteInfo info() {
    return info;
  }
}
