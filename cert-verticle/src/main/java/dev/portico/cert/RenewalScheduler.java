package dev.portico.cert;

import dev.portico.contract.CertKeys;
import dev.portico.contract.Pem;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.StoredCertificate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Renews certificates before they expire. One node of the cluster does it at a time: the holder
 * of the {@link CertKeys#RENEWAL_SCHEDULER_LEASE} lease, extended every third of its life and
 * taken over by another node once it expires. The holder scans {@code portico:cert:*} every
 * check interval and renews, one at a time, each ACME certificate whose renewal time has come;
 * then {@code portico:cert-state:*}, and tries again each name that has no certificate yet
 * because its last attempt failed (once the backoff is over) or was abandoned by a node that
 * stopped or died: a passing provider or CA failure does not leave a site without a certificate
 * until someone writes the site again.
 * Where the CA offers renewal information (RFC 9773), it is asked again for each certificate
 * every {@link #RENEWAL_INFO_REFRESH_MS}, so a window the CA moves earlier (for example before a
 * mass revocation) is followed.
 */
final class RenewalScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(RenewalScheduler.class);
  private static final int SCAN_BATCH = 200;
  static final long RENEWAL_INFO_REFRESH_MS = 6 * 3_600_000L;

  private final Vertx vertx;
  private final Redis redis;
  private final CertificateIssuer issuer;
  private final IssuanceRecords records;
  private final AcmeClient acme;
  private final CertOptions options;
  private final Lease lease;
  private long timer = -1;
  private boolean leader;
  private boolean stopped;
  private boolean scanning;
  private long nextScanAt;

  RenewalScheduler(Vertx vertx, Redis redis, CertificateIssuer issuer, AcmeClient acme, CertOptions options,
      String holderId) {
    this.vertx = vertx;
    this.redis = redis;
    this.issuer = issuer;
    this.records = issuer.records();
    this.acme = acme;
    this.options = options;
    this.lease = new Lease(redis, CertKeys.RENEWAL_SCHEDULER_LEASE, holderId, options.leaseMs());
  }

  void start() {
    tick();
    timer = vertx.setPeriodic(Math.max(1, options.leaseMs() / 3), t -> tick());
  }

  Future<Void> stop() {
    vertx.cancelTimer(timer);
    stopped = true;
    boolean wasLeader = leader;
    leader = false;  // a scan under way starts no further renewal
    return wasLeader ? lease.release().otherwiseEmpty().mapEmpty() : Future.succeededFuture();
  }

  private void tick() {
    lease.acquireOrExtend().onComplete(ar -> {
      if (stopped) {
        if (ar.succeeded() && ar.result()) {
          lease.release();  // taken by a tick that was under way when the scheduler stopped
        }
        return;
      }
      boolean held = ar.succeeded() && ar.result();
      if (held != leader) {
        LOG.info(held ? "This node now runs the renewal scheduler ({})" : "This node no longer runs the renewal scheduler ({})",
            lease.holder());
        leader = held;
        nextScanAt = 0;
      }
      if (ar.failed()) {
        LOG.warn("Cannot reach Redis for the renewal scheduler lease: {}", ar.cause().getMessage());
      }
      if (leader && !scanning && System.currentTimeMillis() >= nextScanAt) {
        scanning = true;
        nextScanAt = System.currentTimeMillis() + options.renewalCheckIntervalMs();
        scan(RedisKeys.CERT_PREFIX, this::renewIfDue, "0")
            .compose(v -> scan(CertKeys.CERT_STATE_PREFIX, this::retryIfUnissued, "0")).onComplete(done -> {
          scanning = false;
          if (done.failed()) {
            LOG.warn("Renewal scan failed: {}", done.cause().getMessage());
          }
        });
      }
    });
  }

  /**
   * Runs {@code check} on the name of each key under {@code prefix}, one at a time. Each page is
   * requested once the one before is checked, and the end completes one promise: a chain of
   * futures a page long would overflow the stack when it completed, with a million site keys to
   * SCAN past.
   */
  private Future<Void> scan(String prefix, Function<String, Future<Void>> check, String cursor) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    scanPage(prefix, check, cursor, done);
    return done.future();
  }

  private void scanPage(String prefix, Function<String, Future<Void>> check, String cursor,
      io.vertx.core.Promise<Void> done) {
    redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*")
        .arg("COUNT").arg(SCAN_BATCH)).compose(page -> {
          List<String> names = new ArrayList<>();
          for (Response key : page.get(1)) {
            names.add(key.toString().substring(prefix.length()));
          }
          return checkEach(names, 0, check).map(page.get(0).toString());
        }).onComplete(ar -> {
          if (ar.failed()) {
            done.fail(ar.cause());
          } else if (leader && !"0".equals(ar.result())) {
            scanPage(prefix, check, ar.result(), done);
          } else {
            done.complete();
          }
        });
  }

  private Future<Void> checkEach(List<String> names, int index, Function<String, Future<Void>> check) {
    if (index >= names.size() || !leader) {
      return Future.succeededFuture();
    }
    String name = names.get(index);
    return check.apply(name)
        .recover(e -> {
          LOG.warn("Cannot check the certificate of {}: {}", name, e.getMessage());
          return Future.succeededFuture();
        })
        .compose(v -> checkEach(names, index + 1, check));
  }

  /**
   * A name without a certificate is tried again when its last attempt failed and the backoff is
   * over, or when it is still pending although no node holds its issuance lock (a live issuer
   * extends it every 10 s): its node stopped or died. A name whose site no longer asks for a
   * certificate is forgotten instead.
   */
  private Future<Void> retryIfUnissued(String name) {
    return redis.send(Request.cmd(Command.EXISTS).arg(RedisKeys.cert(name)).arg(CertKeys.certLock(name)))
        .compose(existing -> {
          if (existing.toLong() > 0L) {
            return Future.succeededFuture();  // renewIfDue's concern, or an issuance under way
          }
          return records.state(name).compose(state -> {
            boolean failed = IssuanceState.FAILED.equals(state.status())
                && !state.backingOff(System.currentTimeMillis());
            boolean abandoned = IssuanceState.PENDING.equals(state.status()) && state.lastAttemptAt() > 0;
            return failed || abandoned ? retry(name, state) : Future.succeededFuture();
          });
        });
  }

  private Future<Void> retry(String name, IssuanceState state) {
    return records.eligibleSite(name).transform(eligible -> {
      if (eligible.failed() && eligible.cause() instanceof IssuanceRecords.NotEligible reason) {
        LOG.info("Forgetting the failed certificate attempts for {}: {}", name, reason.getMessage());
        return records.deleteState(name);
      }
      if (eligible.failed()) {
        return Future.failedFuture(eligible.cause());
      }
      LOG.info("Trying again to get a certificate for {} ({})", name, IssuanceState.FAILED.equals(state.status())
          ? "failed " + state.attempts() + " time(s), last: " + state.error() : "an attempt was abandoned");
      return issuer.issue(name).mapEmpty();
    });
  }

  private Future<Void> renewIfDue(String name) {
    return records.storedCertificate(name).compose(certificate -> {
      if (certificate == null) {
        return Future.succeededFuture();
      }
      issuer.metrics().expires(name, certificate.notAfter());
      if (!"acme".equals(certificate.source())) {
        return Future.succeededFuture();
      }
      return records.state(name).compose(state -> refreshRenewalInfo(name, certificate, state)).compose(state -> {
        long now = System.currentTimeMillis();
        long renewAt = state.notAfter() == certificate.notAfter() && state.renewAt() > 0 ? state.renewAt()
            : issuer.policy().renewAt(certificate.notBefore(), certificate.notAfter(), null, name.hashCode());
        if (now < renewAt || state.backingOff(now)) {
          return Future.succeededFuture();
        }
        LOG.info("Renewing the certificate of {} (expires {})", name, Instant.ofEpochMilli(certificate.notAfter()));
        return issuer.issue(name).mapEmpty();
      });
    });
  }

  /**
   * Asks the CA for its renewal window of {@code certificate} when the last answer is older
   * than {@link #RENEWAL_INFO_REFRESH_MS} and records the renewal time it gives; the state as
   * it was when the CA offers no renewal information or does not answer.
   */
  private Future<IssuanceState> refreshRenewalInfo(String name, StoredCertificate certificate, IssuanceState state) {
    long now = System.currentTimeMillis();
    if (!IssuanceState.ISSUED.equals(state.status()) || state.notAfter() != certificate.notAfter()
        || now - state.renewalInfoCheckedAt() < RENEWAL_INFO_REFRESH_MS) {
      return Future.succeededFuture(state);
    }
    return vertx.executeBlocking(() -> acme.offersRenewalInfo()
            ? acme.renewalSuggestion(Pem.leaf(certificate.certificatePem())).orElse(null) : null, false)
        .compose(suggestion -> {
          long renewAt = issuer.policy().renewAt(certificate.notBefore(), certificate.notAfter(), suggestion,
              name.hashCode());
          IssuanceState checked = state.renewalInfoChecked(now, renewAt);
          return records.writeState(name, checked).map(checked);
        })
        .recover(e -> {
          LOG.info("No renewal information for {} from the CA: {}", name, e.getMessage());
          return Future.succeededFuture(state);
        });
  }
}
