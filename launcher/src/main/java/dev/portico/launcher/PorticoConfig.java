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
    int jwtTtlSeconds,
    int metricsSiteLimit,
    boolean vertxHttpMetrics,
    AccessLog accessLog,
    boolean jsonLogs,
    String metricsRegistry,
    String dnsResolver,
    Secrets secrets) {

  /** Where the access log goes. */
  public enum AccessLog { STDOUT, FILE, OFF }

  /**
   * The secrets in the configuration, apart so that printing the configuration never prints
   * them. PEM values may be given inline or as the path of a file.
   */
  public record Secrets(String adminPassword, String jwtSecret, String jwtPrivateKey, String jwtPublicKey,
      String secretKey) {

    @Override
    public String toString() {
      return "Secrets[not shown]";
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
        positive(env, "PORTICO_JWT_TTL_S", 3600),
        positive(env, "PORTICO_METRICS_SITE_LIMIT", 100),
        onOff(env, "PORTICO_METRICS_VERTX_HTTP", false),
        accessLog(env.getOrDefault("PORTICO_ACCESS_LOG", "stdout")),
        logFormat(env.getOrDefault("PORTICO_LOG_FORMAT", "text")),
        "portico-" + java.util.UUID.randomUUID(),
        dnsResolver(env.get("PORTICO_DNS_RESOLVER")),
        new Secrets(blankToNull(env.get("PORTICO_ADMIN_PASSWORD")), blankToNull(env.get("PORTICO_JWT_SECRET")),
            pem(env, "PORTICO_JWT_PRIVATE_KEY"), pem(env, "PORTICO_JWT_PUBLIC_KEY"),
            blankToNull(env.get("PORTICO_SECRET_KEY"))));
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
        .put("jwtTtlSeconds", jwtTtlSeconds)
        .put("metricsRegistry", metricsRegistry)
        .put("metricsSiteLimit", metricsSiteLimit)
        .put("dnsResolver", dnsResolver)
        .put("adminPassword", secrets.adminPassword())
        .put("jwtSecret", secrets.jwtSecret())
        .put("jwtPrivateKey", secrets.jwtPrivateKey())
        .put("jwtPublicKey", secrets.jwtPublicKey())
        .put("secretKey", secrets.secretKey());
  }

  /**
   * {@code host:port} of the resolver for targets given by name: the variable (port 53 when not
   * given), else the first {@code nameserver} of {@code /etc/resolv.conf}.
   */
  private static String dnsResolver(String value) {
    String address = blankToNull(value);
    if (address == null) {
      try {
        address = java.nio.file.Files.readAllLines(Path.of("/etc/resolv.conf")).stream().map(String::trim)
            .filter(line -> line.startsWith("nameserver")).map(line -> line.split("\\s+"))
            .filter(parts -> parts.length > 1).map(parts -> parts[1]).findFirst().orElse("127.0.0.53");
      } catch (java.io.IOException e) {
        address = "127.0.0.53";
      }
    }
    address = address.trim();
    boolean hasPort = address.startsWith("[") ? address.contains("]:") : address.indexOf(':') == address.lastIndexOf(':')
        && address.indexOf(':') > 0;
    String hostPart = hasPort ? address.substring(0, address.lastIndexOf(':')) : address;
    String host = hostPart.replace("[", "").replace("]", "");
    if (io.netty.util.NetUtil.createByteArrayFromIpAddressString(host) == null) {
      throw new ConfigException("PORTICO_DNS_RESOLVER='" + value + "' is not an IP address with an optional port");
    }
    int port = hasPort ? parsePort("PORTICO_DNS_RESOLVER", address.substring(address.lastIndexOf(':') + 1)) : 53;
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static int parsePort(String name, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigException(name + " has an invalid port '" + text + "'");
  }

  private static AccessLog accessLog(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "stdout" -> AccessLog.STDOUT;
      case "file" -> AccessLog.FILE;
      case "off" -> AccessLog.OFF;
      default -> throw new ConfigException("PORTICO_ACCESS_LOG='" + value + "' must be stdout, file or off");
    };
  }

  private static boolean logFormat(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "text" -> false;
      case "json" -> true;
      default -> throw new ConfigException("PORTICO_LOG_FORMAT='" + value + "' must be text or json");
    };
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** A PEM value given inline, or read from the file the variable names. */
  private static String pem(Map<String, String> env, String name) {
    String value = blankToNull(env.get(name));
    if (value == null || value.contains("-----BEGIN")) {
      return value;
    }
    try {
      return java.nio.file.Files.readString(Path.of(value.trim()));
    } catch (java.io.IOException e) {
      throw new ConfigException(name + " is neither PEM text nor a readable file: " + value.trim());
    }
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
