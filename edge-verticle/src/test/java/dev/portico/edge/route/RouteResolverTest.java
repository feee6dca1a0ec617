package dev.portico.edge.route;

import dev.portico.contract.SiteChange;
import dev.portico.edge.EdgeOptions;
import dev.portico.edge.observe.EdgeMetrics;
import dev.portico.edge.policy.PolicyServices;
import dev.portico.edge.upstream.UpstreamServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Concurrent misses for one host share one resolution, but never one begun before a change to a
 * pattern that matches the host.
 */
class RouteResolverTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRequestAfterAChangeDoesNotJoinAResolutionBegunBeforeIt() throws Exception {
    RouteResolver resolver = stalledResolver();
    List<Future<Route>> asked = onLoop(() -> {
      Future<Route> before = resolver.resolve("race.test");
      Future<Route> joined = resolver.resolve("race.test");
      resolver.invalidate(new SiteChange("race.test"));
      Future<Route> after = resolver.resolve("race.test");
      return List.of(before, joined, after);
    });
    assertSame(asked.get(0), asked.get(1), "misses before the change share one resolution");
    assertNotSame(asked.get(0), asked.get(2), "a miss after the change starts its own");
  }

  @Test
  void onlyAChangeToAPatternMatchingTheHostDropsItsResolution() throws Exception {
    RouteResolver resolver = stalledResolver();
    List<Future<Route>> asked = onLoop(() -> {
      Future<Route> before = resolver.resolve("a.race.test");
      resolver.invalidate(new SiteChange("b.race.test"));
      resolver.invalidate(new SiteChange("*.other.test"));
      Future<Route> afterOthers = resolver.resolve("a.race.test");
      resolver.invalidate(new SiteChange("*.race.test"));
      Future<Route> afterWildcard = resolver.resolve("a.race.test");
      return List.of(before, afterOthers, afterWildcard);
    });
    assertSame(asked.get(0), asked.get(1), "changes to other sites leave the resolution shared");
    assertNotSame(asked.get(1), asked.get(2), "a wildcard that matches the host drops it");
  }

  /** A resolver on a Redis that takes commands and answers none: resolutions stay under way. */
  private RouteResolver stalledResolver() throws Exception {
    NetServer stalled = on(() -> vertx.createNetServer().connectHandler(socket -> socket.handler(bytes -> { }))
        .listen(0, "127.0.0.1"));
    Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:" + stalled.actualPort());
    return new RouteResolver(vertx, redis, EdgeOptions.fromJson(new JsonObject()),
        new EdgeMetrics(new SimpleMeterRegistry(), 10),
        new RouteBuilder(new PolicyServices(null, null, null, null, null), UpstreamServices.NONE));
  }

  private <T> T on(Supplier<Future<T>> action) throws Exception {
    return action.get().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Runs {@code action} on an event loop, as the edge does. */
  private <T> T onLoop(Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.runOnContext(v -> result.complete(action.get()));
    return result.get(10, TimeUnit.SECONDS);
  }
}
