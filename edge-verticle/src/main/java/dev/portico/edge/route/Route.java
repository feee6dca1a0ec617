package dev.portico.edge.route;

import dev.portico.contract.Site;
import dev.portico.edge.pipeline.FilterChain;
import dev.portico.edge.pipeline.SiteInfo;
import dev.portico.edge.upstream.UpstreamSet;

/**
 * How the edge serves one host: the site whose pattern matched with what was built from it once
 * (its filters, its upstreams); or no site at all ({@link #UNKNOWN}); or a site whose JSON is
 * broken ({@link #site()} null, {@link #problem()} says why).
 */
public final class Route {

  /** No site serves the host. */
  public static final Route UNKNOWN = new Route(null, null, null, FilterChain.EMPTY, null, null);

  private final String pattern;
  private final Site site;
  private final String problem;
  private final FilterChain filters;
  private final UpstreamSet upstreams;
  private final SiteInfo info;

  Route(String pattern, Site site, String problem, FilterChain filters, UpstreamSet upstreams, SiteInfo info) {
    this.pattern = pattern;
    this.site = site;
    this.problem = problem;
    this.filters = filters;
    this.upstreams = upstreams;
    this.info = info;
  }

  /** A route to a site whose JSON could not be used. */
  static Route invalid(String pattern, String problem) {
    return new Route(pattern, null, problem, FilterChain.EMPTY, null, null);
  }

  public boolean isKnown() {
    return pattern != null;
  }

  /** The matched site's pattern, or null when no site serves the host. */
  public String pattern() {
    return pattern;
  }

  /** The site, or null (unknown host, or invalid site). */
  public Site site() {
    return site;
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
