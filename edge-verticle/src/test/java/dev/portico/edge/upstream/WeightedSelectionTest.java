package dev.portico.edge.upstream;

import dev.portico.contract.SitePolicies.LoadBalancing;
import dev.portico.contract.Target;
import dev.portico.contract.UpstreamOptions;
import dev.portico.edge.upstream.health.SiteHealth;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightedSelectionTest {

  private static final Target A = Target.parse("127.0.0.1:1");
  private static final Target B = Target.parse("127.0.0.1:2");
  private static final Target C = Target.parse("127.0.0.1:3");

  private static UpstreamSet weighted(LoadBalancing policy, List<Target> targets, Integer... weights) {
    return UpstreamSet.of(targets, policy, new UpstreamOptions(List.of(weights), null, null,
        UpstreamOptions.DEFAULT_BUDGET, null), 0, SiteHealth.NONE, null);
  }

  @Test
  void aFivePercentCanaryGetsExactlyItsShareOverAnyHundredPicks() {
    UpstreamSet set = weighted(LoadBalancing.ROUND_ROBIN, List.of(A, B), 95, 5);
    for (int round = 0; round < 10; round++) {
      Map<Target, Integer> counts = new HashMap<>();
      for (int i = 0; i < 100; i++) {
        counts.merge(set.choose(Set.of()).target(), 1, Integer::sum);
      }
      assertEquals(Map.of(A, 95, B, 5), counts);
    }
  }

  @Test
  void theHeavyTargetsTurnsAreSpreadNotBunched() {
    UpstreamSet set = weighted(LoadBalancing.ROUND_ROBIN, List.of(A, B, C), 5, 1, 1);
    List<Target> picks = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      picks.add(set.choose(Set.of()).target());
    }
    assertEquals(List.of(A, A, B, A, C, A, A), picks);  // nginx's smooth order, not A x5 then B, C
  }

  @Test
  void aRestingTargetsShareGoesToTheOthers() {
    UpstreamSet set = weighted(LoadBalancing.ROUND_ROBIN, List.of(A, B, C), 2, 1, 1);
    Upstream a = set.choose(Set.of());
    assertEquals(A, a.target());
    a.failed();
    Set<Target> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      seen.add(set.choose(Set.of()).target());
    }
    assertEquals(Set.of(B, C), seen);
  }

  @Test
  void leastPendingWeighsPendingByWeight() {
    UpstreamSet set = weighted(LoadBalancing.LEAST_PENDING, List.of(A, B), 3, 1);
    Map<Target, Integer> counts = new HashMap<>();
    for (int i = 0; i < 40; i++) {  // every request stays under way: the load follows the weights
      Upstream upstream = set.choose(Set.of());
      upstream.started();
      counts.merge(upstream.target(), 1, Integer::sum);
    }
    assertEquals(Map.of(A, 30, B, 10), counts);
  }

  @Test
  void withoutWeightsEveryTargetTakesEqualTurns() {
    UpstreamSet set = UpstreamSet.of(List.of(A, B), LoadBalancing.ROUND_ROBIN);
    Upstream first = set.choose(Set.of());
    assertNotEquals(first, set.choose(Set.of()));
    assertTrue(set.choose(Set.of()) == first);
  }
}
