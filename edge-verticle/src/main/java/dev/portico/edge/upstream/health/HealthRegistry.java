package dev.portico.edge.upstream.health;

import dev.portico.contract.Target;
import dev.portico.contract.UpstreamOptions.HealthCheck;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's health checks: one {@link SiteHealth} per site version that a route of any edge
 * verticle holds, shared by them all (a Vert.x local map holds the one instance), and checked by
 * the node's one {@link HealthCheckVerticle}. A site is watched while some route holds it, so
 * the checks follow what the node serves; bounded by the route caches.
 */
public final class HealthRegistry implements Shareable {

  private final ConcurrentHashMap<SiteHealth.Key, SiteHealth> sites = new ConcurrentHashMap<>();

  private HealthRegistry() {
  }

  /** The node's one registry. */
  public static HealthRegistry of(Vertx vertx) {
    return (HealthRegistry) vertx.sharedData().getLocalMap("portico.edge.health")
        .computeIfAbsent("registry", name -> new HealthRegistry());
  }

  /** The health of a site's targets, held by {@code holder} until {@link #release}d. */
  public SiteHealth watch(String pattern, HealthCheck check, List<Target> targets, boolean tenant, Object holder) {
    SiteHealth.Key key = new SiteHealth.Key(pattern, check, List.copyOf(new LinkedHashSet<>(targets)), tenant);
    while (true) {
      SiteHealth health = sites.computeIfAbsent(key, SiteHealth::new);
      if (health.hold(holder)) {
        return health;
      }
      sites.remove(key, health);  // retired as we came: start afresh
    }
  }

  /** Holds {@code health} again; {@code false} when it is no longer checked (watch anew). */
  public boolean rejoin(SiteHealth health, Object holder) {
    return sites.get(health.key()) == health && health.hold(holder);
  }

  public void release(SiteHealth health, Object holder) {
    health.release(holder);
  }

  Collection<SiteHealth> sites() {
    return sites.values();
  }

  void retire(SiteHealth health) {
    sites.remove(health.key(), health);
  }
}
