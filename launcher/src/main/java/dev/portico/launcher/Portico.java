package dev.portico.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private Portico(PorticoConfig config, Vertx vertx, EmbeddedRedis embeddedRedis) {
    this.config = config;
    this.vertx = vertx;
    this.embeddedRedis = embeddedRedis;
  }

  public static Portico start(PorticoConfig config) {
    EmbeddedRedis embeddedRedis = config.embeddedRedis()
        ? EmbeddedRedis.start(config.dataDir(), config.embeddedRedisPort()) : null;
    Vertx vertx = null;
    try {
      VertxOptions vertxOptions = new VertxOptions().setPreferNativeTransport(true);
      vertx = config.cluster()
          ? await(Vertx.builder().with(vertxOptions).withClusterManager(new HazelcastClusterManager()).buildClustered(),
              "join the cluster")
          : Vertx.builder().with(vertxOptions).build();
      if (!vertx.isNativeTransportEnabled()) {
        LOG.info("Native transport unavailable ({}): using NIO", vertx.unavailableNativeTransportCause().getMessage());
      }
      checkRedis(vertx, config.effectiveRedisUrl());
      for (Role role : Role.values()) {
        if (config.roles().contains(role)) {
          int instances = role == Role.EDGE ? config.edgeInstances() : 1;
          DeploymentOptions options = new DeploymentOptions().setConfig(config.verticleConfig()).setInstances(instances);
          await(vertx.deployVerticle(role.verticle(), options), "start the " + role.configName() + " role");
        }
      }
      LOG.info("Portico serving roles {} (HTTP {}, HTTPS {}, admin {}, Redis {})", config.roles(), config.httpPort(), config.httpsPort(),
          config.adminPort(), config.embeddedRedis() ? "embedded" : config.effectiveRedisUrl());
      return new Portico(config, vertx, embeddedRedis);
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

  private static void checkRedis(Vertx vertx, String url) {
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
    try {
      await(redis.send(Request.cmd(Command.PING)), "reach Redis at " + url);
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
    vertx.close().toCompletionStage().toCompletableFuture().exceptionally(e -> null).join();
    if (embeddedRedis != null) {
      embeddedRedis.close();
    }
  }
}
