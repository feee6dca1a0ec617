package dev.portico.edge.upstream;

import dev.portico.contract.SitePolicies.LoadBalancing;

import java.util.Set;

/**
 * A load-balancing policy (Caddy's selection policies): picks one of a site's upstreams. A
 * selector belongs to one site's {@link UpstreamSet} and keeps its state there (a counter, or
 * running scores), on one event loop. Every selector passes over an upstream that is not
 * {@link Upstream#available} (resting, marked down by the health check, or its circuit open).
 */
interface Selector {

  /**
   * One of {@code upstreams} that is {@link Upstream#available} at {@code nowNanos} and not in
   * {@code tried}, or {@code null} when there is none. A selector is always asked with the same array.
   */
  Upstream select(Upstream[] upstreams, Set<Upstream> tried, long nowNanos);

  /** The selector for {@code policy}; round robin by weight when the site gives weights. */
  static Selector of(LoadBalancing policy, boolean weighted, int upstreams) {
    return switch (policy) {
      case ROUND_ROBIN -> weighted ? new WeightedRoundRobin(upstreams) : new RoundRobin();
      case LEAST_PENDING -> new LeastPending();
    };
  }
}
