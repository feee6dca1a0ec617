package dev.portico.contract;

/**
 * Event-bus addresses the verticles talk on. The message shapes are the records named on each
 * address.
 */
public final class Addresses {

  /**
   * Point-to-point request, answered by a lookup verticle: the body is a canonical host name
   * ({@link HostName#canonical}), the reply a {@link RouteMatch} as JSON, or {@code null} when no
   * site serves the name.
   */
  public static final String LOOKUP = "portico.lookup.resolve";

  /**
   * Published by the lookup verticles after they have applied a change to their tree and to the
   * Redis route cache: the body is a {@link SiteChange} as JSON. Edges drop the cached routes the
   * change may affect.
   */
  public static final String SITE_CHANGED = "portico.site.changed";

  private Addresses() {
  }
}
