package dev.portico.edge.upstream;

import java.util.Set;

/** Each upstream in turn; one that may not be chosen is skipped for the next in line. */
final class RoundRobin implements Selector {

  private int next;

  @Override
  public Upstream select(Upstream[] upstreams, Set<Upstream> tried, long nowNanos) {
    int start = Math.floorMod(next++, upstreams.length);
    for (int i = 0; i < upstreams.length; i++) {
      Upstream upstream = upstreams[(start + i) % upstreams.length];
      if (upstream.available(nowNanos) && !tried.contains(upstream)) {
        return upstream;
      }
    }
    return null;
  }
}
