package dev.portico.launcher;

import dev.portico.admin.AdminVerticle;
import dev.portico.cert.CertVerticle;
import dev.portico.edge.EdgeVerticle;
import dev.portico.lookup.LookupVerticle;
import io.vertx.core.Deployable;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

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

  /** The roles {@code PORTICO_ROLES} names, comma-separated. */
  static Set<Role> parseAll(String value) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : value.split(",")) {
      String trimmed = name.trim().toLowerCase(java.util.Locale.ROOT);
      if (trimmed.isEmpty()) {
        continue;
      }
      roles.add(Arrays.stream(Role.values()).filter(role -> role.configName().equals(trimmed)).findFirst()
          .orElseThrow(() -> new ConfigException("PORTICO_ROLES names an unknown role '" + trimmed + "' (known: "
              + Arrays.stream(Role.values()).map(Role::configName).collect(Collectors.joining(", ")) + ")")));
    }
    if (roles.isEmpty()) {
      throw new ConfigException("PORTICO_ROLES is empty: name at least one of edge, lookup, admin, cert");
    }
    return roles;
  }
}
