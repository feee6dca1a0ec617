package dev.portico.cert;

import dev.portico.contract.Addresses;
import dev.portico.contract.HostName;
import dev.portico.contract.InvalidSiteException;
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
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issues (or renews) the certificate of one name: checks that the name is a configured
 * {@code tls: auto} site, respects the name's failure backoff, takes the name's cluster-wide
 * lock, runs the ACME exchange on a worker thread, then stores the certificate (key sealed),
 * announces it and records the attempt in {@code portico:cert-state:<name>}.
 */
final class CertificateIssuer {

  private static final Logger LOG = LoggerFactory.getLogger(CertificateIssuer.class);
  private static final long LOCK_POLL_MS = 250;
  /** How long a published challenge answer lives if its withdrawal is lost. */
  private static final long CHALLENGE_TTL_MS = 600_000;

  private final Vertx vertx;
  private final Redis redis;
  private final AcmeClient acme;
  private final SecretBox secrets;
  private final CertOptions options;
  private final RenewalPolicy policy;
  private final String holderId;
  private final CertMetrics metrics;

  CertificateIssuer(Vertx vertx, Redis redis, AcmeClient acme, SecretBox secrets, CertOptions options,
      String holderId, CertMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.redis = redis;
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

  /** Issues a certificate for {@code name}; the reply of {@link Addresses#CERT_ISSUE}. */
  Future<JsonObject> issue(String name) {
    long requestedAt = System.currentTimeMillis();
    if (name == null || !(name.equals(HostName.canonical(name))
        || (name.startsWith("*.") && name.substring(2).equals(HostName.canonical(name.substring(2)))))) {
      return Future.succeededFuture(failed(name, "not a canonical host name"));
    }
    return eligibility(name).compose(refusal -> {
      if (refusal != null) {
        LOG.info("Not issuing a certificate for {}: {}", name, refusal);
        return Future.succeededFuture(failed(name, refusal));
      }
      return state(name).compose(state -> {
        if (state.backingOff(requestedAt)) {
          return Future.succeededFuture(backingOff(name, state));
        }
        Lease lock = new Lease(redis, RedisKeys.certLock(name), holderId, options.issueTimeoutMs() + 30_000);
        return lock.acquire().compose(held -> held
            ? issueHoldingLock(name, requestedAt, lock)
            : awaitOtherIssuer(name, requestedAt, requestedAt + options.issueTimeoutMs()));
      });
    });
  }

  /** {@code null} when {@code name} may get a certificate, else why not. */
  private Future<String> eligibility(String name) {
    return redis.send(Request.cmd(Command.GET).arg(RedisKeys.site(name))).map(response -> {
      if (response == null) {
        return "no site " + name + " is configured";
      }
      Site site;
      try {
        site = Site.fromJson(response.toString());
      } catch (InvalidSiteException e) {
        return "site " + name + " is invalid: " + e.getMessage();
      }
      return site.tls() == Site.TlsMode.AUTO ? null : "site " + name + " does not use \"tls\": \"auto\"";
    });
  }

  private Future<JsonObject> issueHoldingLock(String name, long requestedAt, Lease lock) {
    return state(name).compose(state -> {
      // another node may have finished this very request between our state read and the lock
      if (IssuanceState.ISSUED.equals(state.status()) && state.lastAttemptAt() >= requestedAt) {
        return Future.succeededFuture(issued(name));
      }
      if (state.backingOff(requestedAt)) {
        return Future.succeededFuture(backingOff(name, state));
      }
      if (name.startsWith("*.")) {
        return recordFailure(name, state, "wildcard certificates need DNS-01, which is not available yet");
      }
      long startedAt = System.currentTimeMillis();
      long startedNanos = System.nanoTime();
      return writeState(name, state.pending(startedAt))
          .compose(v -> existingLeaf(name))
          .compose(replacing -> vertx.executeBlocking(() -> acme.issue(name, challengeAnswers(),
              Duration.ofMillis(options.issueTimeoutMs()), replacing), false))
          .compose(issuedCert -> store(name, issuedCert, startedAt))
          .andThen(ar -> metrics.attempted(ar.succeeded(), System.nanoTime() - startedNanos))
          .recover(e -> recordFailure(name, state, message(e)));
    }).eventually(lock::release);
  }

  private Future<JsonObject> store(String name, AcmeClient.Issued issued, long startedAt) {
    X509Certificate leaf = issued.chain().get(0);
    long notBefore = leaf.getNotBefore().getTime();
    long notAfter = leaf.getNotAfter().getTime();
    String key = RedisKeys.cert(name);
    StoredCertificate certificate;
    try {
      certificate = new StoredCertificate(name, List.of(name), Pem.certificates(issued.chain()),
          secrets.seal(Pem.privateKey(issued.key().getPrivate()), key), notBefore, notAfter,
          leaf.getIssuerX500Principal().getName(), "acme");
    } catch (GeneralSecurityException e) {
      return Future.failedFuture(e);
    }
    long renewAt = policy.renewAt(notBefore, notAfter, issued.renewalSuggestion(), name.hashCode());
    return redis.send(Request.cmd(Command.SET).arg(key).arg(certificate.toJson().encode()))
        .compose(v -> redis.send(Request.cmd(Command.PUBLISH).arg(RedisKeys.CERT_CHANGES_CHANNEL).arg(name)))
        .compose(v -> writeState(name, IssuanceState.issued(startedAt, notAfter, renewAt)))
        .map(v -> {
          metrics.expires(name, notAfter);
          vertx.eventBus().publish(Addresses.CERT_CHANGED, new JsonObject().put("name", name));
          LOG.info("Issued a certificate for {} (serial {}, expires {}, renewal due {})", name,
              leaf.getSerialNumber().toString(16), Instant.ofEpochMilli(notAfter), Instant.ofEpochMilli(renewAt));
          return issued(name);
        });
  }

  private Future<JsonObject> recordFailure(String name, IssuanceState before, String error) {
    IssuanceState failed = before.failed(System.currentTimeMillis(), error, options.backoffBaseMs(),
        options.backoffMaxMs());
    LOG.warn("Certificate for {} not issued (failure {}, next attempt after {}): {}", name, failed.attempts(),
        Instant.ofEpochMilli(failed.nextAttemptAt()), error);
    return writeState(name, failed).otherwiseEmpty().map(v -> failed(name, error));
  }

  /** Another node holds the name's lock: wait for it to finish, then answer with its outcome. */
  private Future<JsonObject> awaitOtherIssuer(String name, long requestedAt, long deadline) {
    return redis.send(Request.cmd(Command.EXISTS).arg(RedisKeys.certLock(name))).compose(exists -> {
      if (exists.toLong() == 1L) {
        if (System.currentTimeMillis() > deadline) {
          return Future.succeededFuture(failed(name, "another node is still issuing this certificate"));
        }
        Promise<JsonObject> later = Promise.promise();
        vertx.setTimer(LOCK_POLL_MS, t -> awaitOtherIssuer(name, requestedAt, deadline).onComplete(later));
        return later.future();
      }
      return state(name).map(state -> switch (state.status()) {
        case IssuanceState.ISSUED -> issued(name);
        case IssuanceState.FAILED -> failed(name, state.error());
        default -> failed(name, "the other node's attempt ended without a result");
      });
    });
  }

  Future<IssuanceState> state(String name) {
    return redis.send(Request.cmd(Command.GET).arg(RedisKeys.certState(name)))
        .map(response -> response == null ? IssuanceState.none()
            : IssuanceState.fromJson(new JsonObject(response.toString())));
  }

  Future<Void> writeState(String name, IssuanceState state) {
    return redis.send(Request.cmd(Command.SET).arg(RedisKeys.certState(name)).arg(state.toJson().encode()))
        .mapEmpty();
  }

  /** The leaf of the stored certificate being renewed, or {@code null}. */
  private Future<X509Certificate> existingLeaf(String name) {
    return redis.send(Request.cmd(Command.GET).arg(RedisKeys.cert(name))).map(response -> {
      if (response == null) {
        return null;
      }
      try {
        return Pem.leaf(StoredCertificate.fromJson(new JsonObject(response.toString())).certificatePem());
      } catch (Exception e) {
        LOG.info("The stored certificate of {} does not parse; issuing a new one: {}", name, e.getMessage());
        return null;
      }
    });
  }

  /** Challenge answers written to Redis from the worker thread, waiting for Redis' reply. */
  private AcmeClient.ChallengeAnswers challengeAnswers() {
    return new AcmeClient.ChallengeAnswers() {
      @Override
      public void publish(String token, String keyAuthorization) throws Exception {
        redis.send(Request.cmd(Command.SET).arg(RedisKeys.acmeHttp01(token)).arg(keyAuthorization)
            .arg("PX").arg(CHALLENGE_TTL_MS)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }

      @Override
      public void withdraw(String token) {
        redis.send(Request.cmd(Command.DEL).arg(RedisKeys.acmeHttp01(token)));
      }
    };
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
    if (e instanceof AcmeClient.AcmeFailure) {
      return e.getMessage();
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
