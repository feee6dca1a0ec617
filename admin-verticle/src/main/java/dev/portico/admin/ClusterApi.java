package dev.portico.admin;

import dev.portico.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/**
 * {@code GET /api/v1/cluster/nodes} (admins): every node's own figures, gathered over the event
 * bus. Metrics live per node; the console's Live page asks here instead of scraping each node.
 * The ask is published once; answers are collected for {@link #WINDOW_MS} (the bus gives no
 * count of who will answer) and at most {@link #MAX_NODES} of them are kept.
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
    String replyTo = Addresses.NODE_FIGURES_REPLY_PREFIX + UUID.randomUUID();
    JsonArray nodes = new JsonArray();
    MessageConsumer<Object> answers = vertx.eventBus().consumer(replyTo, message -> {
      if (nodes.size() < MAX_NODES && message.body() instanceof JsonObject figures) {
        nodes.add(figures);
      }
    });
    Promise<Api.Reply> reply = Promise.promise();
    answers.completion().onComplete(registered -> {
      vertx.eventBus().publish(Addresses.NODE_FIGURES, new JsonObject().put("replyTo", replyTo));
      vertx.setTimer(WINDOW_MS, tick -> answers.unregister().onComplete(done -> reply.complete(
          new Api.Reply(200, new JsonObject().put("at", System.currentTimeMillis()).put("nodes", sorted(nodes))))));
    });
    return reply.future();
  }

  /** By node name, so the console's rows keep their places between polls. */
  private static JsonArray sorted(JsonArray nodes) {
    return new JsonArray(nodes.stream().map(JsonObject.class::cast)
        .sorted(java.util.Comparator.comparing(node -> String.valueOf(node.getValue("node"))))
        .map(Object.class::cast).toList());
  }
}
