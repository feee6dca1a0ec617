package dev.portico.cert;

import dev.portico.contract.CertKeys;
import dev.portico.contract.IndexKeys;
import dev.portico.contract.InvalidSiteException;
import dev.portico.contract.Pem;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.Site;
import dev.portico.contract.StoredCertificate;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;

/**
 * What the cert role reads and writes in Redis for one name: the site that asks for its
 * certificate, the stored certificate, and the issuance state {@code portico:cert-state:<name>}
 * (the issuer and the renewal scheduler both go through here).
 */
final class IssuanceRecords {

  private static final Logger LOG = LoggerFactory.getLogger(IssuanceRecords.class);

  /** Why a name gets no certificate at all (not a failed attempt: nothing is recorded). */
  static final class NotEligible extends Exception {
    NotEligible(String reason) {
      super(reason, null, false, false);
    }
  }

  private final Redis redis;

  IssuanceRecords(Redis redis) {
    this.redis = redis;
  }

  /** The site of {@code name}, when it may get a certificate; else fails with {@link NotEligible}. */
  Future<Site> eligibleSite(String name) {
    return redis.send(Request.cmd(Command.GET).arg(RedisKeys.site(name))).compose(response -> {
      if (response == null) {
        return Future.failedFuture(new NotEligible("no site " + name + " is configured"));
      }
      Site site;
      try {
        site = Site.fromJson(response.toString());
      } catch (InvalidSiteException e) {
        return Future.failedFuture(new NotEligible("site " + name + " is invalid: " + e.getMessage()));
      }
      return site.tls() == Site.TlsMode.AUTO ? Future.succeededFuture(site)
          : Future.failedFuture(new NotEligible("site " + name + " does not use \"tls\": \"auto\""));
    });
  }

  Future<IssuanceState> state(String name) {
    return redis.send(Request.cmd(Command.GET).arg(CertKeys.certState(name)))
        .map(response -> response == null ? IssuanceState.none()
            : IssuanceState.fromJson(new JsonObject(response.toString())));
  }

  Future<Void> writeState(String name, IssuanceState state) {
    return redis.send(Request.cmd(Command.SET).arg(CertKeys.certState(name)).arg(state.toJson().encode()))
        .mapEmpty();
  }

  /** Forgets the issuance state of {@code name}: its site no longer asks for a certificate. */
  Future<Void> deleteState(String name) {
    return redis.send(Request.cmd(Command.DEL).arg(CertKeys.certState(name))).mapEmpty();
  }

  /** The certificate stored for {@code name}, or {@code null}; fails when it does not parse. */
  Future<StoredCertificate> storedCertificate(String name) {
    return redis.send(Request.cmd(Command.GET).arg(RedisKeys.cert(name)))
        .map(response -> response == null ? null : certificate(response));
  }

  /** The leaf of the stored certificate being renewed, or {@code null}. */
  Future<X509Certificate> existingLeaf(String name) {
    return redis.send(Request.cmd(Command.GET).arg(RedisKeys.cert(name))).map(response -> {
      if (response == null) {
        return null;
      }
      try {
        return Pem.leaf(certificate(response).certificatePem());
      } catch (Exception e) {
        LOG.info("The stored certificate of {} does not parse; issuing a new one: {}", name, e.getMessage());
        return null;
      }
    });
  }

  private static StoredCertificate certificate(Response stored) {
    return StoredCertificate.fromJson(new JsonObject(stored.toString()));
  }

  /**
   * Stores a new certificate with its {@code issued} state, lists it and announces it to every
   * node. One write for the certificate and its state: no reader (the admin API, the scheduler of
   * another node) sees the new certificate under a state that still says "pending".
   */
  Future<Void> storeIssued(StoredCertificate certificate, IssuanceState issued) {
    String name = certificate.name();
    return redis.send(Request.cmd(Command.MSET).arg(RedisKeys.cert(name)).arg(certificate.toJson().encode())
            .arg(CertKeys.certState(name)).arg(issued.toJson().encode()))
        .compose(v -> redis.send(Request.cmd(Command.ZADD).arg(IndexKeys.CERT_INDEX).arg(0).arg(name)))
        .compose(v -> redis.send(Request.cmd(Command.PUBLISH).arg(RedisKeys.CERT_CHANGES_CHANNEL).arg(name)))
        .mapEmpty();
  }
}
