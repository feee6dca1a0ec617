package dev.portico.edge.upstream.health;

import dev.portico.contract.Target;
import dev.portico.contract.UpstreamOptions.HealthCheck;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckScheduleTest {

  private static final HealthCheck CHECK = new HealthCheck("/health", 1000, 500, 1, 1, null);
  private static final long SECOND = 1_000_000_000L;
  /** A new site is due at once: "now" is after its creation. */
  private static final long T0 = System.nanoTime() + SECOND;

  private static SiteHealth site(String pattern, int targets) {
    return site(pattern, targets, CHECK);
  }

  private static SiteHealth site(String pattern, int targets, HealthCheck check) {
    List<Target> list = IntStream.range(0, targets).mapToObj(i -> Target.parse("127.0.0.1:" + (1000 + i))).toList();
    return new SiteHealth(new SiteHealth.Key(pattern, check, list, true));
  }

  @Test
  void sitesAfterOnesThatFillTheBudgetStillGetTheirChecks() {
    // one tenant's sites, checked every tick, whose targets hold every check until its timeout,
    // come first in the list
    HealthCheck everyTick = new HealthCheck("/health", (int) (HealthChecker.TICK_MS), 50, 1, 1, null);
    List<SiteHealth> sites = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sites.add(site("hold" + i + ".test", 4, everyTick));
    }
    SiteHealth honest = site("honest.test", 1);
    sites.add(honest);
    CheckSchedule schedule = new CheckSchedule(8);
    long now = T0;
    Set<SiteHealth> checked = new HashSet<>();
    for (int tick = 0; tick < 10 && !checked.contains(honest); tick++, now += HealthChecker.TICK_MS * 1_000_000L) {
      List<CheckSchedule.Check> started = schedule.due(sites, now);
      assertTrue(started.size() <= 8, "never more than the budget in flight");
      started.forEach(check -> checked.add(check.site()));
      started.forEach(check -> schedule.finished(check.target()));  // each held check times out by the next tick
    }
    assertTrue(checked.contains(honest), "the last site got its turn although every tick's budget was used up");
  }

  @Test
  void aRoundCutShortGoesOnWithTheTargetsNotStartedAndChecksNoTargetTwice() {
    SiteHealth wide = site("wide.test", 5);
    CheckSchedule schedule = new CheckSchedule(3);
    List<CheckSchedule.Check> first = schedule.due(List.of(wide), T0);
    assertEquals(3, first.size());
    assertEquals(List.of(), schedule.due(List.of(wide), T0 + 1), "nothing more while the budget is in use");
    first.forEach(check -> schedule.finished(check.target()));
    List<CheckSchedule.Check> rest = schedule.due(List.of(wide), T0 + 2);
    assertEquals(2, rest.size(), "the round's two other targets, not the three already checked");
    Set<Target> all = new HashSet<>();
    first.forEach(check -> all.add(check.target().target()));
    rest.forEach(check -> all.add(check.target().target()));
    assertEquals(5, all.size());
    rest.forEach(check -> schedule.finished(check.target()));
    assertEquals(List.of(), schedule.due(List.of(wide), T0 + 3), "the next round waits for the interval");
    assertEquals(3, schedule.due(List.of(wide), T0 + SECOND + 3).size());
  }

  @Test
  void aTargetStillCheckedFromTheLastRoundIsNotCheckedTwice() {
    SiteHealth slow = site("slow.test", 2);
    CheckSchedule schedule = new CheckSchedule(10);
    List<CheckSchedule.Check> first = schedule.due(List.of(slow), T0);
    schedule.finished(first.get(0).target());  // the second target's check is still running
    List<CheckSchedule.Check> next = schedule.due(List.of(slow), T0 + SECOND);
    assertEquals(1, next.size());
    assertEquals(first.get(0).target(), next.get(0).target());
  }
}
