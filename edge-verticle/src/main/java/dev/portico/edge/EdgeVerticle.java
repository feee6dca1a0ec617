package dev.portico.edge;

import dev.portico.contract.Addresses;
import dev.portico.contract.RequestHeads;
import dev.portico.contract.SecretBox;
import dev.portico.contract.SiteChange;
import dev.portico.contract.TargetAddressRules;
import dev.portico.edge.http.AcmeChallenges;
import dev.portico.edge.http.EdgeServices;
import dev.portico.edge.http.RequestHandler;
import dev.portico.edge.observe.AccessLog;
import dev.portico.edge.observe.EdgeMetrics;
import dev.portico.edge.policy.BasicAuthVerifier;
import dev.portico.edge.policy.JwksFetcher;
import dev.portico.edge.policy.JwtGuard;
import dev.portico.edge.cache.CacheNode;
import dev.portico.edge.cache.LocalResponseCache;
import dev.portico.edge.policy.PolicyServices;
import dev.portico.edge.policy.RateLimiter;
import dev.portico.edge.route.Route;
import dev.portico.edge.sso.SsoService;
import dev.portico.edge.route.RouteBuilder;
import dev.portico.edge.route.RouteResolver;
import dev.portico.edge.tls.CertificateStore;
import dev.portico.edge.tls.SiteLookup;
import dev.portico.edge.tls.TlsEngine;
import dev.portico.edge.upstream.Backends;
import dev.portico.edge.upstream.TargetResolver;
import dev.portico.edge.upstream.TenantAddresses;
import dev.portico.edge.upstream.StickyKey;
import dev.portico.edge.upstream.UpstreamServices;
import dev.portico.edge.upstream.health.HealthRegistry;
import dev.portico.edge.upstream.client.BackendClients;
import dev.portico.contract.redis.RedisSetup;
import dev.portico.edge.upstream.pool.ConnectionPools;
import dev.portico.edge.upstream.pool.PoolLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.redis.client.Redis;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * Accepts HTTP and HTTPS on the edge ports, answers ACME HTTP-01 challenges from Redis on the HTTP
 * port, and proxies every other request to its site's targets. Each instance owns its route
 * cache, its certificate cache, its Redis client and its backend connection pool, all on its own
 * event loop; instances share the listening ports.
 */
public final class EdgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeVerticle.class);
  /** Connections of Vert.x's client per target and event loop (WebSocket handshakes, JWKS fetches). */
  private static final int BACKEND_POOL_SIZE = 256;
  private static final int CLIENT_IDLE_TIMEOUT_S = 75;

  /** The master: rate-limit counters, ACME tokens, the fallback certificate's first store. */
  private Redis redis;
  private Backends backends;
  private AccessLog accessLog;
  /** The node-local replica when configured (else the master): sites, routes, certificates. */
  private Redis reads;
  private HttpServer server;
  private HttpServer tlsServer;
  private TargetResolver targetResolver;
  private CertificateStore certificates;

  @Override
  public Future<?> start() {
    EdgeOptions options = EdgeOptions.fromJson(config());
    SSLEngineOptions engine;
    try {
      engine = TlsEngine.options(options.tls().engine());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e.getMessage());
    }
    RedisSetup redisSetup = RedisSetup.fromConfig(config());
    redis = redisSetup.writeClient(vertx, 4, options.limits().redisMaxWaiting());
    reads = redisSetup.readClient(vertx, 4, options.limits().redisMaxWaiting());
    HttpClient backendClient = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(60).setMaxHeaderSize(16 * 1024),
        new PoolOptions().setHttp1MaxSize(BACKEND_POOL_SIZE));
    // requests go on the edge's own connections; Vert.x's client carries WebSocket handshakes and JWKS fetches
    SecretBox secrets = SecretBox.fromSecret(options.tls().secretKey());
    backends = new Backends(new ConnectionPools(vertx, PoolLimits.DEFAULTS), backendClient,
        new BackendClients(vertx, secrets));
    // The node's registry, or a private one when the node runs without metrics.
    MeterRegistry registry = Optional.ofNullable(options.metricsRegistry()).map(BackendRegistries::getNow)
        .orElseGet(SimpleMeterRegistry::new);
    EdgeMetrics metrics = new EdgeMetrics(registry, options.siteLabelLimit());
    targetResolver = TargetResolver.of(vertx, options.dnsResolver());
    TenantAddresses addresses = new TenantAddresses(targetResolver, TargetAddressRules.forThisNode(config()));
    JwtGuard jwt = new JwtGuard(vertx, new JwksFetcher(vertx, backendClient, addresses));
    PolicyServices policies = new PolicyServices(new BasicAuthVerifier(vertx), jwt, new RateLimiter(redis, registry),
        CacheNode.of(vertx, config().getLong("cacheMaxBytes", LocalResponseCache.DEFAULT_MAX_BYTES)),
        new SsoService(vertx, backendClient, redis, secrets, jwt, options.ssoSessionTtlSeconds()));
    metrics.cacheStore(policies.cache().store());
    UpstreamServices upstreams = new UpstreamServices(HealthRegistry.of(vertx), StickyKey.of(vertx, secrets));
    RouteResolver routes = new RouteResolver(vertx, reads, options, metrics, new RouteBuilder(policies, upstreams));
    vertx.eventBus().<JsonObject>consumer(Addresses.CACHE_PURGE,
        message -> policies.cache().purge(message.body().getString("pattern"), message.body().getString("path"),
            message.body().getString("prefix")));
    vertx.eventBus().<JsonObject>consumer(Addresses.SITE_CHANGED,
        message -> {
          SiteChange change = SiteChange.fromJson(message.body());
          routes.invalidate(change);
          backends.siteChanged(change.pattern());
        });
    accessLog = new AccessLog(vertx);
    EdgeServices services = new EdgeServices(routes, backends, addresses, new AcmeChallenges(redis), metrics,
        accessLog, options.limits().maxBodyBytes());
    server = vertx.createHttpServer(clientFacing(options.limits()))
        .requestHandler(RequestHeads.reporting(RequestHandler.forListener(services, false, options.httpsPort())));
    return CertificateStore.load(vertx, redis, reads, sitesFor(routes), secrets, options)
        .recover(e -> Future.failedFuture("no fallback certificate: " + e.getMessage()))
        .compose(store -> {
          certificates = store;
          vertx.eventBus().<JsonObject>consumer(Addresses.CERT_CHANGED,
              message -> {
                if (message.body().getBoolean("all", false)) {
                  certificates.invalidateAll();
                } else {
                  certificates.invalidate(message.body().getString("name", ""));
                }
              });
          HttpServerOptions tlsOptions = clientFacing(options.limits())
              .setSsl(true)
              .setUseAlpn(true)
              .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
              .setEnabledSecureTransportProtocols(TlsEngine.PROTOCOLS)
              .setSslEngineOptions(engine)
              .setKeyCertOptions(certificates.keyCertOptions());
          TlsEngine.CIPHER_SUITES.forEach(tlsOptions::addEnabledCipherSuite);
          tlsServer = vertx.createHttpServer(tlsOptions)
              .requestHandler(RequestHeads.reporting(RequestHandler.forListener(services, true, options.httpsPort())));
          // join, not all: both listens settle before a failure is reported. With all, a listen
          // still binding when the other failed could bind after the failed deployment was
          // cleaned up, and stay bound (seen in 1 of 150 starts with the HTTP port taken).
          return Future.join(server.listen(options.httpPort(), options.host()),
              tlsServer.listen(options.httpsPort(), options.host()));
        })
        // Vert.x does not call stop() after a failed start: release what start() opened now.
        .recover(failure -> stop().transform(closed -> Future.failedFuture(failure)))
        .onSuccess(s -> LOG.info("Edge listening on {}: HTTP {}, HTTPS {} with the {} TLS engine", options.host(),
            options.httpPort(), options.httpsPort(), TlsEngine.describe(engine)));
  }

  /** The site serving a name, for on-demand certificates: the route cache, else the lookup. */
  private static SiteLookup sitesFor(RouteResolver routes) {
    return name -> {
      Route cached = routes.cached(name);
      Future<Route> route = cached != null ? Future.succeededFuture(cached) : routes.resolve(name);
      return route.map(found -> new SiteLookup.ServedBy(found.pattern(), found.site()));
    };
  }

  /**
   * What both listeners share. HTTP/2: at most so many streams open at once per connection, and
   * a client resetting more streams than allowed in a window (CVE-2023-44487, "rapid reset": each
   * reset stream costs the edge a backend request while the client pays one frame) is sent
   * GOAWAY and disconnected; Netty enforces both.
   *
   * <p>Per-request cost (issue 19, measured A/B): every response is written on its connection's
   * event loop (the backend pool and every filter complete there), so the strict thread mode lets
   * Vert.x write to the channel directly instead of through its cross-thread message queue; and
   * the edge never accepts a WebSocket itself (it splices the backend's 101 with
   * {@code toNetSocket}, which removes the extension handler anyway), so Vert.x's WebSocket
   * compression handshakers, a handler every HTTP/1 message passes through, are not installed.
   */
  private static HttpServerOptions clientFacing(EdgeOptions.Limits limits) {
    HttpServerOptions options = new HttpServerOptions()
        .setStrictThreadMode(true)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setHandle100ContinueAutomatically(true)
        .setIdleTimeout(CLIENT_IDLE_TIMEOUT_S)
        .setHttp2RstFloodMaxRstFramePerWindow(limits.http2MaxResetsPerWindow())
        .setHttp2RstFloodWindowDuration(limits.http2ResetWindowSeconds())
        .setHttp2RstFloodWindowDurationTimeUnit(java.util.concurrent.TimeUnit.SECONDS);
    options.getInitialSettings().setMaxConcurrentStreams(limits.http2MaxConcurrentStreams());
    return options;
  }

  @Override
  public Future<?> stop() {
    targetResolver.close();
    return Future.join(List.of(server.close(), tlsServer == null ? Future.succeededFuture() : tlsServer.close(),
        backends.close(), redis.close(), reads.close(),
        certificates == null ? Future.succeededFuture() : certificates.close()))
        .eventually(() -> accessLog == null ? Future.succeededFuture() : accessLog.close());
  }
}
