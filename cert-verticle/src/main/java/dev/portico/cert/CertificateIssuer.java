package dev.portico.cert;

import dev.portico.cert.dns.DnsProviderException;
import dev.portico.contract.Addresses;
import dev.portico.contract.CertKeys;
import dev.portico.contract.HostName;
import dev.portico.contract.Pem;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.SecretBox;
import dev.portico.contract.Site;
import dev.portico.contract.StoredCertificate;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Issues (or renews) the certificate of one name: checks that the name is a configured
 * {@code tls: auto} site, respects the name's failure backoff, takes the name's cluster-wide
 * lock, runs the ACME exchange on a worker thread, then stores the certificate (key sealed),
 * announces it and records the attempt in {@code portico:cert-state:<name>} (through
 * {@link IssuanceRecords}).
 */
final class CertificateIssuer {

  private static final Logger LOG = LoggerFactory.getLogger(CertificateIssuer.class);
  private static final long LOCK_POLL_MS = 250;
  /** The name's lock lives this long unless extended: an issuance keeps it alive while it runs. */
  private static final long LOCK_LEASE_MS = 30_000;

  /** What one order asks for and how it proves control: HTTP-01 for a name, DNS-01 for a wildcard. */
  private record Plan(List<String> names, AcmeClient.Responder responder) {
  }

  private final Vertx vertx;
  private final Redis redis;
  private final IssuanceRecords records;
  private final AcmeClient acme;
  private final SecretBox secrets;
  private final CertOptions options;
  private final RenewalPolicy policy;
  private final String holderId;
  private final CertMetrics metrics;
  private final Dns01Responders dns01;
  /** The issuances this node runs now (touched on the verticle's event loop only). */
  private final Set<Future<JsonObject>> running = new HashSet<>();
  private boolean stopping;

  CertificateIssuer(Vertx vertx, Redis redis, AcmeClient acme, SecretBox secrets, CertOptions options,
      String holderId, CertMetrics metrics, Dns01Responders dns01) {
    this.metrics = metrics;
    this.dns01 = dns01;
    this.vertx = vertx;
    this.redis = redis;
    this.records = new IssuanceRecords(redis);
    this.acme = acme;
    this.secrets = secrets;
    this.options = options;
    this.policy = new RenewalPolicy(options.renewBeforeDays());
    this.holderId = holderId;
  }

  CertMetrics metrics() {
    return metrics;
  }

  RenewalPolicy policy() {
    return policy;
  }

  IssuanceRecords records() {
    return records;
  }

  /** Issues a certificate for {@code name}; the reply of {@link Addresses#CERT_ISSUE}. */
  Future<JsonObject> issue(String name) {
    long requestedAt = System.currentTimeMillis();
    if (stopping) {
      return Future.succeededFuture(failed(name, "the certificate role is stopping"));
    }
    if (name == null || !(name.equals(HostName.canonical(name))
        || (name.startsWith("*.") && name.substring(2).equals(HostName.canonical(name.substring(2)))))) {
      return Future.succeededFuture(failed(name, "not a canonical host name"));
    }
    long timeoutMs = timeoutMs(name);
    return records.eligibleSite(name).compose(site -> records.state(name).compose(state -> {
      if (state.backingOff(requestedAt)) {
        return Future.succeededFuture(backingOff(name, state));
      }
      Lease lock = new Lease(redis, CertKeys.certLock(name), holderId, LOCK_LEASE_MS);
      return lock.acquire().compose(held -> held
          ? tracked(issueHoldingLock(name, site, requestedAt, lock))
          : awaitOtherIssuer(name, requestedAt, requestedAt + timeoutMs));
    }), e -> {
      if (e instanceof IssuanceRecords.NotEligible) {
        LOG.info("Not issuing a certificate for {}: {}", name, e.getMessage());
        return Future.succeededFuture(failed(name, e.getMessage()));
      }
      return Future.failedFuture(e);
    });
  }

  private Future<JsonObject> tracked(Future<JsonObject> issuance) {
    running.add(issuance);
    return issuance.andThen(ar -> running.remove(issuance));
  }

  /**
   * Refuses new issuances, and completes when those under way have ended, or after
   * {@code maxWaitMs}: a stopping verticle lets them withdraw their DNS-01 records before its
   * HTTP client closes.
   */
  Future<Void> stop(long maxWaitMs) {
    stopping = true;
    if (!running.isEmpty()) {
      LOG.info("Waiting for {} certificate issuance(s) to end", running.size());
    }
    return idle(System.currentTimeMillis() + maxWaitMs);
  }

  /** Waits again when an issuance that had begun before the stop took its lock meanwhile. */
  private Future<Void> idle(long deadline) {
    long left = deadline - System.currentTimeMillis();
    if (running.isEmpty() || left <= 0) {
      return Future.succeededFuture();
    }
    return Future.join(List.copyOf(running)).<Void>mapEmpty().timeout(left, TimeUnit.MILLISECONDS)
        .transform(ar -> ar.succeeded() ? idle(deadline) : Future.succeededFuture());
  }

  /** The longest one issuance of {@code name} may take: DNS-01 adds the wait for the name servers. */
  private long timeoutMs(String name) {
    return name.startsWith("*.") ? options.dns01IssueTimeoutMs() : options.issueTimeoutMs();
  }

  /**
   * A name is proven with HTTP-01, answered by every edge. A wildcard {@code *.example.com} can only
   * be proven with DNS-01, through the DNS provider covering {@code example.com}; with the site's
   * {@code includeApex}, the order names {@code example.com} too.
   */
  private Future<Plan> plan(String name, Site site, long deadline) {
    if (!name.startsWith("*.")) {
      return Future.succeededFuture(new Plan(List.of(name), new Http01Responder(redis)));
    }
    String apex = name.substring(2);
    List<String> names = site.includeApex() ? List.of(name, apex) : List.of(name);
    return dns01.forName(apex, deadline).map(responder -> new Plan(names, responder));
  }

  private Future<JsonObject> issueHoldingLock(String name, Site site, long requestedAt, Lease lock) {
    lock.keepAlive(vertx);
    return records.state(name).compose(state -> {
      // another node may have finished this very request between our state read and the lock
      if (IssuanceState.ISSUED.equals(state.status()) && state.lastAttemptAt() >= requestedAt) {
        return Future.succeededFuture(issued(name));
      }
      if (state.backingOff(requestedAt)) {
        return Future.succeededFuture(backingOff(name, state));
      }
      long startedAt = System.currentTimeMillis();
      long startedNanos = System.nanoTime();
      return records.writeState(name, state.pending(startedAt))
          .compose(v -> Future.all(plan(name, site, startedAt + timeoutMs(name)), records.existingLeaf(name)))
          .compose(ready -> {
            Plan plan = ready.resultAt(0);
            X509Certificate replacing = ready.resultAt(1);
            return vertx.executeBlocking(() -> acme.issue(plan.names(), plan.responder(),
                    Duration.ofMillis(timeoutMs(name)), replacing), false)
                .compose(issuedCert -> lock.lost()
                    ? Future.failedFuture(new AcmeClient.AcmeFailure("lost the issuance lock (Redis out of reach for "
                        + LOCK_LEASE_MS / 1000 + " s?): the certificate is not stored, another node may be issuing"))
                    : store(name, plan.names(), issuedCert, startedAt));
          })
          .andThen(ar -> metrics.attempted(ar.succeeded(), System.nanoTime() - startedNanos))
          .recover(e -> stopping ? leftPending(name, message(e)) : recordFailure(name, state, message(e)));
    }).eventually(lock::release);
  }

  private Future<JsonObject> store(String name, List<String> names, AcmeClient.Issued issued, long startedAt) {
    X509Certificate leaf = issued.chain().get(0);
    long notBefore = leaf.getNotBefore().getTime();
    long notAfter = leaf.getNotAfter().getTime();
    StoredCertificate certificate = new StoredCertificate(name, names, Pem.encode(issued.chain().toArray()),
        secrets.seal(Pem.encode(issued.key().getPrivate()), RedisKeys.cert(name)), notBefore, notAfter,
        leaf.getIssuerX500Principal().getName(), "acme");
    long renewAt = policy.renewAt(notBefore, notAfter, issued.renewalSuggestion(), name.hashCode());
    return records.storeIssued(certificate, IssuanceState.issued(startedAt, notAfter, renewAt))
        .map(v -> {
          metrics.expires(name, notAfter);
          vertx.eventBus().publish(Addresses.CERT_CHANGED, new JsonObject().put("name", name));
          LOG.info("Issued a certificate for {} (serial {}, expires {}, renewal due {})", name,
              leaf.getSerialNumber().toString(16), Instant.ofEpochMilli(notAfter), Instant.ofEpochMilli(renewAt));
          return issued(name);
        });
  }

  /**
   * An issuance the stop ended is no failure of the name: its state stays {@code pending}, and
   * with the lock released a running node's scheduler takes it up at once, without a backoff.
   */
  private Future<JsonObject> leftPending(String name, String error) {
    LOG.info("Issuance of {} ended by the stop ({}); left pending for another node", name, error);
    return Future.succeededFuture(failed(name, error));
  }

  private Future<JsonObject> recordFailure(String name, IssuanceState before, String error) {
    IssuanceState failed = before.failed(System.currentTimeMillis(), error, options.backoffBaseMs(),
        options.backoffMaxMs());
    LOG.warn("Certificate for {} not issued (failure {}, next attempt after {}): {}", name, failed.attempts(),
        Instant.ofEpochMilli(failed.nextAttemptAt()), error);
    return records.writeState(name, failed).otherwiseEmpty().map(v -> failed(name, error));
  }

  /** Another node holds the name's lock: wait for it to finish, then answer with its outcome. */
  private Future<JsonObject> awaitOtherIssuer(String name, long requestedAt, long deadline) {
    return redis.send(Request.cmd(Command.EXISTS).arg(CertKeys.certLock(name))).compose(exists -> {
      if (exists.toLong() == 1L) {
        if (System.currentTimeMillis() > deadline) {
          return Future.succeededFuture(failed(name, "another node is still issuing this certificate"));
        }
        Promise<JsonObject> later = Promise.promise();
        vertx.setTimer(LOCK_POLL_MS, t -> awaitOtherIssuer(name, requestedAt, deadline).onComplete(later));
        return later.future();
      }
      return records.state(name).map(state -> switch (state.status()) {
        case IssuanceState.ISSUED -> issued(name);
        case IssuanceState.FAILED -> failed(name, state.error());
        default -> failed(name, "the other node's attempt ended without a result");
      });
    });
  }

  private static JsonObject backingOff(String name, IssuanceState state) {
    return failed(name, "backing off after " + state.attempts() + " failure(s) until "
        + Instant.ofEpochMilli(state.nextAttemptAt()) + "; last error: " + state.error());
  }

  private static JsonObject issued(String name) {
    return new JsonObject().put("name", name).put("status", IssuanceState.ISSUED);
  }

  private static JsonObject failed(String name, String error) {
    return new JsonObject().put("name", name).put("status", IssuanceState.FAILED).put("error", error);
  }

  private static String message(Throwable e) {
    if (e instanceof AcmeClient.AcmeFailure || e instanceof DnsProviderException) {
      return e.getMessage();
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
