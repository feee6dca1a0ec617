package dev.portico.edge.upstream;

import java.util.Set;

/**
 * Smooth weighted round robin (nginx's): each pick adds every candidate's weight to its running
 * score, takes the highest and takes the sum of the weights off it. Over any run of picks the
 * shares follow the weights, and a heavy upstream's turns are spread out rather than bunched
 * (weights 5 and 1 give a a a b a a, not a a a a a b). An upstream that may not be chosen neither
 * gains nor pays, so the others share its turns in their own proportion.
 */
final class WeightedRoundRobin implements Selector {

  /** Running scores, by index into the upstreams this selector is always asked with. */
  private final int[] scores;

  WeightedRoundRobin(int upstreams) {
    this.scores = new int[upstreams];
  }

  @Override
  public Upstream select(Upstream[] upstreams, Set<Upstream> tried, long nowNanos) {
    int total = 0;
    int best = -1;
    for (int i = 0; i < upstreams.length; i++) {
      Upstream upstream = upstreams[i];
      if (upstream.available(nowNanos) && !tried.contains(upstream)) {
        scores[i] += upstream.weight();
        total += upstream.weight();
        if (best < 0 || scores[i] > scores[best]) {
          best = i;
        }
      }
    }
    if (best < 0) {
      return null;
    }
    scores[best] -= total;
    return upstreams[best];
  }
}
