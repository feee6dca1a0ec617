package dev.portico.launcher;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Portico's configuration, read from {@code PORTICO_*} environment variables. The README's
 * configuration table lists the same variables.
 */
public record PorticoConfig(
    String bindHost,
    int httpPort,
    int httpsPort,
    int adminPort,
    String redisUrl,
    int embeddedRedisPort,
    Path dataDir,
    Set<Role> roles,
    boolean cluster,
    int edgeInstances,
    int routeCacheSize,
    int routeHitTtlMs,
    int routeMissTtlMs,
    int lookupTimeoutMs,
    String secretKey,
    AcmeSettings acme) {

  /**
   * The cert role's ACME settings.
   *
   * @param caBundle path of a PEM file of extra CAs trusted for the ACME server's HTTPS, or null
   */
  public record AcmeSettings(String directory, String email, String caBundle, int issueTimeoutMs,
      int renewalCheckIntervalMs, int renewBeforeDays, int backoffBaseMs) {

    static AcmeSettings fromEnvironment(Map<String, String> env) {
      String directory = env.getOrDefault("PORTICO_ACME_DIRECTORY", "https://acme-v02.api.letsencrypt.org/directory").trim();
      if (!directory.startsWith("https://") && !directory.startsWith("http://")) {
        throw new ConfigException("PORTICO_ACME_DIRECTORY='" + directory + "' must be an http(s):// URL");
      }
      String caBundle = blankToNull(env.get("PORTICO_ACME_CA_BUNDLE"));
      if (caBundle != null && !java.nio.file.Files.isReadable(Path.of(caBundle))) {
        throw new ConfigException("PORTICO_ACME_CA_BUNDLE='" + caBundle + "' is not a readable file");
      }
      return new AcmeSettings(directory, blankToNull(env.get("PORTICO_ACME_EMAIL")), caBundle,
          positive(env, "PORTICO_ACME_ISSUE_TIMEOUT_MS", 90_000),
          positive(env, "PORTICO_ACME_RENEWAL_CHECK_MS", 3_600_000),
          positive(env, "PORTICO_ACME_RENEW_BEFORE_DAYS", 30),
          positive(env, "PORTICO_ACME_BACKOFF_BASE_MS", 60_000));
    }
  }

  public static PorticoConfig fromEnvironment(Map<String, String> env) {
    return new PorticoConfig(
        env.getOrDefault("PORTICO_BIND", "0.0.0.0"),
        port(env, "PORTICO_HTTP_PORT", 8080),
        port(env, "PORTICO_HTTPS_PORT", 8443),
        port(env, "PORTICO_ADMIN_PORT", 9090),
        redisUrl(env.get("PORTICO_REDIS_URL")),
        port(env, "PORTICO_EMBEDDED_REDIS_PORT", 6379),
        Path.of(env.getOrDefault("PORTICO_DATA_DIR", "./data")),
        roles(env.getOrDefault("PORTICO_ROLES", "edge,lookup,admin,cert")),
        onOff(env, "PORTICO_CLUSTER", false),
        positive(env, "PORTICO_EDGE_INSTANCES", Runtime.getRuntime().availableProcessors()),
        positive(env, "PORTICO_ROUTE_CACHE_SIZE", 100_000),
        positive(env, "PORTICO_ROUTE_HIT_TTL_MS", 30_000),
        positive(env, "PORTICO_ROUTE_MISS_TTL_MS", 10_000),
        positive(env, "PORTICO_LOOKUP_TIMEOUT_MS", 2_000),
        blankToNull(env.get("PORTICO_SECRET_KEY")),
        AcmeSettings.fromEnvironment(env));
  }

  /** Whether Portico starts its own Redis (no {@code PORTICO_REDIS_URL} given). */
  public boolean embeddedRedis() {
    return redisUrl == null;
  }

  /** The Redis every verticle connects to. */
  public String effectiveRedisUrl() {
    return embeddedRedis() ? "redis://127.0.0.1:" + embeddedRedisPort : redisUrl;
  }

  /** The deployment configuration every verticle reads its options from. */
  public JsonObject verticleConfig() {
    return new JsonObject()
        .put("host", bindHost)
        .put("httpPort", httpPort)
        .put("httpsPort", httpsPort)
        .put("adminPort", adminPort)
        .put("redisUrl", effectiveRedisUrl())
        .put("routeCacheSize", routeCacheSize)
        .put("routeHitTtlMs", routeHitTtlMs)
        .put("routeMissTtlMs", routeMissTtlMs)
        .put("lookupTimeoutMs", lookupTimeoutMs)
        .put("secretKey", secretKey)
        .put("acmeDirectory", acme.directory())
        .put("acmeEmail", acme.email())
        .put("acmeCaBundle", acme.caBundle())
        .put("acmeIssueTimeoutMs", acme.issueTimeoutMs())
        .put("renewalCheckIntervalMs", acme.renewalCheckIntervalMs())
        .put("renewBeforeDays", acme.renewBeforeDays())
        .put("acmeBackoffBaseMs", acme.backoffBaseMs());
  }

  /** The configuration without its secret, for log lines and error messages. */
  @Override
  public String toString() {
    return "PorticoConfig" + verticleConfig().put("secretKey", secretKey == null ? null : "(set)").encode();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static int port(Map<String, String> env, String name, int defaultValue) {
    int port = integer(env, name, defaultValue);
    if (port < 1 || port > 65535) {
      throw new ConfigException(name + "=" + port + " is not a port (1-65535)");
    }
    return port;
  }

  private static int positive(Map<String, String> env, String name, int defaultValue) {
    int value = integer(env, name, defaultValue);
    if (value < 1) {
      throw new ConfigException(name + "=" + value + " must be at least 1");
    }
    return value;
  }

  private static int integer(Map<String, String> env, String name, int defaultValue) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "='" + value + "' is not a number");
    }
  }

  private static boolean onOff(Map<String, String> env, String name, boolean defaultValue) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default -> throw new ConfigException(name + "='" + value + "' must be on or off");
    };
  }

  private static String redisUrl(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!value.startsWith("redis://") && !value.startsWith("rediss://")) {
      throw new ConfigException("PORTICO_REDIS_URL='" + value + "' must start with redis:// or rediss://");
    }
    return value.trim();
  }

  private static Set<Role> roles(String value) {
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
