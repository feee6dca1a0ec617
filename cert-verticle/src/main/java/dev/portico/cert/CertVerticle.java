package dev.portico.cert;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate role. ACME issuance and renewal arrive with the TLS issue; until then this role
 * can be named in {@code PORTICO_ROLES} (so deployments need no change later) and does nothing.
 */
public final class CertVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CertVerticle.class);

  @Override
  public Future<?> start() {
    LOG.info("Certificate role started: ACME issuance is not available in this version");
    return Future.succeededFuture();
  }
}
