package dev.portico.launcher;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
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
    String tlsEngine,
    int onDemandTlsTimeoutMs,
    Path fallbackCertFile,
    Path fallbackKeyFile,
    String secretKey) {

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
        tlsEngine(env.getOrDefault("PORTICO_TLS_ENGINE", "auto")),
        positive(env, "PORTICO_ON_DEMAND_TLS_TIMEOUT_MS", 20_000),
        readableFile(env, "PORTICO_FALLBACK_CERT_FILE", "PORTICO_FALLBACK_KEY_FILE"),
        readableFile(env, "PORTICO_FALLBACK_KEY_FILE", "PORTICO_FALLBACK_CERT_FILE"),
        env.get("PORTICO_SECRET_KEY"));
  }

  @Override
  public String toString() {
    return "PorticoConfig[http " + httpPort + ", https " + httpsPort + ", roles " + roles + "]";
  }

  private static String tlsEngine(String value) {
    String engine = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (!Set.of("auto", "openssl", "jdk").contains(engine)) {
      throw new ConfigException("PORTICO_TLS_ENGINE='" + value + "' must be auto, openssl or jdk");
    }
    return engine;
  }

  /** A file named by {@code name}, which must be given together with {@code partner}. */
  private static Path readableFile(Map<String, String> env, String name, String partner) {
    String value = env.get(name);
    boolean partnerSet = env.get(partner) != null && !env.get(partner).isBlank();
    if (value == null || value.isBlank()) {
      if (partnerSet) {
        throw new ConfigException(partner + " is set but " + name + " is not: give both or neither");
      }
      return null;
    }
    Path path = Path.of(value.trim());
    if (!Files.isReadable(path)) {
      throw new ConfigException(name + "='" + value + "' is not a readable file");
    }
    return path;
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
        .put("tlsEngine", tlsEngine)
        .put("onDemandTlsTimeoutMs", onDemandTlsTimeoutMs)
        .put("fallbackCertFile", fallbackCertFile == null ? null : fallbackCertFile.toString())
        .put("fallbackKeyFile", fallbackKeyFile == null ? null : fallbackKeyFile.toString())
        .put("secretKey", secretKey);
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
