package dev.portico.launcher;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One log line per interval for an event a client can cause at will (a refused connection, a
 * timed-out request head): a flood of them costs a counter, not a line each. The line says how
 * many were not logged since the last one.
 */
final class RateLimitedLog {

  private static final long INTERVAL_NANOS = 10_000_000_000L;

  private final Logger log;
  private final AtomicLong nextLineNanos = new AtomicLong(System.nanoTime());
  private final AtomicLong suppressed = new AtomicLong();

  RateLimitedLog(Logger log) {
    this.log = log;
  }

  /** Logs at INFO unless a line was logged less than the interval ago; {@code args} must hold no raw client text. */
  void info(String format, Object... args) {
    long now = System.nanoTime();
    long next = nextLineNanos.get();
    if (now - next < 0 || !nextLineNanos.compareAndSet(next, now + INTERVAL_NANOS)) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    log.info(skipped == 0 ? format : format + " (and " + skipped + " more like it in the last interval)", args);
  }
}
