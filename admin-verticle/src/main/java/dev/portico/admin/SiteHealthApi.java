package dev.portico.admin;

import dev.portico.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/sites/{pattern}/health} (whoever may read the site): the active health
 * check's view of the site's targets on every edge node that checks it — each node checks on its
 * own, so they may differ — gathered over the event bus as {@link ClusterApi} gathers figures. A
 * node that serves no request of the site has no check of it and does not answer.
 */
final class SiteHealthApi {

  private final Vertx vertx;
  private final SitesApi sites;

  SiteHealthApi(Vertx vertx, SitesApi sites) {
    this.vertx = vertx;
    this.sites = sites;
  }

  void mount(Router router) {
    router.get("/api/v1/sites/:pattern/health").handler(Api.handle(this::health));
  }

  private Future<Api.Reply> health(RoutingContext context) {
    String pattern = SitesApi.pattern(context);
    return sites.visible(Api.principal(context), pattern).compose(stored -> {
      if (stored == null) {
        return Future.failedFuture(ApiError.notFound("no site " + pattern));
      }
      return BusGather.gather(vertx, Addresses.UPSTREAM_HEALTH, Addresses.UPSTREAM_HEALTH_REPLY_PREFIX,
          new JsonObject().put("pattern", pattern), ClusterApi.WINDOW_MS, ClusterApi.MAX_NODES)
          .map(nodes -> new Api.Reply(200, new JsonObject().put("pattern", pattern)
              .put("at", System.currentTimeMillis()).put("nodes", ClusterApi.sorted(nodes))));
    });
  }
}
