package dev.portico.edge.upstream;

import dev.portico.contract.Target;
import dev.portico.edge.upstream.health.TargetHealth;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * One target of a site with its selection state, kept by the site's {@link UpstreamSet} on one
 * event loop (no locks): its weight, requests under way (for least-pending), until when it rests
 * after a failed connection (passive health), its circuit breaker if the site has one, and the
 * active health check's verdict — one volatile read, the only thing the node's checker shares
 * with the request path.
 */
public final class Upstream {

  /** How long a target that refused or timed out a connection is skipped. */
  static final long REST_NANOS = 10_000_000_000L;

  private final Target target;
  private final TargetHealth health;
  private final Breaker breaker;
  /** The opaque id a sticky-session cookie names it by ({@code null}: the site has none). */
  private final String stickyId;
  /**
   * What its target's host comes to as an address literal ({@link TenantAddresses}: the address or
   * a refusal; empty for a name), for a site of the kind {@link #literalForTenant}: worked out on
   * its first request, as it never changes; null until then.
   */
  Optional<Future<String>> literal;
  boolean literalForTenant;
  private int weight;
  private int pending;
  private long restingUntil;
  private boolean rested;

  Upstream(Target target, TargetHealth health, Breaker breaker, String stickyId) {
    this.target = target;
    this.health = health;
    this.breaker = breaker;
    this.stickyId = stickyId;
  }

  public Target target() {
    return target;
  }

  int weight() {
    return weight;
  }

  /** Its slots' weights add up (a target listed twice has both). */
  void addWeight(int slotWeight) {
    weight += slotWeight;
  }

  int pending() {
    return pending;
  }

  public String stickyId() {
    return stickyId;
  }

  /** Whether it may be chosen at {@code nowNanos}: up by the health check, not resting, its circuit not open. */
  boolean available(long nowNanos) {
    return health.up() && (!rested || restingUntil - nowNanos <= 0) && (breaker == null || breaker.admits(nowNanos));
  }

  /** Whether it may be tried when nothing is {@link #available}: its circuit is not open (resting is overlooked). */
  boolean reachable(long nowNanos) {
    return breaker == null || breaker.admits(nowNanos);
  }

  boolean up() {
    return health.up();
  }

  long restingUntil() {
    return restingUntil;
  }

  Breaker breaker() {
    return breaker;
  }

  /** A request was given it (past an open circuit, that request is the probe). */
  void chosen(long nowNanos) {
    if (breaker != null) {
      breaker.chosen(nowNanos);
    }
  }

  /** A request to it starts. */
  public void started() {
    pending++;
  }

  /** A request to it is over (answered, failed, or its client gone). */
  public void finished() {
    if (pending > 0) {
      pending--;
    }
  }

  /** It refused or timed out a connection: rest it, and count a failure for its circuit. */
  public void failed() {
    rested = true;
    restingUntil = System.nanoTime() + REST_NANOS;
    brokeOff();
  }

  /** A request to it failed after the connection (no answer, a 5xx): a failure for its circuit. */
  public void brokeOff() {
    if (breaker != null) {
      breaker.failed(System.nanoTime());
    }
  }

  /** It answered: its circuit closes. */
  public void answered() {
    if (breaker != null) {
      breaker.succeeded();
    }
  }

  @Override
  public String toString() {
    return target.toString();
  }
}
