package dev.portico.edge;

import dev.portico.contract.InvalidSiteException;
import dev.portico.contract.RouteMatch;
import dev.portico.contract.Site;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the edge serves one host: the site whose pattern matched, or no site at all, or a site
 * whose JSON is broken (then {@code site} is null and {@code problem} says why).
 */
record Route(String pattern, Site site, String problem) {

  private static final Logger LOG = LoggerFactory.getLogger(Route.class);

  /** No site serves the host. */
  static final Route UNKNOWN = new Route(null, null, null);

  static Route of(RouteMatch match) {
    try {
      return new Route(match.pattern(), Site.fromJson(match.siteJson()), null);
    } catch (InvalidSiteException e) {
      LOG.error("Site {} is invalid and answers 502 until fixed: {}", match.pattern(), e.getMessage());
      return new Route(match.pattern(), null, e.getMessage());
    }
  }

  boolean isKnown() {
    return pattern != null;
  }
}
