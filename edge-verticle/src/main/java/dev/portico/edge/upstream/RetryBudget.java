package dev.portico.edge.upstream;

/**
 * How many retries a site may send, per event loop: at most {@code percent} of its requests over
 * the last ten seconds (ten buckets of a second, so the window slides), and always at least
 * {@code minRetries} in that window so a quiet site can still retry. Against a struggling
 * backend every request may fail, and without a budget each would be sent up to 1 + retries
 * times; with one, the extra load stays a share.
 */
final class RetryBudget {

  private static final int BUCKETS = 10;
  private static final long BUCKET_NANOS = 1_000_000_000L;

  private final int percent;
  private final int minRetries;
  private final int[] requests = new int[BUCKETS];
  private final int[] retries = new int[BUCKETS];
  /** The start of the current bucket's second. */
  private long bucketStart;
  private int current;

  RetryBudget(dev.portico.contract.UpstreamOptions.RetryBudget settings, long nowNanos) {
    this.percent = settings.percent();
    this.minRetries = settings.minRetries();
    this.bucketStart = nowNanos;
  }

  /** A request (a first attempt) starts. */
  void request(long nowNanos) {
    roll(nowNanos);
    requests[current]++;
  }

  /** Takes one retry from the budget; {@code false} when it is spent. */
  boolean tryRetry(long nowNanos) {
    roll(nowNanos);
    long requested = 0;
    long retried = 0;
    for (int i = 0; i < BUCKETS; i++) {
      requested += requests[i];
      retried += retries[i];
    }
    if (retried >= Math.max(minRetries, requested * percent / 100)) {
      return false;
    }
    retries[current]++;
    return true;
  }

  /** Moves to the bucket of {@code nowNanos}, emptying those it passes (at most all of them). */
  private void roll(long nowNanos) {
    long passed = (nowNanos - bucketStart) / BUCKET_NANOS;
    if (passed <= 0) {
      return;
    }
    for (long i = 0; i < Math.min(passed, BUCKETS); i++) {
      current = (current + 1) % BUCKETS;
      requests[current] = 0;
      retries[current] = 0;
    }
    bucketStart += passed * BUCKET_NANOS;
  }
}
