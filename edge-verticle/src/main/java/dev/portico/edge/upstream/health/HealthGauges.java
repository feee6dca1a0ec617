package dev.portico.edge.upstream.health;

import dev.portico.contract.Target;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code portico_upstream_healthy{site, target}}: 1 while the active check finds a target up, 0
 * while down; for at most {@code siteLimit} sites (the node's metrics site limit), the first
 * checked. A gauge reads the site's newest checked state when scraped; it goes with the site's
 * last check. The checker's thread alone uses this.
 */
final class HealthGauges {

  static final String NAME = "portico.upstream.healthy";

  private final MeterRegistry registry;
  private final HealthRegistry sites;
  private final int siteLimit;
  private final Map<String, List<Meter>> bySite = new HashMap<>();

  HealthGauges(MeterRegistry registry, HealthRegistry sites, int siteLimit) {
    this.registry = registry;
    this.sites = sites;
    this.siteLimit = siteLimit;
  }

  /** Gauges for {@code health}'s targets, if its site has none yet and a slot is left. */
  void show(SiteHealth health) {
    String pattern = health.key().pattern();
    if (bySite.containsKey(pattern) || bySite.size() >= siteLimit) {
      return;
    }
    List<Meter> gauges = new ArrayList<>();
    for (TargetHealth target : health.targets()) {
      gauges.add(Gauge.builder(NAME, () -> up(pattern, target.target()))
          .tag("site", pattern).tag("target", target.target().toString())
          .description("Whether the active health check finds the target up (1) or down (0)").register(registry));
    }
    bySite.put(pattern, gauges);
  }

  /** Drops the site's gauges when no checked version of it is left. */
  void retired(SiteHealth health) {
    String pattern = health.key().pattern();
    if (sites.sites().stream().noneMatch(other -> other.key().pattern().equals(pattern))) {
      List<Meter> gauges = bySite.remove(pattern);
      if (gauges != null) {
        gauges.forEach(registry::remove);
      }
    }
  }

  private double up(String pattern, Target target) {
    for (SiteHealth health : sites.sites()) {
      if (health.key().pattern().equals(pattern) && health.key().targets().contains(target)) {
        return health.of(target).up() ? 1 : 0;
      }
    }
    return Double.NaN;
  }
}
