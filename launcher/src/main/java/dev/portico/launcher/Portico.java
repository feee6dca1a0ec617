package dev.portico.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import dev.portico.contract.redis.RedisSetup;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running Portico node: its Vert.x instance, the roles deployed on it, and the embedded Redis
 * when it runs one. {@link #start} blocks the calling thread until the node serves, or throws a
 * {@link ConfigException} that says in one line why it cannot.
 */
public final class Portico implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Portico.class);
  private static final long START_TIMEOUT_S = 60;

  private final PorticoConfig config;
  private final Vertx vertx;
  private final EmbeddedRedis embeddedRedis;
  private final OpsServer ops;

  private Portico(PorticoConfig config, Vertx vertx, EmbeddedRedis embeddedRedis, OpsServer ops) {
    this.config = config;
    this.vertx = vertx;
    this.embeddedRedis = embeddedRedis;
    this.ops = ops;
  }

  public static Portico start(PorticoConfig config) {
    JsonObject verticleConfig = config.verticleConfig().put("secretKey", SecretKeyFile.resolve(config));
    EmbeddedRedis embeddedRedis = config.embeddedRedis()
        ? EmbeddedRedis.start(config.dataDir(), config.embeddedRedisPort()) : null;
    Vertx vertx = null;
    try {
      Logging.configure(config);
      // A registry per node, under a name of its own: nodes started side by side in one JVM
      // (as the tests do) do not share or stop each other's metrics.
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions().setEnabled(true)
          .setJvmMetricsEnabled(true).setRegistryName(config.metricsRegistry());
      if (!config.vertxHttpMetrics()) {
        // Measured: Vert.x's per-request HTTP metrics cost about a fifth of the edge's throughput;
        // Portico's own request and backend metrics cover the same ground per site.
        metricsOptions.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
            .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT);
      }
      VertxOptions vertxOptions = new VertxOptions().setMetricsOptions(metricsOptions);
      GuardedTransport transport = new GuardedTransport(config.transport().startable(), new ListenerGuards(config));
      VertxBuilder builder = Vertx.builder().with(vertxOptions).withMetrics(new MicrometerMetricsFactory(registry))
          .withTransport(transport);
      ClusterConfig cluster = config.cluster();
      vertx = cluster.enabled()
          ? await(builder.with(vertxOptions.setEventBusOptions(ClusterSetup.eventBusOptions(cluster)))
              .withClusterManager(ClusterSetup.clusterManager(cluster)).buildClustered(), "join the cluster")
          : builder.build();
      OpsServer ops = await(OpsServer.start(vertx, config, registry), "open the ops port " + config.opsPort());
      checkRedis(vertx, config);
      NodeFigures.answer(vertx, config, registry);
      for (Role role : Role.values()) {
        if (config.roles().contains(role)) {
          DeploymentOptions options = new DeploymentOptions().setConfig(verticleConfig.copy())
              .setInstances(instances(config, role));
          await(vertx.deployVerticle(role.verticle(), options), "start the " + role.configName() + " role");
          if (role == Role.EDGE) {  // the node's one health checker, shared by its edge verticles
            await(vertx.deployVerticle(new dev.portico.edge.HealthCheckVerticle(),
                new DeploymentOptions().setConfig(verticleConfig.copy())), "start the health checks");
          }
        }
      }
      ops.rolesDeployed();
      LOG.info("Portico serving roles {} (HTTP {}, HTTPS {}, admin {}, ops {}, Redis {}, {} transport{})",
          config.roles(), config.httpPort(), config.httpsPort(), config.adminPort(), config.opsPort(),
          config.embeddedRedis() ? "embedded" : config.redisUrlForLog(), transport.name(),
          cluster.enabled() ? ", clustered" + (cluster.eventBusTls() != null ? " with event-bus TLS" : "") : "");
      return new Portico(config, vertx, embeddedRedis, ops);
    } catch (RuntimeException e) {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().exceptionally(x -> null).join();
      }
      if (embeddedRedis != null) {
        embeddedRedis.close();
      }
      throw e;
    }
  }

  /**
   * Edges scale with event loops; each lookup instance holds its own copy of the tree; admin and
   * cert are light, and the cert role's scheduler is a cluster-wide singleton anyway.
   */
  private static int instances(PorticoConfig config, Role role) {
    return switch (role) {
      case EDGE -> config.edgeInstances();
      case LOOKUP -> config.lookupInstances();
      case ADMIN, CERT -> 1;
    };
  }

  /**
   * Refuses to start only when no configured Redis endpoint answers: with the master down, an edge
   * reading a live replica can serve; with the replica down, reads go to the master.
   */
  private static void checkRedis(Vertx vertx, PorticoConfig config) {
    RedisSetup setup = config.redisSetup();
    Map<String, RedisOptions> endpoints = new LinkedHashMap<>();
    endpoints.put("master", setup.masterOptions());
    if (setup.readUrl() != null) {
      endpoints.put("replica", setup.readOptions());
    }
    Map<String, String> failures = new LinkedHashMap<>();
    endpoints.forEach((name, options) -> {
      String failure = ping(vertx, options);
      if (failure != null) {
        failures.put(name, failure);
      }
    });
    if (failures.size() == endpoints.size()) {
      String detail = endpoints.size() == 1 ? failures.get("master") : failures.entrySet().stream()
          .map(failure -> failure.getKey() + ": " + failure.getValue()).collect(Collectors.joining("; "));
      throw new ConfigException("cannot reach Redis at " + config.redisUrlForLog() + ": " + detail);
    }
    failures.forEach((name, failure) -> LOG.warn("The Redis {} does not answer ({}); starting on the other", name,
        failure));
  }

  /** Why the endpoint does not answer PING, or null when it does. */
  private static String ping(Vertx vertx, RedisOptions options) {
    Redis redis = Redis.createClient(vertx, options);
    try {
      redis.send(Request.cmd(Command.PING)).toCompletionStage().toCompletableFuture().get(START_TIMEOUT_S,
          TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return describe(e.getCause());
    } catch (TimeoutException e) {
      return "no answer within " + START_TIMEOUT_S + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } finally {
      redis.close();
    }
  }

  private static <T> T await(Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new ConfigException("cannot " + what + ": " + describe(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new ConfigException("cannot " + what + ": no answer within " + START_TIMEOUT_S + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while trying to " + what, e);
    }
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }

  public Vertx vertx() {
    return vertx;
  }

  public PorticoConfig config() {
    return config;
  }

  @Override
  public void close() {
    ops.close().toCompletionStage().toCompletableFuture().exceptionally(e -> null).join();
    vertx.close().toCompletionStage().toCompletableFuture().exceptionally(e -> null).join();
    if (embeddedRedis != null) {
      embeddedRedis.close();
    }
  }
}
