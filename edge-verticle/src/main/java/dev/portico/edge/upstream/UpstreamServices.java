package dev.portico.edge.upstream;

import dev.portico.edge.upstream.health.HealthRegistry;

/**
 * What building a site's upstreams needs from the node: its health checks and its sticky-cookie
 * key. {@link #NONE} (for tests of routing alone): no health checks, no sticky sessions.
 */
public record UpstreamServices(HealthRegistry health, StickyKey stickyKey) {

  public static final UpstreamServices NONE = new UpstreamServices(null, null);
}
