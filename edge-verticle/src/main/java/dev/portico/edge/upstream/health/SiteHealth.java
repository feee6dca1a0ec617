package dev.portico.edge.upstream.health;

import dev.portico.contract.Target;
import dev.portico.contract.UpstreamOptions.HealthCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The active health of one version of a site's targets (its pattern, check and target list), on
 * one node: checked while some edge verticle's route holds it ({@link HealthRegistry}); the
 * targets' states are what that verticle's selectors read.
 */
public final class SiteHealth {

  /** For a site without a health check: every target {@link TargetHealth#UNCHECKED}. */
  public static final SiteHealth NONE = new SiteHealth(new Key("", null, List.of(), false));

  /** What makes two sites' health one: the same pattern, check, targets and tenancy. */
  record Key(String pattern, HealthCheck check, List<Target> targets, boolean tenant) {
  }

  private final Key key;
  private final Map<Target, TargetHealth> targets = new LinkedHashMap<>();
  /** The routes (one per edge verticle) holding it; guarded by this. */
  private final Set<Object> holders = new HashSet<>();
  private long unheldSinceNanos = System.nanoTime();
  private boolean retired;
  /** When the checker next checks it (at once, to begin with); the checker's alone. */
  long nextCheckNanos = System.nanoTime();
  /** The targets of the current round not started yet; the checker's alone. */
  private final ArrayDeque<TargetHealth> round = new ArrayDeque<>();

  SiteHealth(Key key) {
    this.key = key;
    key.targets().forEach(target -> targets.put(target, new TargetHealth(target)));
  }

  /** The health of {@code target}: {@link TargetHealth#UNCHECKED} for one this check does not probe. */
  public TargetHealth of(Target target) {
    return targets.getOrDefault(target, TargetHealth.UNCHECKED);
  }

  Key key() {
    return key;
  }

  Collection<TargetHealth> targets() {
    return targets.values();
  }

  void beginRound() {
    round.addAll(targets.values());
  }

  boolean roundUnderWay() {
    return !round.isEmpty();
  }

  TargetHealth nextInRound() {
    return round.poll();
  }

  /** Adds a holder; {@code false} when the checker has retired it (the holder must watch anew). */
  synchronized boolean hold(Object holder) {
    if (!retired) {
      holders.add(holder);
    }
    return !retired;
  }

  synchronized void release(Object holder) {
    if (holders.remove(holder) && holders.isEmpty()) {
      unheldSinceNanos = System.nanoTime();
    }
  }

  /** Retires it when no one held it for {@code graceNanos} (a route rebuilt within it keeps its state). */
  synchronized boolean retireIfUnheld(long nowNanos, long graceNanos) {
    retired = retired || holders.isEmpty() && nowNanos - unheldSinceNanos > graceNanos;
    return retired;
  }

  JsonObject toJson() {
    JsonArray states = new JsonArray();
    targets.values().forEach(target -> states.add(target.toJson()));
    return new JsonObject().put("path", key.check().path()).put("intervalMs", key.check().intervalMs())
        .put("targets", states);
  }
}
