package dev.portico.admin;

import dev.portico.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/cluster/nodes} (admins): every node's own figures, gathered over the event
 * bus ({@link BusGather}: for {@link #WINDOW_MS}, at most {@link #MAX_NODES} answers). Metrics live
 * per node; the console's Live page asks here instead of scraping each node.
 */
final class ClusterApi {

  static final long WINDOW_MS = 400;
  static final int MAX_NODES = 256;

  private final Vertx vertx;

  ClusterApi(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router) {
    router.get("/api/v1/cluster/nodes").handler(Api.handle(this::nodes));
  }

  private Future<Api.Reply> nodes(RoutingContext context) {
    Api.principal(context).requireGlobalAdmin();
    return BusGather.gather(vertx, Addresses.NODE_FIGURES, Addresses.NODE_FIGURES_REPLY_PREFIX, new JsonObject(),
        WINDOW_MS, MAX_NODES).map(nodes -> new Api.Reply(200,
            new JsonObject().put("at", System.currentTimeMillis()).put("nodes", sorted(nodes))));
  }

  /** By node name, so the console's rows keep their places between polls. */
  static JsonArray sorted(JsonArray nodes) {
    return new JsonArray(nodes.stream().map(JsonObject.class::cast)
        .sorted(java.util.Comparator.comparing(node -> String.valueOf(node.getValue("node"))))
        .map(Object.class::cast).toList());
  }
}
