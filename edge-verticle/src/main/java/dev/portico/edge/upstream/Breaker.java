package dev.portico.edge.upstream;

import dev.portico.contract.UpstreamOptions.CircuitBreaker;

/**
 * A circuit breaker for one upstream on one event loop (no locks): closed, it counts failed
 * requests in a row and opens at the site's threshold; open, the upstream is passed over until
 * {@code openMs} have gone by; then the next request to choose it is the one probe (half open:
 * the others still pass it over); the probe's success closes the breaker, its failure opens it
 * again. A probe that never reports (its client gone) lets another through after {@code openMs}.
 */
final class Breaker {

  enum State { CLOSED, OPEN, HALF_OPEN }

  private final int threshold;
  private final long openNanos;
  private State state = State.CLOSED;
  private int failures;
  private long until;

  Breaker(CircuitBreaker settings) {
    this.threshold = settings.failures();
    this.openNanos = settings.openMs() * 1_000_000L;
  }

  /** Whether a request may go: closed, or open (or probing) long enough for a probe. */
  boolean admits(long nowNanos) {
    return state == State.CLOSED || until - nowNanos <= 0;
  }

  /** A request was given this upstream: past an open period, it is the probe. */
  void chosen(long nowNanos) {
    if (state != State.CLOSED) {
      state = State.HALF_OPEN;
      until = nowNanos + openNanos;
    }
  }

  void succeeded() {
    state = State.CLOSED;
    failures = 0;
  }

  void failed(long nowNanos) {
    if (state == State.HALF_OPEN || ++failures >= threshold) {
      state = State.OPEN;
      until = nowNanos + openNanos;
      failures = 0;
    }
  }

  State state() {
    return state;
  }
}
