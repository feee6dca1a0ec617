package dev.portico.launcher;

import dev.portico.admin.AdminVerticle;
import dev.portico.cert.CertVerticle;
import dev.portico.edge.EdgeVerticle;
import dev.portico.lookup.LookupVerticle;
import io.vertx.core.Deployable;

import java.util.function.Supplier;

/** The roles a Portico node can run, in the order they start (lookup before the edges ask it). */
public enum Role {
  LOOKUP(LookupVerticle::new),
  EDGE(EdgeVerticle::new),
  ADMIN(AdminVerticle::new),
  CERT(CertVerticle::new);

  private final Supplier<Deployable> verticle;

  Role(Supplier<Deployable> verticle) {
    this.verticle = verticle;
  }

  Supplier<Deployable> verticle() {
    return verticle;
  }

  /** The name used in {@code PORTICO_ROLES}. */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
