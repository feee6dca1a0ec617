package dev.portico.launcher;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
   * The OIDC provider admins may sign in through ({@code PORTICO_ADMIN_OIDC_*}), or {@code null}.
   * The client secret is never printed.
   */
  public record AdminOidc(String issuer, String clientId, String clientSecret, String redirectUri, String groupsClaim,
      int jwksRefetchSeconds) {

    static AdminOidc fromEnvironment(Env env) {
      String issuer = env.get("PORTICO_ADMIN_OIDC_ISSUER");
      if (issuer == null || issuer.isBlank()) {
        return null;
      }
      for (String name : List.of("PORTICO_ADMIN_OIDC_CLIENT_ID", "PORTICO_ADMIN_OIDC_CLIENT_SECRET",
          "PORTICO_ADMIN_OIDC_REDIRECT_URI")) {
        if (env.get(name) == null || env.get(name).isBlank()) {
          throw new ConfigException(name + " is needed with PORTICO_ADMIN_OIDC_ISSUER");
        }
      }
      for (String name : List.of("PORTICO_ADMIN_OIDC_ISSUER", "PORTICO_ADMIN_OIDC_REDIRECT_URI")) {
        String url = env.get(name).trim();
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
          throw new ConfigException(name + "='" + url + "' must be an http(s):// URL");
        }
      }
      return new AdminOidc(issuer.trim(), env.get("PORTICO_ADMIN_OIDC_CLIENT_ID"),
          env.get("PORTICO_ADMIN_OIDC_CLIENT_SECRET"), env.get("PORTICO_ADMIN_OIDC_REDIRECT_URI").trim(),
          env.getOrDefault("PORTICO_ADMIN_OIDC_GROUPS_CLAIM", "groups"),
          (int) longBetween(env, "PORTICO_ADMIN_OIDC_JWKS_REFETCH_SECONDS", 60, 1, 86_400));
    }

    @Override
    public String toString() {
      return "AdminOidc[issuer=" + issuer + ", clientId=" + clientId + ", redirectUri=" + redirectUri
          + ", groupsClaim=" + groupsClaim + ", jwksRefetchSeconds=" + jwksRefetchSeconds + ", clientSecret not shown]";
    }
  }

  /**
   * What one client may make the node hold; see the README's configuration table.
   *
   * @param requestHeadTimeoutMs      longest time from the first byte of a request head to its end,
   *                                  on the edge, admin and ops listeners (slowloris)
   * @param maxConnectionsPerAddress  most connections one client address may hold open to the edge
   * @param maxBodyBytes              request body limit of sites without {@code maxBodyBytes}
   * @param http2MaxConcurrentStreams HTTP/2 streams open at once per connection
   * @param http2MaxResetsPerWindow   RST_STREAM frames a client may send per window before GOAWAY
   * @param http2ResetWindowSeconds   that window
   * @param redisMaxWaiting           Redis commands an edge instance queues for a connection
   * @param cacheMaxBytes             bytes the node's response cache holds, all sites together
   */
  public record Limits(int requestHeadTimeoutMs, int maxConnectionsPerAddress, long maxBodyBytes,
      int http2MaxConcurrentStreams, int http2MaxResetsPerWindow, int http2ResetWindowSeconds, int redisMaxWaiting,
      long cacheMaxBytes) {

    /** 100 MiB: uploads of photos, videos in parts, backups in parts pass; one request cannot stream without end. */
    static final long DEFAULT_MAX_BODY_BYTES = 100L << 20;
    /** 32 MiB: a quarter of the 128 MiB heap a small node runs with (copies of misses in flight take up to 8 MiB more). */
    static final long DEFAULT_CACHE_MAX_BYTES = 32L << 20;

    static Limits fromEnvironment(Env env) {
      long maxBody = longBetween(env, "PORTICO_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 0, 1L << 40);
      return new Limits(
          integerBetween(env, "PORTICO_REQUEST_HEAD_TIMEOUT_MS", 10_000, 100, 3_600_000),
          integerBetween(env, "PORTICO_MAX_CONNECTIONS_PER_ADDRESS", 512, 1, 1_000_000),
          maxBody,
          integerBetween(env, "PORTICO_HTTP2_MAX_CONCURRENT_STREAMS", 100, 1, 10_000),
          integerBetween(env, "PORTICO_HTTP2_MAX_RESETS", 200, 1, 1_000_000),
          integerBetween(env, "PORTICO_HTTP2_RESET_WINDOW_S", 30, 1, 3600),
          integerBetween(env, "PORTICO_REDIS_MAX_WAITING", 1024, 1, 1_000_000),
          longBetween(env, "PORTICO_CACHE_MAX_BYTES", DEFAULT_CACHE_MAX_BYTES, 0, 1L << 40));
    }
  }

  /**
   * The HTTPS listener's settings.
   *
   * @param engine             {@code auto} (OpenSSL when it loads), {@code openssl} or {@code jdk}
   * @param onDemandTimeoutMs  how long a first handshake for an {@code auto} site waits for issuance
   * @param fallbackCertFile   PEM chain of a configured fallback certificate, or null (generated)
   * @param fallbackKeyFile    its PEM private key, or null
   */
  public record TlsSettings(String engine, int onDemandTimeoutMs, Path fallbackCertFile, Path fallbackKeyFile) {
  }

  /**
   * The cert role's ACME settings.
   *
   * @param caBundle      path of a PEM file of extra CAs trusted for the ACME server's HTTPS, or null
   * @param dns01Servers  {@code host:port} of the name servers checked for DNS-01 records instead
   *                      of each zone's authoritative ones; empty to find those
   * @param dns01SequenceIntervalMs pause before a one-value provider's name (DuckDNS) carries
   *                      another challenge value, so the CA's resolver has not cached the last one
   */
  public record AcmeSettings(String directory, String email, String caBundle, int issueTimeoutMs,
      int renewalCheckIntervalMs, int renewBeforeDays, int backoffBaseMs, List<String> dns01Servers,
      int dns01PropagationTimeoutMs, int dns01SequenceIntervalMs) {

    static AcmeSettings fromEnvironment(Env env) {
      String directory = env.getOrDefault("PORTICO_ACME_DIRECTORY", "https://acme-v02.api.letsencrypt.org/directory").trim();
      if (!directory.startsWith("https://") && !directory.startsWith("http://")) {
        throw new ConfigException("PORTICO_ACME_DIRECTORY='" + directory + "' must be an http(s):// URL");
      }
      String caBundle = env.get("PORTICO_ACME_CA_BUNDLE");
      if (caBundle != null && !java.nio.file.Files.isReadable(Path.of(caBundle))) {
        throw new ConfigException("PORTICO_ACME_CA_BUNDLE='" + caBundle + "' is not a readable file");
      }
      return new AcmeSettings(directory, env.get("PORTICO_ACME_EMAIL"), caBundle,
          positive(env, "PORTICO_ACME_ISSUE_TIMEOUT_MS", 90_000),
          positive(env, "PORTICO_ACME_RENEWAL_CHECK_MS", 3_600_000),
          positive(env, "PORTICO_ACME_RENEW_BEFORE_DAYS", 30),
          positive(env, "PORTICO_ACME_BACKOFF_BASE_MS", 60_000),
          Arrays.stream(env.getOrDefault("PORTICO_DNS01_SERVERS", "").split(",")).map(String::trim)
              .filter(server -> !server.isEmpty()).map(server -> ipAndPort("PORTICO_DNS01_SERVERS", server)).toList(),
          positive(env, "PORTICO_DNS01_PROPAGATION_TIMEOUT_MS", 120_000),
          integerBetween(env, "PORTICO_DNS01_SEQUENCE_INTERVAL_MS", 60_000, 0, 3_600_000));
    }
  }

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

  /** The values of the roles in {@code PORTICO_ROLES}. */
  public static List<String> roleNames() {
    return Arrays.stream(Role.values()).map(Role::configName).toList();
  }

  /** The {@code PORTICO_*} variables set in {@code env} that Portico does not know (typos, mostly). */
  public static Set<String> unknownNames(Map<String, String> env) {
    return env.keySet().stream().filter(name -> name.startsWith("PORTICO_") && !ENV_NAMES.contains(name))
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  public static PorticoConfig fromEnvironment(Map<String, String> variables) {
    Env env = new Env(variables);
    String redisUrl = redisUrl(env.get("PORTICO_REDIS_URL"));
    return new PorticoConfig(
        env.getOrDefault("PORTICO_BIND", "0.0.0.0"),
        port(env, "PORTICO_HTTP_PORT", 8080),
        port(env, "PORTICO_HTTPS_PORT", 8443),
        port(env, "PORTICO_ADMIN_PORT", 9090),
        redisUrl,
        port(env, "PORTICO_EMBEDDED_REDIS_PORT", 6379),
        Path.of(env.getOrDefault("PORTICO_DATA_DIR", "./data")),
        roles(env.getOrDefault("PORTICO_ROLES", "edge,lookup,admin,cert")),
        cluster(env),
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
        accessLog(env.getOrDefault("PORTICO_ACCESS_LOG", "stdout")),
        logFormat(env.getOrDefault("PORTICO_LOG_FORMAT", "text")),
        "portico-" + java.util.UUID.randomUUID(),
        dnsResolver(env.get("PORTICO_DNS_RESOLVER")),
        new Secrets(env.get("PORTICO_ADMIN_PASSWORD"), env.get("PORTICO_JWT_SECRET"),
            pem(env, "PORTICO_JWT_PRIVATE_KEY"), pem(env, "PORTICO_JWT_PUBLIC_KEY"), env.get("PORTICO_SECRET_KEY")),
        AcmeSettings.fromEnvironment(env),
        new TlsSettings(tlsEngine(env.getOrDefault("PORTICO_TLS_ENGINE", "auto")),
            positive(env, "PORTICO_ON_DEMAND_TLS_TIMEOUT_MS", 20_000),
            fallbackFile(env, "PORTICO_FALLBACK_CERT_FILE", "PORTICO_FALLBACK_KEY_FILE"),
            fallbackFile(env, "PORTICO_FALLBACK_KEY_FILE", "PORTICO_FALLBACK_CERT_FILE")),
        onOff(env, "PORTICO_TENANT_DENY_PRIVATE", false),
        Limits.fromEnvironment(env),
        RedisTopology.fromEnvironment(env::get, redisUrl),
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
    return new JsonObject()
        .put("host", bindHost)
        .put("httpPort", httpPort)
        .put("httpsPort", httpsPort)
        .put("adminPort", adminPort)
        .put("nodePorts", new io.vertx.core.json.JsonArray(List.copyOf(nodePorts())))
        .put("tenantDenyPrivate", tenantDenyPrivate)
        .put("redisUrl", effectiveRedisUrl())
        .put("redis", redisSetup().toJson())
        .put("redisSweepMs", redisTopology.sweepSeconds() * 1000L)
        .put("routeCacheSize", routeCacheSize)
        .put("routeCachePerSite", routeCachePerSite)
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
        .put("secretKey", secrets.secretKey())
        .put("acmeDirectory", acme.directory())
        .put("acmeEmail", acme.email())
        .put("acmeCaBundle", acme.caBundle())
        .put("acmeIssueTimeoutMs", acme.issueTimeoutMs())
        .put("renewalCheckIntervalMs", acme.renewalCheckIntervalMs())
        .put("renewBeforeDays", acme.renewBeforeDays())
        .put("acmeBackoffBaseMs", acme.backoffBaseMs())
        .put("dns01Servers", new io.vertx.core.json.JsonArray(acme.dns01Servers()))
        .put("dns01PropagationTimeoutMs", acme.dns01PropagationTimeoutMs())
        .put("dns01SequenceIntervalMs", acme.dns01SequenceIntervalMs())
        .put("tlsEngine", tls.engine())
        .put("onDemandTlsTimeoutMs", tls.onDemandTimeoutMs())
        .put("fallbackCertFile", tls.fallbackCertFile() == null ? null : tls.fallbackCertFile().toString())
        .put("fallbackKeyFile", tls.fallbackKeyFile() == null ? null : tls.fallbackKeyFile().toString())
        .put("requestHeadTimeoutMs", limits.requestHeadTimeoutMs())
        .put("maxConnectionsPerAddress", limits.maxConnectionsPerAddress())
        .put("maxBodyBytes", limits.maxBodyBytes())
        .put("http2MaxConcurrentStreams", (long) limits.http2MaxConcurrentStreams())
        .put("http2MaxResetsPerWindow", limits.http2MaxResetsPerWindow())
        .put("http2ResetWindowSeconds", limits.http2ResetWindowSeconds())
        .put("redisMaxWaiting", limits.redisMaxWaiting())
        .put("cacheMaxBytes", limits.cacheMaxBytes())
        .put("ssoSessionTtlSeconds", ssoSessionTtlSeconds)
        .put("adminOidcIssuer", adminOidc == null ? null : adminOidc.issuer())
        .put("adminOidcClientId", adminOidc == null ? null : adminOidc.clientId())
        .put("adminOidcClientSecret", adminOidc == null ? null : adminOidc.clientSecret())
        .put("adminOidcRedirectUri", adminOidc == null ? null : adminOidc.redirectUri())
        .put("adminOidcGroupsClaim", adminOidc == null ? null : adminOidc.groupsClaim())
        .put("adminOidcJwksRefetchSeconds", adminOidc == null ? null : adminOidc.jwksRefetchSeconds());
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

  /** {@code ip:port} ({@code [ip]:port} for IPv6) from an IP address with an optional port (53). */
  private static String ipAndPort(String variable, String value) {
    String address = value.trim();
    boolean hasPort = address.startsWith("[") ? address.contains("]:") : address.indexOf(':') == address.lastIndexOf(':')
        && address.indexOf(':') > 0;
    String hostPart = hasPort ? address.substring(0, address.lastIndexOf(':')) : address;
    String host = hostPart.replace("[", "").replace("]", "");
    if (io.netty.util.NetUtil.createByteArrayFromIpAddressString(host) == null) {
      throw new ConfigException(variable + "='" + value + "' is not an IP address with an optional port");
    }
    int port = hasPort ? parsePort(variable, address.substring(address.lastIndexOf(':') + 1)) : 53;
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

  /** A PEM value given inline, or read from the file the variable names. */
  private static String pem(Env env, String name) {
    String value = env.get(name);
    if (value == null || value.contains("-----BEGIN")) {
      return value;
    }
    try {
      return java.nio.file.Files.readString(Path.of(value.trim()));
    } catch (java.io.IOException e) {
      throw new ConfigException(name + " is neither PEM text nor a readable file: " + value.trim());
    }
  }

  private static ClusterConfig cluster(Env env) {
    ClusterConfig.Discovery discovery = discovery(env.get("PORTICO_CLUSTER_DISCOVERY"));
    String members = env.get("PORTICO_CLUSTER_MEMBERS");
    ClusterConfig.Kubernetes kubernetes = new ClusterConfig.Kubernetes(env.get("PORTICO_CLUSTER_K8S_SERVICE_DNS"),
        env.get("PORTICO_CLUSTER_K8S_SERVICE_NAME"), env.get("PORTICO_CLUSTER_K8S_NAMESPACE"));
    if (discovery == ClusterConfig.Discovery.KUBERNETES) {
      if (members != null) {
        throw new ConfigException("PORTICO_CLUSTER_MEMBERS is for tcp-ip discovery; with kubernetes discovery "
            + "members are found through PORTICO_CLUSTER_K8S_SERVICE_DNS or PORTICO_CLUSTER_K8S_SERVICE_NAME");
      }
      if ((kubernetes.serviceDns() == null) == (kubernetes.serviceName() == null)) {
        throw new ConfigException("PORTICO_CLUSTER_DISCOVERY=kubernetes needs exactly one of "
            + "PORTICO_CLUSTER_K8S_SERVICE_DNS (a headless Service) and PORTICO_CLUSTER_K8S_SERVICE_NAME (API lookup)");
      }
    }
    String configFile = env.get("PORTICO_CLUSTER_CONFIG");
    if (configFile != null && !Files.isReadable(Path.of(configFile))) {
      throw new ConfigException("PORTICO_CLUSTER_CONFIG=" + configFile + " is not a readable file");
    }
    return new ClusterConfig(
        onOff(env, "PORTICO_CLUSTER", false),
        configFile == null ? null : Path.of(configFile),
        discovery,
        members == null ? null : members(members),
        env.get("PORTICO_CLUSTER_PORT") == null ? null : port(env, "PORTICO_CLUSTER_PORT", 5701),
        env.get("PORTICO_CLUSTER_HOST"),
        env.get("PORTICO_CLUSTER_PUBLIC_HOST"),
        integerBetween(env, "PORTICO_EVENTBUS_PORT", 0, 0, 65535),
        kubernetes,
        onOff(env, "PORTICO_EVENTBUS_TLS", false) ? eventBusTls(env) : null);
  }

  private static ClusterConfig.Discovery discovery(String value) {
    if (value == null) {
      return null;
    }
    return Arrays.stream(ClusterConfig.Discovery.values())
        .filter(discovery -> discovery.configName().equals(value.trim().toLowerCase(java.util.Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new ConfigException("PORTICO_CLUSTER_DISCOVERY='" + value + "' must be tcp-ip or kubernetes"));
  }

  private static List<String> members(String value) {
    List<String> members = Arrays.stream(value.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
    for (String member : members) {
      if (!member.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) {
        throw new ConfigException("PORTICO_CLUSTER_MEMBERS names '" + member + "': expected host or host:port");
      }
    }
    if (members.isEmpty()) {
      throw new ConfigException("PORTICO_CLUSTER_MEMBERS is empty: list host or host:port, comma-separated");
    }
    return members;
  }

  private static ClusterConfig.EventBusTls eventBusTls(Env env) {
    return new ClusterConfig.EventBusTls(
        readableFile(env, "PORTICO_EVENTBUS_TLS_KEYSTORE"),
        env.get("PORTICO_EVENTBUS_TLS_KEYSTORE_PASSWORD"),
        readableFile(env, "PORTICO_EVENTBUS_TLS_TRUSTSTORE"),
        env.get("PORTICO_EVENTBUS_TLS_TRUSTSTORE_PASSWORD"));
  }

  private static String tlsEngine(String value) {
    String engine = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (!Set.of("auto", "openssl", "jdk").contains(engine)) {
      throw new ConfigException("PORTICO_TLS_ENGINE='" + value + "' must be auto, openssl or jdk");
    }
    return engine;
  }

  /** A fallback certificate file, which must be given together with {@code partner}. */
  private static Path fallbackFile(Env env, String name, String partner) {
    String value = env.get(name);
    if (value == null) {
      if (env.get(partner) != null) {
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

  private static Path readableFile(Env env, String name) {
    String value = env.get(name);
    if (value == null) {
      throw new ConfigException("PORTICO_EVENTBUS_TLS=on needs " + name + " (a PKCS#12 file)");
    }
    Path path = Path.of(value);
    if (!Files.isReadable(path)) {
      throw new ConfigException(name + "=" + value + " is not a readable file");
    }
    return path;
  }

  private static int port(Env env, String name, int defaultValue) {
    int port = integer(env, name, defaultValue);
    if (port < 1 || port > 65535) {
      throw new ConfigException(name + "=" + port + " is not a port (1-65535)");
    }
    return port;
  }

  private static int integerBetween(Env env, String name, int defaultValue, int min, int max) {
    int value = integer(env, name, defaultValue);
    if (value < min || value > max) {
      throw new ConfigException(name + "=" + value + " must be between " + min + " and " + max);
    }
    return value;
  }

  private static long longBetween(Env env, String name, long defaultValue, long min, long max) {
    return longBetween(env::get, name, defaultValue, min, max);
  }

  /** A whole number in [{@code min}, {@code max}] from {@code env}, or {@code defaultValue} when unset. */
  static long longBetween(java.util.function.Function<String, String> env, String name, long defaultValue, long min,
      long max) {
    String text = env.apply(name);
    long value;
    try {
      value = text == null ? defaultValue : Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "='" + text + "' is not a number");
    }
    if (value < min || value > max) {
      throw new ConfigException(name + "=" + value + " must be between " + min + " and " + max);
    }
    return value;
  }

  private static int positive(Env env, String name, int defaultValue) {
    int value = integer(env, name, defaultValue);
    if (value < 1) {
      throw new ConfigException(name + "=" + value + " must be at least 1");
    }
    return value;
  }

  private static int integer(Env env, String name, int defaultValue) {
    String value = env.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "='" + value + "' is not a number");
    }
  }

  private static boolean onOff(Env env, String name, boolean defaultValue) {
    String value = env.get(name);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default -> throw new ConfigException(name + "='" + value + "' must be on or off");
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

  /** The environment, read only by the names in {@link #ENV_NAMES}; blank values count as unset. */
  private record Env(Map<String, String> variables) {

    String get(String name) {
      if (!ENV_NAMES.contains(name)) {
        throw new IllegalStateException(name + " is read but missing from PorticoConfig.ENV_NAMES");
      }
      String value = variables.get(name);
      return value == null || value.isBlank() ? null : value;
    }

    String getOrDefault(String name, String defaultValue) {
      String value = get(name);
      return value == null ? defaultValue : value;
    }
  }
}
