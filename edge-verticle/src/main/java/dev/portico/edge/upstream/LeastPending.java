package dev.portico.edge.upstream;

import java.util.Set;

/**
 * The upstream with the fewest requests under way for its weight (pending ÷ weight, so one of
 * weight 3 takes three times the load); among equals, the first from a starting point that moves
 * on by one each time (so equal upstreams take turns rather than the first one taking all).
 */
final class LeastPending implements Selector {

  private int next;

  @Override
  public Upstream select(Upstream[] upstreams, Set<Upstream> tried, long nowNanos) {
    int start = Math.floorMod(next++, upstreams.length);
    Upstream best = null;
    for (int i = 0; i < upstreams.length; i++) {
      Upstream upstream = upstreams[(start + i) % upstreams.length];
      if (upstream.available(nowNanos) && !tried.contains(upstream)
          && (best == null || (long) upstream.pending() * best.weight() < (long) best.pending() * upstream.weight())) {
        best = upstream;
      }
    }
    return best;
  }
}
