package dev.portico.cert;

import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate is renewed: {@code renewBefore} before expiry or at two thirds of its
 * lifetime, whichever comes first; for a certificate so short-lived that {@code renewBefore}
 * would not leave it in use for half its lifetime (a 6-day certificate and 30 days), at two
 * thirds of its lifetime. Earlier when the CA's
 * renewal information (RFC 9773) suggests it, and moved earlier by a jitter of up to 1/30 of the
 * lifetime (at most 12 h) so that certificates issued together are not renewed together.
 */
final class RenewalPolicy {

  private static final long MAX_JITTER_MS = Duration.ofHours(12).toMillis();

  private final long renewBeforeMs;

  RenewalPolicy(int renewBeforeDays) {
    this.renewBeforeMs = Duration.ofDays(renewBeforeDays).toMillis();
  }

  /**
   * @param ariSuggestion a time in the CA's suggested renewal window, or {@code null}
   * @param jitterSeed    any number that spreads names apart (e.g. the name's hash)
   */
  long renewAt(long notBefore, long notAfter, Instant ariSuggestion, long jitterSeed) {
    long lifetime = Math.max(0, notAfter - notBefore);
    long byExpiry = notAfter - renewBeforeMs;
    long byLifetime = notBefore + lifetime * 2 / 3;
    long jitterRange = Math.min(lifetime / 30, MAX_JITTER_MS);
    long jitter = jitterRange == 0 ? 0 : Math.floorMod(jitterSeed, jitterRange);
    long renewAt = (byExpiry >= notBefore + lifetime / 2 ? Math.min(byExpiry, byLifetime) : byLifetime) - jitter;
    if (ariSuggestion != null) {
      renewAt = Math.min(renewAt, ariSuggestion.toEpochMilli());
    }
    return renewAt;
  }
}
