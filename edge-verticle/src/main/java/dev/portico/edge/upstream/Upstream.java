package dev.portico.edge.upstream;

import dev.portico.contract.Target;

/**
 * One target of a site with its selection state, kept by the site's {@link UpstreamSet} on one
 * event loop (no locks): requests under way (for least-pending), and until when it rests after a
 * failed connection (passive health).
 */
public final class Upstream {

  /** How long a target that refused or timed out a connection is skipped. */
  static final long REST_NANOS = 10_000_000_000L;

  private final Target target;
  private int pending;
  private long restingUntil;
  private boolean rested;

  Upstream(Target target) {
    this.target = target;
  }

  public Target target() {
    return target;
  }

  int pending() {
    return pending;
  }

  /** Whether it may be chosen at {@code nowNanos}: it is not resting. */
  boolean available(long nowNanos) {
    return !rested || restingUntil - nowNanos <= 0;
  }

  long restingUntil() {
    return restingUntil;
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

  /** It refused or timed out a connection: rest it. */
  public void failed() {
    rested = true;
    restingUntil = System.nanoTime() + REST_NANOS;
  }

  @Override
  public String toString() {
    return target.toString();
  }
}
