package dev.portico.cert;

import dev.portico.contract.CertKeys;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Leases on the one TXT value a provider such as DuckDNS keeps for a zone: two issuances under
 * one zone take turns with it instead of overwriting (or clearing) each other's challenge, and a
 * turn starts only a sequence interval after the previous one ended, once the CA's resolver no
 * longer caches the previous value. Taken and released on the issuing worker thread.
 */
final class Dns01ZoneLocks {

  private static final long LEASE_MS = 30_000;
  private static final long POLL_MS = 250;
  private static final long REDIS_WAIT_MS = 10_000;

  private final Vertx vertx;
  private final Redis redis;
  private final String holderId;
  private final long sequenceIntervalMs;
  private volatile boolean stopped;

  /** @param sequenceIntervalMs how long a zone's value stays taken after a turn ends */
  Dns01ZoneLocks(Vertx vertx, Redis redis, String holderId, long sequenceIntervalMs) {
    this.vertx = vertx;
    this.redis = redis;
    this.holderId = holderId;
    this.sequenceIntervalMs = sequenceIntervalMs;
  }

  /**
   * Blocks until this node holds {@code zone}'s lease, kept alive until released; gives up at
   * {@code deadline} (epoch ms), the issuance's own, as a turn taken later could not finish.
   */
  Lease take(String zone, long deadline) throws Exception {
    Lease lease = new Lease(redis, CertKeys.dns01ZoneLock(zone), holderId, LEASE_MS);
    while (!acquired(lease, zone)) {
      if (stopped) {
        throw new AcmeClient.AcmeFailure("stopped waiting for the DNS-01 value of " + zone
            + ": the certificate role is stopping");
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AcmeClient.AcmeFailure("another issuance kept the DNS-01 value of " + zone
            + " past this issuance's deadline");
      }
      Thread.sleep(POLL_MS);
    }
    lease.keepAlive(vertx);
    return lease;
  }

  /** Ends a turn: the zone's value is free again after the sequence interval. */
  void giveBack(Lease lease) {
    lease.release(sequenceIntervalMs);
  }

  private static boolean acquired(Lease lease, String zone) throws Exception {
    try {
      return lease.acquire().toCompletionStage().toCompletableFuture().get(REDIS_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      lease.release();  // in case the SET lands after all: the lease's own value, so nobody else's
      throw new AcmeClient.AcmeFailure("Redis did not answer within " + REDIS_WAIT_MS / 1000
          + " s taking the DNS-01 lease of " + zone);
    }
  }

  /** Ends the waits for a zone's lease: the node is stopping. */
  void stop() {
    stopped = true;
  }
}
