package dev.portico.edge.upstream;

import dev.portico.contract.SitePolicies.LoadBalancing;
import dev.portico.contract.Target;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A site's targets with their selection state, built once with the site's route: each site
 * balances over its own targets with its own counter, and a target a site lists twice is one
 * {@link Upstream} (twice the turns, one health state). When every untried target rests, the one
 * whose rest ends first is tried anyway, rather than failing outright.
 */
public final class UpstreamSet {

  /** Slots in listed order; a target listed twice holds two slots of one upstream. */
  private final Upstream[] slots;
  private final Selector selector;
  private final boolean countsPending;

  private UpstreamSet(Upstream[] slots, Selector selector, boolean countsPending) {
    this.slots = slots;
    this.selector = selector;
    this.countsPending = countsPending;
  }

  public static UpstreamSet of(List<Target> targets, LoadBalancing policy) {
    Map<Target, Upstream> distinct = new LinkedHashMap<>();
    Upstream[] slots = new Upstream[targets.size()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = distinct.computeIfAbsent(targets.get(i), Upstream::new);
    }
    return new UpstreamSet(slots, Selector.of(policy), policy == LoadBalancing.LEAST_PENDING);
  }

  /** The upstream for the next request, not one of {@code tried}; {@code null} when all were tried. */
  public Upstream choose(Set<Upstream> tried) {
    if (slots.length == 1) {
      return tried.isEmpty() ? slots[0] : null;
    }
    long now = System.nanoTime();
    Upstream chosen = selector.select(slots, tried, now);
    if (chosen != null) {
      return chosen;
    }
    Upstream soonest = null;
    for (Upstream upstream : slots) {
      if (!tried.contains(upstream) && (soonest == null || upstream.restingUntil() - soonest.restingUntil() < 0)) {
        soonest = upstream;
      }
    }
    return soonest;
  }

  /** Whether an upstream other than {@code current} and those {@code tried} is left to retry with. */
  public boolean hasUntried(Set<Upstream> tried, Upstream current) {
    for (Upstream upstream : slots) {
      if (upstream != current && !tried.contains(upstream)) {
        return true;
      }
    }
    return false;
  }

  /** Whether requests under way are counted ({@link Upstream#started}, {@link Upstream#finished}) for the selector. */
  public boolean countsPending() {
    return countsPending;
  }
}
