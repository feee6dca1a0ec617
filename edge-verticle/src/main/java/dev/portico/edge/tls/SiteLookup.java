package dev.portico.edge.tls;

import dev.portico.contract.Site;
import io.vertx.core.Future;

/**
 * Which configured site serves a name: what the certificate store asks before it requests an
 * on-demand certificate. The edge answers from its route cache, else the lookup.
 */
@FunctionalInterface
public interface SiteLookup {

  /** The site serving {@code name} and the pattern it matched; a null site when none does. Runs on the edge's context. */
  Future<ServedBy> servedBy(String name);

  /** @param pattern the site's domain pattern ({@code name} itself, or a wildcard covering it) */
  record ServedBy(String pattern, Site site) {
  }
}
