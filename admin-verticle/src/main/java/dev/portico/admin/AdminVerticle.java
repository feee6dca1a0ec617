package dev.portico.admin;

import dev.portico.admin.console.ConsoleAssets;
import dev.portico.admin.console.SecurityHeaders;
import dev.portico.contract.AdminKeys;
import dev.portico.contract.PasswordHash;
import dev.portico.contract.RequestHeads;
import dev.portico.contract.SecretBox;
import dev.portico.contract.SiteLimits;
import dev.portico.contract.TargetAddressRules;
import dev.portico.contract.redis.AcknowledgedWrites;
import dev.portico.contract.redis.RedisSetup;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API on its own port ({@code PORTICO_ADMIN_PORT}), never on the edge's: health probes
 * and the OpenAPI document without a token, everything under {@code /api/v1} with one. Errors are
 * always {@code {"error", "detail"}} JSON with the right status. {@code /} serves the web
 * console, a browser client of this same API (see {@link ConsoleAssets}).
 */
public final class AdminVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);
  /**
   * Largest request body: a site of the largest size a node reads ({@link SiteLimits#MAX_JSON_CHARS},
   * a site at the route cap among them), with room for the plain passwords a write may carry.
   */
  static final int MAX_BODY_BYTES = SiteLimits.MAX_JSON_CHARS + 64 * 1024;
  /** Seconds a connection may stay silent, as on the edge. */
  private static final int IDLE_TIMEOUT_S = 75;

  /** Password checks (logins, password changes): two threads, then a short queue, then 503. */
  static final int CHECK_THREADS = 2;
  static final int CHECK_QUEUE = 16;
  /** Password hashing (new users and passwords, sites' basic-auth users): one thread and a queue. */
  static final int HASH_THREADS = 1;
  static final int HASH_QUEUE = 32;

  private Redis redis;
  private HttpServer server;
  private PasswordPool checks;
  private PasswordPool hashing;

  @Override
  public Future<?> start() {
    AdminOptions options = AdminOptions.fromConfig(config());
    // every admin read and write goes to the master (a user reads back what they wrote); a write
    // is acknowledged once a replica holds it, when the master has replicas
    RedisSetup redisSetup = RedisSetup.fromConfig(config());
    redis = new AcknowledgedWrites(redisSetup.writeClient(vertx, 8, 256), redisSetup.waitTimeoutMs());
    Records records = new Records(redis);
    SecretBox box = SecretBox.fromSecret(options.secretKey());
    RequestBodies bodies = RequestBodies.load();
    checks = new PasswordPool(vertx, "portico-password-checks", CHECK_THREADS, CHECK_QUEUE);
    hashing = new PasswordPool(vertx, "portico-password-hashing", HASH_THREADS, HASH_QUEUE);
    Users users = new Users(records, checks, hashing);
    SiteSuffixIndex suffixIndex = new SiteSuffixIndex(records);
    return JwtKeys.load(options, records, box)
        .compose(jwtOptions -> bootstrapAdmin(options, records, users).map(jwtOptions))
        .compose(jwtOptions -> UserIdMigration.run(records).map(jwtOptions))
        .compose(jwtOptions -> PermissionMigration.run(records).map(jwtOptions))
        .compose(jwtOptions -> suffixIndex.rebuildIfIncomplete().map(jwtOptions))
        .compose(jwtOptions -> {
          Authenticator authenticator = new Authenticator(JWTAuth.create(vertx, jwtOptions.setJWTOptions(
              Authenticator.verifyOptions())), algorithm(jwtOptions), records, options.jwtTtlSeconds());
          Router router = router(options, records, bodies, users, authenticator, box, suffixIndex);
          // the idle timeout and (through the launcher's listener guards) a request head deadline
          // keep slow or silent clients from holding connections. HTTP/1.1 only: no HTTP/2 codec
          // (and its stream-level attack surface) on a control port, and no h2c upgrade, which
          // RFC 9113 deprecates and on which JDK 17's HTTP client hangs on up to one connection in 17.
          server = vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(IDLE_TIMEOUT_S)
              .setHttp2ClearTextEnabled(false))
              .requestHandler(RequestHeads.reporting(router));
          return server.listen(options.port(), options.host());
        })
        // in the background: a million sites written before the indexes take a few seconds
        .onSuccess(listening -> IndexMigration.runIfNeeded(records));
  }

  private Router router(AdminOptions options, Records records, RequestBodies bodies, Users users,
      Authenticator authenticator,
      SecretBox box, SiteSuffixIndex suffixIndex) {
    Router router = Router.router(vertx);
    router.route().handler(new SecurityHeaders());
    ConsoleAssets.load().mount(router);
    router.get("/health/live").handler(context -> json(context, 200, new JsonObject().put("status", "up")));
    router.get("/health/ready").handler(context -> records.send(Request.cmd(Command.PING)).onComplete(ar ->
        json(context, ar.succeeded() ? 200 : 503, new JsonObject().put("status", ar.succeeded() ? "up" : "down")
            .put("redis", ar.succeeded() ? "up" : "down"))));
    router.get("/api/v1/openapi.json").handler(context -> json(context, 200, bodies.document()));
    String metricsRegistry = config().getString("metricsRegistry");
    if (metricsRegistry != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(metricsRegistry));
    }
    router.post(SiteImportApi.PATH).handler(BodyHandler.create(false).setBodyLimit(SiteImportApi.MAX_BODY_BYTES));
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    AuthApi auth = new AuthApi(records, bodies, users, authenticator, new LoginThrottle(records));
    auth.mountPublic(router);
    OidcLogin oidc = options.oidc() == null ? null : new OidcLogin(vertx, options.oidc(), records, bodies, authenticator);
    if (oidc != null) {
      oidc.mountPublic(router);
    } else {
      router.route("/api/v1/auth/oidc/*").handler(context -> context.fail(ApiError.notFound(
          "no OIDC provider is configured for the admin API (PORTICO_ADMIN_OIDC_ISSUER)")));
    }
    router.route("/api/*").handler(context -> authenticator.authenticate(context.request().getHeader(HttpHeaders.AUTHORIZATION))
        .onSuccess(principal -> {
          Api.authenticated(context, principal);
          context.next();
        })
        .onFailure(context::fail));
    auth.mount(router);
    if (oidc != null) {
      oidc.mount(router);
    }
    DnsProvidersApi dnsProviders = new DnsProvidersApi(records, bodies, box);
    Grants grants = new Grants(records);
    SitesApi sites = new SitesApi(records, bodies, new WildcardCertificates(vertx, records, dnsProviders), hashing,
        new SiteClaims(records, suffixIndex), new TenantTargets(TargetAddressRules.forThisNode(config())), box);
    sites.mount(router);
    new SiteImportApi(sites, bodies).mount(router);
    new ResolveApi(vertx, records).mount(router);
    new CachePurgeApi(vertx, records).mount(router);
    new UsersApi(records, bodies, users, grants).mount(router);
    new GroupsApi(records, bodies, new Groups(records)).mount(router);
    new GrantsApi(grants, records, bodies).mount(router);
    dnsProviders.mount(router);
    new SsoProvidersApi(records, bodies, box).mount(router);
    new CertificatesApi(vertx, records, bodies, box).mount(router);
    new AuditApi(records).mount(router);
    new ClusterApi(vertx).mount(router);
    new SiteHealthApi(vertx, sites).mount(router);
    router.route().failureHandler(this::failure);
    router.errorHandler(404, context -> json(context, 404, ApiError.notFound("no such resource: "
        + context.request().method() + " " + context.request().path()).body()));
    router.errorHandler(405, context -> json(context, 405, new JsonObject().put("error", "method not allowed")
        .put("detail", context.request().method() + " is not allowed on " + context.request().path())));
    return router;
  }

  private void failure(RoutingContext context) {
    Throwable failure = context.failure();
    if (failure instanceof ApiError error) {
      if (error.status() >= 500 || error.status() == 401 || error.status() == 429) {
        LOG.warn("{} {} -> {}: {}", context.request().method(), context.request().path(), error.status(),
            error.getMessage());
      }
      if (error.retryAfterSeconds() > 0) {
        context.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
      }
      json(context, error.status(), error.body());
      return;
    }
    int status = context.statusCode();
    if (status == 413) {
      json(context, 413, new JsonObject().put("error", "payload too large")
          .put("detail", "request bodies are limited to " + (context.request().path().equals(SiteImportApi.PATH)
              ? SiteImportApi.MAX_BODY_BYTES : MAX_BODY_BYTES) + " bytes"));
    } else if (status >= 400 && status < 500) {
      json(context, status, new JsonObject().put("error", "invalid request").put("detail", "HTTP " + status));
    } else {
      LOG.error("{} {} failed", context.request().method(), context.request().path(), failure);
      json(context, 500, new JsonObject().put("error", "internal error").put("detail", "see the server log"));
    }
  }

  private static void json(RoutingContext context, int status, JsonObject body) {
    if (!context.response().ended()) {
      context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Api.JSON).end(body.encode());
    }
  }

  /** The algorithm of the configured signing key (all keys in the options share it). */
  private static String algorithm(JWTAuthOptions options) {
    return options.getPubSecKeys().get(0).getAlgorithm();
  }

  /**
   * The first admin node to start on an empty Redis creates {@code admin}, with
   * {@code PORTICO_ADMIN_PASSWORD} or a generated password it logs once (the only secret ever
   * logged, on purpose: nobody could sign in otherwise). Other nodes find the user there.
   */
  private static Future<Void> bootstrapAdmin(AdminOptions options, Records records, Users users) {
    return records.send(Request.cmd(Command.ZCARD).arg(AdminKeys.USER_INDEX)).compose(count -> {
      if (count.toLong() > 0) {
        return Future.succeededFuture();
      }
      boolean generated = options.adminPassword() == null || options.adminPassword().isBlank();
      String password = generated ? PasswordHash.generate() : options.adminPassword();
      return users.create("portico", "admin", password, true)
          .onSuccess(user -> {
            if (generated) {
              LOG.warn("Created user 'admin' with generated password: {} (shown once; set PORTICO_ADMIN_PASSWORD "
                  + "to choose it)", password);
            } else {
              LOG.info("Created user 'admin' with the password from PORTICO_ADMIN_PASSWORD");
            }
          })
          .<Void>mapEmpty()
          .recover(e -> e instanceof ApiError error && error.status() == 409 ? Future.succeededFuture()
              : Future.failedFuture(e));
    });
  }

  @Override
  public Future<?> stop() {
    return Future.join(server == null ? Future.succeededFuture() : server.close(), redis.close(), checks.close(),
        hashing.close());
  }
}
