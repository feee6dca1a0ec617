package dev.portico.edge;

import dev.portico.contract.Addresses;
import dev.portico.contract.TargetAddressRules;
import dev.portico.edge.upstream.TargetResolver;
import dev.portico.edge.upstream.TenantAddresses;
import dev.portico.edge.upstream.health.HealthChecker;
import dev.portico.edge.upstream.health.HealthRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.Optional;

/**
 * The node's one active health checker (deployed once per node beside the edge verticles, which
 * share its {@link HealthRegistry}): its own DNS resolver, address rules (a tenant's site is
 * checked only where its requests may go) and HTTP client, and its answer to the admin API's
 * {@link Addresses#UPSTREAM_HEALTH} ask.
 */
public final class HealthCheckVerticle extends VerticleBase {

  /** Checks at once per target address: one per target and site, a few sites may share a target. */
  private static final int CONNECTIONS_PER_ADDRESS = 4;
  private static final int MAX_HEADER_BYTES = 8 * 1024;

  private TargetResolver resolver;
  private HealthChecker checker;
  private HttpClient client;

  @Override
  public Future<?> start() {
    EdgeOptions options = EdgeOptions.fromJson(config());
    resolver = TargetResolver.of(vertx, options.dnsResolver());
    TenantAddresses addresses = new TenantAddresses(resolver, TargetAddressRules.forThisNode(config()));
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setMaxHeaderSize(MAX_HEADER_BYTES),
        new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_ADDRESS));
    MeterRegistry registry = Optional.ofNullable(options.metricsRegistry()).map(BackendRegistries::getNow)
        .orElseGet(SimpleMeterRegistry::new);
    checker = new HealthChecker(vertx, HealthRegistry.of(vertx), client, addresses::address, registry,
        options.siteLabelLimit());
    String node = nodeName() + ":" + options.httpPort();
    vertx.eventBus().<Object>consumer(Addresses.UPSTREAM_HEALTH, message -> {
      if (message.body() instanceof JsonObject ask && ask.getValue("replyTo") instanceof String replyTo
          && replyTo.startsWith(Addresses.UPSTREAM_HEALTH_REPLY_PREFIX)
          && replyTo.length() <= Addresses.UPSTREAM_HEALTH_REPLY_PREFIX.length() + 64
          && ask.getValue("pattern") instanceof String pattern) {
        JsonObject state = checker.state(pattern);
        if (state != null) {
          vertx.eventBus().send(replyTo, state.put("node", node));
        }
      }
    });
    checker.start();
    return Future.succeededFuture();
  }

  private static String nodeName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  @Override
  public Future<?> stop() {
    checker.stop();
    resolver.close();
    return client.close();
  }
}
