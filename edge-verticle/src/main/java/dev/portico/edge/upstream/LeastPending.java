package dev.portico.edge.upstream;

import java.util.Set;

/**
 * The upstream with the fewest requests under way; among equals, the first from a starting point
 * that moves on by one each time (so equal upstreams take turns rather than the first one taking all).
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
          && (best == null || upstream.pending() < best.pending())) {
        best = upstream;
      }
    }
    return best;
  }
}
