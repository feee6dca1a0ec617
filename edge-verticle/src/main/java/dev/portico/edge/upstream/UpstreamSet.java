package dev.portico.edge.upstream;

import dev.portico.contract.SitePolicies.LoadBalancing;
import dev.portico.contract.Target;
import dev.portico.contract.UpstreamOptions;
import dev.portico.edge.upstream.health.SiteHealth;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A site's targets with their selection state, built once with the site's route: each site
 * balances over its own targets with its own counter (or weights), and a target a site lists
 * twice is one {@link Upstream} (twice the turns, one health state). When no untried target is
 * available (all resting or down), the one whose rest ends first is tried anyway — an up one if
 * any is up, else any (when every target is down, trying beats refusing: the check may lag) —
 * but never one whose circuit is open.
 */
public final class UpstreamSet {

  /** What a selector picks among: slots in listed order (a target listed twice holds two), or, weighted, each once. */
  private final Upstream[] candidates;
  private final Selector selector;
  private final boolean countsPending;
  /** Retries left to the site on this event loop; {@code null} for a site that does not retry. */
  private final RetryBudget budget;
  /** The sticky-session cookie's name, and the upstreams by the id it names; {@code null}: not sticky. */
  private final String stickyCookie;
  private final Map<String, Upstream> byStickyId;
  private final SiteHealth health;

  private UpstreamSet(Upstream[] candidates, Selector selector, boolean countsPending, RetryBudget budget,
      String stickyCookie, Map<String, Upstream> byStickyId, SiteHealth health) {
    this.health = health;
    this.candidates = candidates;
    this.selector = selector;
    this.countsPending = countsPending;
    this.budget = budget;
    this.stickyCookie = stickyCookie;
    this.byStickyId = byStickyId;
  }

  /** Equal weights, no health check, no breaker, no retries, not sticky. */
  public static UpstreamSet of(List<Target> targets, LoadBalancing policy) {
    return of(targets, policy, UpstreamOptions.NONE, 0, SiteHealth.NONE, null);
  }

  /**
   * @param health    the node's health of the site's targets ({@link SiteHealth#NONE} without a check)
   * @param stickyIds the targets' sticky-session ids, when the site is sticky
   */
  public static UpstreamSet of(List<Target> targets, LoadBalancing policy, UpstreamOptions options, int retries,
      SiteHealth health, Function<Target, String> stickyIds) {
    boolean sticky = options.sticky() != null && stickyIds != null;
    Map<Target, Upstream> distinct = new LinkedHashMap<>();
    Upstream[] slots = new Upstream[targets.size()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = distinct.computeIfAbsent(targets.get(i), target -> new Upstream(target, health.of(target),
          options.circuitBreaker() == null ? null : new Breaker(options.circuitBreaker()),
          sticky ? stickyIds.apply(target) : null));
      slots[i].addWeight(options.weights().isEmpty() ? 1 : options.weights().get(i));
    }
    boolean weighted = !options.weights().isEmpty();
    Upstream[] candidates = weighted ? distinct.values().toArray(new Upstream[0]) : slots;
    Map<String, Upstream> byStickyId = new HashMap<>();
    if (sticky) {
      distinct.values().forEach(upstream -> byStickyId.put(upstream.stickyId(), upstream));
    }
    return new UpstreamSet(candidates, Selector.of(policy, weighted, candidates.length),
        policy == LoadBalancing.LEAST_PENDING,
        retries > 0 ? new RetryBudget(options.retryBudget(), System.nanoTime()) : null,
        sticky ? options.sticky().cookie() : null, byStickyId, health);
  }

  /** The upstream for the next request, not one of {@code tried}; {@code null} when none may be tried. */
  public Upstream choose(Set<Upstream> tried) {
    if (candidates.length == 1 && budget == null && candidates[0].breaker() == null) {
      return tried.isEmpty() ? candidates[0] : null;  // the common case pays no clock read
    }
    long now = System.nanoTime();
    if (budget != null && tried.isEmpty()) {
      budget.request(now);
    }
    Upstream chosen = candidates.length == 1 ? (tried.isEmpty() && candidates[0].available(now) ? candidates[0] : null)
        : selector.select(candidates, tried, now);
    if (chosen == null) {
      chosen = soonest(tried, now);
    }
    if (chosen != null) {
      chosen.chosen(now);
    }
    return chosen;
  }

  private Upstream soonest(Set<Upstream> tried, long now) {
    boolean anyUp = false;
    for (Upstream upstream : candidates) {
      anyUp |= upstream.up() && !tried.contains(upstream) && upstream.reachable(now);
    }
    Upstream soonest = null;
    for (Upstream upstream : candidates) {
      if (!tried.contains(upstream) && upstream.reachable(now) && (upstream.up() || !anyUp)
          && (soonest == null || upstream.restingUntil() - soonest.restingUntil() < 0)) {
        soonest = upstream;
      }
    }
    return soonest;
  }

  /** Whether an upstream other than {@code current} and those {@code tried} is left to retry with. */
  public boolean hasUntried(Set<Upstream> tried, Upstream current) {
    for (Upstream upstream : candidates) {
      if (upstream != current && !tried.contains(upstream)) {
        return true;
      }
    }
    return false;
  }

  /** Takes a retry from the site's budget; {@code false} when it is spent (or the site does not retry). */
  public boolean mayRetry() {
    return budget != null && budget.tryRetry(System.nanoTime());
  }

  /** Whether requests under way are counted ({@link Upstream#started}, {@link Upstream#finished}) for the selector. */
  public boolean countsPending() {
    return countsPending;
  }

  /** The sticky-session cookie's name; {@code null} when the site is not sticky. */
  public String stickyCookie() {
    return stickyCookie;
  }

  /** The available upstream a sticky cookie's {@code id} names, or {@code null} (unknown, forged, stale or unavailable). */
  public Upstream stuck(String id) {
    Upstream upstream = id == null ? null : byStickyId.get(id);
    long now = System.nanoTime();
    if (upstream == null || !upstream.available(now)) {
      return null;
    }
    if (budget != null) {
      budget.request(now);
    }
    upstream.chosen(now);
    return upstream;
  }

  /** The node's health of these targets, which the route that holds this set keeps watched. */
  public SiteHealth health() {
    return health;
  }
}
