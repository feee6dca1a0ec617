package dev.portico.admin;

/**
 * Bounds how often an ID token naming a key id the cached JWKS lacks may make the admin fetch the
 * provider's JWKS again: at most once per interval, so tokens with forged key ids cannot make it
 * fetch per request. The first unknown key id after start passes (a provider that rotated its keys
 * while the admin ran is picked up at the first sign-in that needs the new key).
 */
final class KeyRefetchGate {

  private final long intervalNanos;
  private long lastNanos;
  private boolean used;

  KeyRefetchGate(long intervalSeconds) {
    this.intervalNanos = intervalSeconds * 1_000_000_000L;
  }

  /** Whether a refetch may start at {@code nowNanos} ({@link System#nanoTime()}); if so, it counts from now. */
  synchronized boolean tryAcquire(long nowNanos) {
    if (used && nowNanos - lastNanos < intervalNanos) {
      return false;
    }
    used = true;
    lastNanos = nowNanos;
    return true;
  }
}
