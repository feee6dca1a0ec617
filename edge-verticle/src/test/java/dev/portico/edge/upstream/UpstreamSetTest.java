package dev.portico.edge.upstream;

import dev.portico.contract.SitePolicies.LoadBalancing;
import dev.portico.contract.Target;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpstreamSetTest {

  private static final Target A = Target.parse("127.0.0.1:1");
  private static final Target B = Target.parse("127.0.0.1:2");
  private static final Target C = Target.parse("127.0.0.1:3");

  private static Map<Target, Integer> spread(UpstreamSet set, int requests) {
    Map<Target, Integer> counts = new HashMap<>();
    for (int i = 0; i < requests; i++) {
      counts.merge(set.choose(Set.of()).target(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void twoSitesAskedInTurnEachTakeTurnsAmongTheirOwnTargets() {
    UpstreamSet one = UpstreamSet.of(List.of(A, B), LoadBalancing.ROUND_ROBIN);
    UpstreamSet two = UpstreamSet.of(List.of(A, B), LoadBalancing.ROUND_ROBIN);
    Map<Target, Integer> oneCounts = new HashMap<>();
    Map<Target, Integer> twoCounts = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      oneCounts.merge(one.choose(Set.of()).target(), 1, Integer::sum);
      twoCounts.merge(two.choose(Set.of()).target(), 1, Integer::sum);
    }
    assertEquals(Map.of(A, 2, B, 2), oneCounts);
    assertEquals(Map.of(A, 2, B, 2), twoCounts);
  }

  @Test
  void aTargetListedTwiceIsOneUpstreamWithTwiceTheTurns() {
    UpstreamSet set = UpstreamSet.of(List.of(A, A, B), LoadBalancing.ROUND_ROBIN);
    assertEquals(Map.of(A, 4, B, 2), spread(set, 6));
    Upstream a = set.choose(Set.of());
    Upstream other = set.choose(Set.of(a));
    assertNotSame(a, other);
    assertNull(set.choose(Set.of(a, other)), "every target tried");
    assertTrue(set.hasUntried(Set.of(), a));
    assertFalse(set.hasUntried(Set.of(other), a));
    UpstreamSet twice = UpstreamSet.of(List.of(A, A), LoadBalancing.ROUND_ROBIN);
    assertFalse(twice.hasUntried(Set.of(), twice.choose(Set.of())), "a target listed twice is not retried on itself");
  }

  @Test
  void aFailedTargetRestsUnlessAllRest() {
    UpstreamSet set = UpstreamSet.of(List.of(A, B, C), LoadBalancing.ROUND_ROBIN);
    Upstream first = set.choose(Set.of());
    first.failed();
    Map<Target, Integer> counts = spread(set, 6);
    assertNull(counts.get(first.target()), "a resting target is skipped");
    assertEquals(6, counts.values().stream().mapToInt(Integer::intValue).sum());
    Upstream second = set.choose(Set.of());
    second.failed();
    Upstream third = set.choose(Set.of());
    third.failed();
    assertSame(first, set.choose(Set.of()), "all rest: the one whose rest ends first is tried anyway");
  }

  @Test
  void leastPendingPrefersTheIdlestAndEqualsTakeTurns() {
    UpstreamSet set = UpstreamSet.of(List.of(A, B, C), LoadBalancing.LEAST_PENDING);
    assertTrue(set.countsPending());
    assertEquals(Map.of(A, 1, B, 1, C, 1), spread(set, 3), "idle upstreams take turns");
    Upstream busy = set.choose(Set.of());
    busy.started();
    busy.started();
    Upstream next = set.choose(Set.of());
    next.started();
    Upstream idle = set.choose(Set.of());
    assertNotSame(busy, idle);
    assertNotSame(next, idle);
    busy.finished();
    busy.finished();
    next.finished();
    assertFalse(UpstreamSet.of(List.of(A), LoadBalancing.ROUND_ROBIN).countsPending());
  }
}
