package dev.portico.edge.upstream.health;

import dev.portico.contract.SitePolicies.LoadBalancing;
import dev.portico.contract.Target;
import dev.portico.contract.UpstreamOptions;
import dev.portico.contract.UpstreamOptions.HealthCheck;
import dev.portico.edge.upstream.UpstreamSet;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetHealthTest {

  private static final Target A = Target.parse("127.0.0.1:1");
  private static final Target B = Target.parse("127.0.0.1:2");
  private static final HealthCheck CHECK = new HealthCheck("/health", 1000, 500, 2, 3, null);

  @Test
  void downAfterTheUnhealthyThresholdInARowAndUpAfterTheHealthyOne() {
    TargetHealth health = new TargetHealth(A);
    health.record(false, "status 503", CHECK);
    health.record(false, "status 503", CHECK);
    health.record(true, "status 200", CHECK);
    health.record(false, "status 503", CHECK);
    health.record(false, "status 503", CHECK);
    assertTrue(health.up(), "two failures in a row are below the threshold of three");
    health.record(false, "status 503", CHECK);
    assertFalse(health.up());
    health.record(true, "status 200", CHECK);
    assertFalse(health.up(), "one pass is below the threshold of two");
    health.record(true, "status 200", CHECK);
    assertTrue(health.up());
  }

  @Test
  void theExpectedStatusOrAny2xxOr3xx() {
    assertTrue(CHECK.healthy(204) && CHECK.healthy(302) && !CHECK.healthy(404) && !CHECK.healthy(500));
    HealthCheck exact = new HealthCheck("/", 1000, 500, 1, 1, 204);
    assertTrue(exact.healthy(204) && !exact.healthy(200));
  }

  @Test
  void everySelectorSkipsATargetMarkedDown() {
    SiteHealth site = new SiteHealth(new SiteHealth.Key("shop.example", CHECK, List.of(A, B), false));
    for (int i = 0; i < 3; i++) {
      site.of(A).record(false, "status 503", CHECK);
    }
    for (LoadBalancing policy : LoadBalancing.values()) {
      for (List<Integer> weights : List.of(List.<Integer>of(), List.of(9, 1))) {
        UpstreamSet set = UpstreamSet.of(List.of(A, B), policy, new UpstreamOptions(weights, CHECK, null,
            UpstreamOptions.DEFAULT_BUDGET, null), 0, site, null);
        Set<Target> chosen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
          chosen.add(set.choose(Set.of()).target());
        }
        assertEquals(Set.of(B), chosen, policy + " " + weights);
      }
    }
  }

  @Test
  void whenEveryTargetIsDownOneIsTriedAnyway() {
    SiteHealth site = new SiteHealth(new SiteHealth.Key("shop.example", CHECK, List.of(A, B), false));
    for (int i = 0; i < 3; i++) {
      site.of(A).record(false, "status 503", CHECK);
      site.of(B).record(false, "status 503", CHECK);
    }
    UpstreamSet set = UpstreamSet.of(List.of(A, B), LoadBalancing.ROUND_ROBIN, new UpstreamOptions(List.of(), CHECK,
        null, UpstreamOptions.DEFAULT_BUDGET, null), 0, site, null);
    assertTrue(set.choose(Set.of()) != null);
  }

  @Test
  void aTargetTheCheckDoesNotProbeCountsAsUp() {
    SiteHealth site = new SiteHealth(new SiteHealth.Key("shop.example", CHECK, List.of(A), false));
    assertSame(TargetHealth.UNCHECKED, site.of(B));
    assertTrue(site.of(B).up());
  }
}
