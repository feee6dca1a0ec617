package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The deployment configuration every verticle reads its options from: the verticles live in
 * other modules and take their options as the {@link JsonObject} Vert.x deploys them with.
 */
final class VerticleConfig {

  private VerticleConfig() {
  }

  static JsonObject of(PorticoConfig config) {
    JsonObject json = new JsonObject()
        .put("host", config.bindHost())
        .put("httpPort", config.httpPort())
        .put("httpsPort", config.httpsPort())
        .put("adminPort", config.adminPort())
        .put("nodePorts", new JsonArray(List.copyOf(config.nodePorts())))
        .put("tenantDenyPrivate", config.tenantDenyPrivate())
        .put("redisUrl", config.effectiveRedisUrl())
        .put("redis", config.redisSetup().toJson())
        .put("redisSweepMs", config.redisTopology().sweepSeconds() * 1000L)
        .put("routeCacheSize", config.routeCacheSize())
        .put("routeCachePerSite", config.routeCachePerSite())
        .put("routeHitTtlMs", config.routeHitTtlMs())
        .put("routeMissTtlMs", config.routeMissTtlMs())
        .put("lookupTimeoutMs", config.lookupTimeoutMs())
        .put("jwtTtlSeconds", config.jwtTtlSeconds())
        .put("metricsRegistry", config.metricsRegistry())
        .put("metricsSiteLimit", config.metricsSiteLimit())
        .put("dnsResolver", config.dnsResolver())
        .put("ssoSessionTtlSeconds", config.ssoSessionTtlSeconds());
    putSecrets(json, config.secrets());
    putAcme(json, config.acme());
    putTls(json, config.tls());
    putLimits(json, config.limits());
    putAdminOidc(json, config.adminOidc());
    return json;
  }

  private static void putSecrets(JsonObject json, Secrets secrets) {
    json
        .put("adminPassword", secrets.adminPassword())
        .put("jwtSecret", secrets.jwtSecret())
        .put("jwtPrivateKey", secrets.jwtPrivateKey())
        .put("jwtPublicKey", secrets.jwtPublicKey())
        .put("secretKey", secrets.secretKey());
  }

  private static void putAcme(JsonObject json, AcmeSettings acme) {
    json
        .put("acmeDirectory", acme.directory())
        .put("acmeEmail", acme.email())
        .put("acmeCaBundle", acme.caBundle())
        .put("acmeIssueTimeoutMs", acme.issueTimeoutMs())
        .put("renewalCheckIntervalMs", acme.renewalCheckIntervalMs())
        .put("renewBeforeDays", acme.renewBeforeDays())
        .put("acmeBackoffBaseMs", acme.backoffBaseMs())
        .put("dns01Servers", new JsonArray(acme.dns01Servers()))
        .put("dns01PropagationTimeoutMs", acme.dns01PropagationTimeoutMs())
        .put("dns01SequenceIntervalMs", acme.dns01SequenceIntervalMs());
  }

  private static void putTls(JsonObject json, TlsSettings tls) {
    json
        .put("tlsEngine", tls.engine())
        .put("onDemandTlsTimeoutMs", tls.onDemandTimeoutMs())
        .put("fallbackCertFile", tls.fallbackCertFile() == null ? null : tls.fallbackCertFile().toString())
        .put("fallbackKeyFile", tls.fallbackKeyFile() == null ? null : tls.fallbackKeyFile().toString());
  }

  private static void putLimits(JsonObject json, Limits limits) {
    json
        .put("requestHeadTimeoutMs", limits.requestHeadTimeoutMs())
        .put("maxConnectionsPerAddress", limits.maxConnectionsPerAddress())
        .put("maxBodyBytes", limits.maxBodyBytes())
        .put("http2MaxConcurrentStreams", (long) limits.http2MaxConcurrentStreams())
        .put("http2MaxResetsPerWindow", limits.http2MaxResetsPerWindow())
        .put("http2ResetWindowSeconds", limits.http2ResetWindowSeconds())
        .put("redisMaxWaiting", limits.redisMaxWaiting())
        .put("cacheMaxBytes", limits.cacheMaxBytes());
  }

  /** Every OIDC key, each null when admins sign in by password only. */
  private static void putAdminOidc(JsonObject json, AdminOidc oidc) {
    json
        .put("adminOidcIssuer", oidc == null ? null : oidc.issuer())
        .put("adminOidcClientId", oidc == null ? null : oidc.clientId())
        .put("adminOidcClientSecret", oidc == null ? null : oidc.clientSecret())
        .put("adminOidcRedirectUri", oidc == null ? null : oidc.redirectUri())
        .put("adminOidcGroupsClaim", oidc == null ? null : oidc.groupsClaim())
        .put("adminOidcJwksRefetchSeconds", oidc == null ? null : oidc.jwksRefetchSeconds());
  }
}
