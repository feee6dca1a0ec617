package dev.portico.edge;

import dev.portico.contract.SitePolicies.LoadBalancing;
import dev.portico.contract.Target;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the target of a site for each request, per edge verticle (no locks: one event loop):
 * round robin or least pending requests, skipping targets that failed lately (passive health: a
 * target that refused or timed out a connection rests for {@link #REST_NANOS}). When every
 * target rests, the one that rested longest is tried anyway, rather than failing outright.
 */
final class TargetBalancer {

  static final long REST_NANOS = 10_000_000_000L;

  private static final class State {
    int pending;
    long restingUntil;
  }

  private final Map<Target, State> states = new HashMap<>();
  private int next;

  /** The target for the next request, not one of {@code tried}; {@code null} if all were tried. */
  Target choose(List<Target> targets, LoadBalancing policy, Set<Target> tried) {
    if (targets.size() == 1 && tried.isEmpty()) {
      return targets.get(0);
    }
    long now = System.nanoTime();
    Target best = null;
    Target rested = null;
    int start = Math.floorMod(next++, targets.size());
    for (int i = 0; i < targets.size(); i++) {
      Target target = targets.get((start + i) % targets.size());
      if (tried.contains(target)) {
        continue;
      }
      State state = states.get(target);
      if (state != null && state.restingUntil - now > 0) {
        if (rested == null || state.restingUntil - states.get(rested).restingUntil < 0) {
          rested = target;
        }
        continue;
      }
      if (policy == LoadBalancing.ROUND_ROBIN) {
        return target;
      }
      if (best == null || pending(target) < pending(best)) {
        best = target;
      }
    }
    return best != null ? best : rested;
  }

  /**
   * Whether a target other than {@code current} and those {@code tried} is left to retry with.
   * (Not a count: a site may list a target twice, and the same target is not tried again.)
   */
  static boolean hasUntried(List<Target> targets, Set<Target> tried, Target current) {
    for (Target target : targets) {
      if (!target.equals(current) && !tried.contains(target)) {
        return true;
      }
    }
    return false;
  }

  void started(Target target) {
    states.computeIfAbsent(target, t -> new State()).pending++;
  }

  void finished(Target target) {
    State state = states.get(target);
    if (state != null && state.pending > 0) {
      state.pending--;
    }
  }

  /** The target refused or timed out a connection: rest it. */
  void failed(Target target) {
    states.computeIfAbsent(target, t -> new State()).restingUntil = System.nanoTime() + REST_NANOS;
  }

  private int pending(Target target) {
    State state = states.get(target);
    return state == null ? 0 : state.pending;
  }
}
