package dev.portico.edge.upstream.health;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which checks the node starts on a tick, within its budget of checks in flight. Fair between
 * sites: a tick starts with the site the last one ran out of budget at, and a site whose round was
 * cut short finishes that round (only its targets not yet started) before a new round begins, so
 * one tenant's many sites, or targets that hold every check until its timeout, slow the others'
 * checks down but never stop them. The checker's alone (one thread).
 */
final class CheckSchedule {

  /** One check to start. */
  record Check(SiteHealth site, TargetHealth target) {
  }

  private final int budget;
  private final Set<TargetHealth> inFlight = new HashSet<>();
  /** Where the next tick starts in the list of sites. */
  private int cursor;

  CheckSchedule(int budget) {
    this.budget = budget;
  }

  /** The checks to start at {@code nowNanos} among {@code sites}; each stays in flight until {@link #finished}. */
  List<Check> due(List<SiteHealth> sites, long nowNanos) {
    List<Check> checks = new ArrayList<>();
    for (int i = 0; i < sites.size(); i++) {
      int index = (cursor + i) % sites.size();
      SiteHealth site = sites.get(index);
      if (!site.roundUnderWay()) {
        if (nowNanos - site.nextCheckNanos < 0) {
          continue;
        }
        site.nextCheckNanos = nowNanos + site.key().check().intervalMs() * 1_000_000L;
        site.beginRound();
      }
      while (site.roundUnderWay()) {
        if (inFlight.size() >= budget) {
          cursor = index;
          return checks;
        }
        TargetHealth target = site.nextInRound();
        if (inFlight.add(target)) {  // a target still checked from the last round is not checked twice
          checks.add(new Check(site, target));
        }
      }
    }
    return checks;
  }

  void finished(TargetHealth target) {
    inFlight.remove(target);
  }
}
