package dev.portico.cert;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The cert verticle's metrics: issuance and renewal attempts by outcome with their durations,
 * and, per certificate this node has issued or checked for renewal, the days left before it
 * expires (one series per certificate: their number is that of the TLS sites, not of clients).
 */
final class CertMetrics {

  private static final double DAY_MS = 86_400_000d;

  private final MeterRegistry registry;
  private final Timer issued;
  private final Timer failed;
  private final Map<String, Long> notAfter = new ConcurrentHashMap<>();

  CertMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.issued = timer("issued");
    this.failed = timer("failed");
  }

  private Timer timer(String outcome) {
    return Timer.builder("portico.cert.issuance").tag("outcome", outcome)
        .description("Certificate issuance and renewal attempts, by outcome").register(registry);
  }

  void attempted(boolean success, long nanos) {
    (success ? issued : failed).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Tracks (or updates) the expiry of the certificate of {@code name}. */
  void expires(String name, long notAfterMs) {
    if (notAfter.put(name, notAfterMs) == null) {
      Gauge.builder("portico.cert.expiry.days", notAfter,
              expiries -> (expiries.getOrDefault(name, 0L) - System.currentTimeMillis()) / DAY_MS)
          .tag("name", name).description("Days before the certificate expires").register(registry);
    }
  }
}
