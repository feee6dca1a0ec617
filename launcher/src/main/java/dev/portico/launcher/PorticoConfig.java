package dev.portico.launcher;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.portico.launcher.ConfigEnv.integerBetween;
import static dev.portico.launcher.ConfigEnv.ipAndPort;
import static dev.portico.launcher.ConfigEnv.onOff;
import static dev.portico.launcher.ConfigEnv.port;
import static dev.portico.launcher.ConfigEnv.positive;

/**
 * Portico's configuration, read from {@code PORTICO_*} environment variables. The README's
 * configuration table lists the same variables; {@link #ENV_NAMES} is the code's list.
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
    ClusterConfig cluster,
    int opsPort,
    int edgeInstances,
    int lookupInstances,
    int routeCacheSize,
    int routeCachePerSite,
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
    Secrets secrets,
    AcmeSettings acme,
    TlsSettings tls,
    boolean tenantDenyPrivate,
    Limits limits,
    RedisTopology redisTopology,
    AdminOidc adminOidc,
    int ssoSessionTtlSeconds,
    ProxyProtocolSettings proxyProtocol,
    NetTransport transport) {

  /**
   * Every environment variable Portico reads ({@code PORTICO_LOG_LEVEL} is read by
   * {@code logback.xml}). {@link #fromEnvironment} can read no other, so deployment manifests can
   * be checked against this list.
   */
  public static final Set<String> ENV_NAMES = Set.of(
      "PORTICO_BIND", "PORTICO_HTTP_PORT", "PORTICO_HTTPS_PORT", "PORTICO_ADMIN_PORT", "PORTICO_OPS_PORT",
      "PORTICO_REDIS_URL", "PORTICO_EMBEDDED_REDIS_PORT", "PORTICO_DATA_DIR", "PORTICO_ROLES",
      "PORTICO_EDGE_INSTANCES", "PORTICO_LOOKUP_INSTANCES", "PORTICO_ROUTE_CACHE_SIZE", "PORTICO_ROUTE_CACHE_PER_SITE",
      "PORTICO_ROUTE_HIT_TTL_MS",
      "PORTICO_ROUTE_MISS_TTL_MS", "PORTICO_LOOKUP_TIMEOUT_MS", "PORTICO_LOG_LEVEL", "PORTICO_JWT_TTL_S",
      "PORTICO_ADMIN_PASSWORD", "PORTICO_JWT_SECRET", "PORTICO_JWT_PRIVATE_KEY", "PORTICO_JWT_PUBLIC_KEY",
      "PORTICO_SECRET_KEY", "PORTICO_METRICS_SITE_LIMIT", "PORTICO_METRICS_VERTX_HTTP", "PORTICO_ACCESS_LOG",
      "PORTICO_LOG_FORMAT", "PORTICO_DNS_RESOLVER", "PORTICO_TLS_ENGINE", "PORTICO_ON_DEMAND_TLS_TIMEOUT_MS",
      "PORTICO_FALLBACK_CERT_FILE", "PORTICO_FALLBACK_KEY_FILE", "PORTICO_TENANT_DENY_PRIVATE",
      "PORTICO_REQUEST_HEAD_TIMEOUT_MS", "PORTICO_MAX_CONNECTIONS_PER_ADDRESS", "PORTICO_MAX_BODY_BYTES",
      "PORTICO_HTTP2_MAX_CONCURRENT_STREAMS", "PORTICO_HTTP2_MAX_RESETS", "PORTICO_HTTP2_RESET_WINDOW_S",
      "PORTICO_REDIS_MAX_WAITING", "PORTICO_REDIS_SENTINELS", "PORTICO_REDIS_SENTINEL_MASTER", "PORTICO_REDIS_READ_URL",
      "PORTICO_REDIS_WAIT_TIMEOUT_MS", "PORTICO_REDIS_SWEEP_S", "PORTICO_CACHE_MAX_BYTES",
      "PORTICO_ACME_DIRECTORY", "PORTICO_ACME_EMAIL", "PORTICO_ACME_CA_BUNDLE", "PORTICO_ACME_ISSUE_TIMEOUT_MS",
      "PORTICO_ACME_RENEWAL_CHECK_MS", "PORTICO_ACME_RENEW_BEFORE_DAYS", "PORTICO_ACME_BACKOFF_BASE_MS",
      "PORTICO_DNS01_SERVERS", "PORTICO_DNS01_PROPAGATION_TIMEOUT_MS", "PORTICO_DNS01_SEQUENCE_INTERVAL_MS",
      "PORTICO_CLUSTER", "PORTICO_CLUSTER_CONFIG", "PORTICO_CLUSTER_DISCOVERY", "PORTICO_CLUSTER_MEMBERS",
      "PORTICO_CLUSTER_PORT", "PORTICO_CLUSTER_HOST", "PORTICO_CLUSTER_PUBLIC_HOST", "PORTICO_EVENTBUS_PORT",
      "PORTICO_CLUSTER_K8S_SERVICE_DNS", "PORTICO_CLUSTER_K8S_SERVICE_NAME", "PORTICO_CLUSTER_K8S_NAMESPACE",
      "PORTICO_EVENTBUS_TLS", "PORTICO_EVENTBUS_TLS_KEYSTORE", "PORTICO_EVENTBUS_TLS_KEYSTORE_PASSWORD",
      "PORTICO_EVENTBUS_TLS_TRUSTSTORE", "PORTICO_EVENTBUS_TLS_TRUSTSTORE_PASSWORD",
      "PORTICO_ADMIN_OIDC_ISSUER", "PORTICO_ADMIN_OIDC_CLIENT_ID", "PORTICO_ADMIN_OIDC_CLIENT_SECRET",
      "PORTICO_ADMIN_OIDC_REDIRECT_URI", "PORTICO_ADMIN_OIDC_GROUPS_CLAIM", "PORTICO_ADMIN_OIDC_JWKS_REFETCH_SECONDS",
      "PORTICO_SSO_SESSION_TTL_S", "PORTICO_PROXY_PROTOCOL_FROM", "PORTICO_PROXY_PROTOCOL_REQUIRED",
      "PORTICO_TRANSPORT");

  /** The {@code PORTICO_*} variables set in {@code env} that Portico does not know (typos, mostly). */
  public static Set<String> unknownNames(Map<String, String> env) {
    return env.keySet().stream().filter(name -> name.startsWith("PORTICO_") && !ENV_NAMES.contains(name))
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  public static PorticoConfig fromEnvironment(Map<String, String> variables) {
    ConfigEnv env = new ConfigEnv(variables);
    String redisUrl = redisUrl(env.get("PORTICO_REDIS_URL"));
    return new PorticoConfig(
        env.getOrDefault("PORTICO_BIND", "0.0.0.0"),
        port(env, "PORTICO_HTTP_PORT", 8080),
        port(env, "PORTICO_HTTPS_PORT", 8443),
        port(env, "PORTICO_ADMIN_PORT", 9090),
        redisUrl,
        port(env, "PORTICO_EMBEDDED_REDIS_PORT", 6379),
        Path.of(env.getOrDefault("PORTICO_DATA_DIR", "./data")),
        Role.parseAll(env.getOrDefault("PORTICO_ROLES", "edge,lookup,admin,cert")),
        ClusterConfig.fromEnvironment(env),
        port(env, "PORTICO_OPS_PORT", 9091),
        positive(env, "PORTICO_EDGE_INSTANCES", Runtime.getRuntime().availableProcessors()),
        positive(env, "PORTICO_LOOKUP_INSTANCES", 1),
        positive(env, "PORTICO_ROUTE_CACHE_SIZE", 100_000),
        positive(env, "PORTICO_ROUTE_CACHE_PER_SITE", 1000),
        positive(env, "PORTICO_ROUTE_HIT_TTL_MS", 30_000),
        positive(env, "PORTICO_ROUTE_MISS_TTL_MS", 10_000),
        positive(env, "PORTICO_LOOKUP_TIMEOUT_MS", 2_000),
        positive(env, "PORTICO_JWT_TTL_S", 3600),
        positive(env, "PORTICO_METRICS_SITE_LIMIT", 100),
        onOff(env, "PORTICO_METRICS_VERTX_HTTP", false),
        AccessLog.parse(env.getOrDefault("PORTICO_ACCESS_LOG", "stdout")),
        logFormat(env.getOrDefault("PORTICO_LOG_FORMAT", "text")),
        "portico-" + java.util.UUID.randomUUID(),
        dnsResolver(env.get("PORTICO_DNS_RESOLVER")),
        Secrets.fromEnvironment(env),
        AcmeSettings.fromEnvironment(env),
        TlsSettings.fromEnvironment(env),
        onOff(env, "PORTICO_TENANT_DENY_PRIVATE", false),
        Limits.fromEnvironment(env),
        RedisTopology.fromEnvironment(env, redisUrl),
        AdminOidc.fromEnvironment(env),
        integerBetween(env, "PORTICO_SSO_SESSION_TTL_S", 8 * 3600, 60, 90 * 86_400),
        ProxyProtocolSettings.fromEnvironment(env::get, onOff(env, "PORTICO_PROXY_PROTOCOL_REQUIRED", true)),
        NetTransport.parse(env.getOrDefault("PORTICO_TRANSPORT", NetTransport.IO_URING.configName())));
  }

  /**
   * Every port this node listens on: a tenant's site may not target them on the node's own
   * addresses ({@code TargetAddressRules}).
   */
  public java.util.SortedSet<Integer> nodePorts() {
    java.util.SortedSet<Integer> ports = new java.util.TreeSet<>(List.of(httpPort, httpsPort, adminPort, opsPort));
    if (embeddedRedis()) {
      ports.add(embeddedRedisPort);
    }
    if (cluster.enabled()) {
      ports.add(cluster.port() == null ? 5701 : cluster.port());
    }
    if (cluster.eventBusPort() > 0) {
      ports.add(cluster.eventBusPort());
    }
    return ports;
  }

  /** Whether Portico starts its own Redis (neither {@code PORTICO_REDIS_URL} nor Sentinel given). */
  public boolean embeddedRedis() {
    return redisUrl == null && redisTopology.sentinels().isEmpty();
  }

  /** The standalone (or embedded) master's URL, or null with Sentinel. */
  public String effectiveRedisUrl() {
    return embeddedRedis() ? "redis://127.0.0.1:" + embeddedRedisPort : redisUrl;
  }

  /** Where every verticle sends its Redis reads and writes. */
  public dev.portico.contract.redis.RedisSetup redisSetup() {
    return redisTopology.setup(effectiveRedisUrl());
  }

  /** The Redis endpoints to print: passwords replaced by {@code ***}. */
  public String redisUrlForLog() {
    return redisTopology.describe(effectiveRedisUrl());
  }

  /** The deployment configuration every verticle reads its options from. */
  public JsonObject verticleConfig() {
    return VerticleConfig.of(this);
  }

  /**
   * {@code host:port} of the resolver for targets given by name: the variable (port 53 when not
   * given), else the first {@code nameserver} of {@code /etc/resolv.conf}.
   */
  private static String dnsResolver(String value) {
    String address = value;
    if (address == null) {
      try {
        address = java.nio.file.Files.readAllLines(Path.of("/etc/resolv.conf")).stream().map(String::trim)
            .filter(line -> line.startsWith("nameserver")).map(line -> line.split("\\s+"))
            .filter(parts -> parts.length > 1).map(parts -> parts[1]).findFirst().orElse("127.0.0.53");
      } catch (java.io.IOException e) {
        address = "127.0.0.53";
      }
    }
    return ipAndPort("PORTICO_DNS_RESOLVER", address);
  }

  private static boolean logFormat(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "text" -> false;
      case "json" -> true;
      default -> throw new ConfigException("PORTICO_LOG_FORMAT='" + value + "' must be text or json");
    };
  }

  private static String redisUrl(String value) {
    if (value == null) {
      return null;
    }
    if (!value.startsWith("redis://") && !value.startsWith("rediss://")) {
      throw new ConfigException("PORTICO_REDIS_URL='" + value + "' must start with redis:// or rediss://");
    }
    return value.trim();
  }
}
