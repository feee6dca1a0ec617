package dev.portico.edge.upstream;

import dev.portico.contract.SitePolicies.LoadBalancing;

import java.util.Set;

/**
 * A load-balancing policy (Caddy's selection policies): picks one of a site's upstreams. A
 * selector belongs to one site's {@link UpstreamSet} and keeps its state there (a counter), on
 * one event loop.
 */
interface Selector {

  /**
   * One of {@code upstreams} that is {@link Upstream#available} at {@code nowNanos} and not in
   * {@code tried}, or {@code null} when there is none.
   */
  Upstream select(Upstream[] upstreams, Set<Upstream> tried, long nowNanos);

  static Selector of(LoadBalancing policy) {
    return switch (policy) {
      case ROUND_ROBIN -> new RoundRobin();
      case LEAST_PENDING -> new LeastPending();
    };
  }
}
