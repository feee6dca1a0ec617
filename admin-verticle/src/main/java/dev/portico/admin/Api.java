package dev.portico.admin;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;

/** What every resource handler shares: replies, the caller, paging parameters. */
final class Api {

  static final String JSON = "application/json";
  static final int DEFAULT_PAGE_SIZE = 100;
  static final int MAX_PAGE_SIZE = 1000;
  private static final String PRINCIPAL = "portico.principal";

  private Api() {
  }

  /** An asynchronous handler: its reply is sent, its failure goes to the router's failure handler. */
  static Handler<RoutingContext> handle(Function<RoutingContext, Future<Reply>> handler) {
    return context -> {
      Future<Reply> reply;
      try {
        reply = handler.apply(context);
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onSuccess(r -> send(context, r)).onFailure(context::fail);
    };
  }

  static void send(RoutingContext context, Reply reply) {
    var response = context.response().setStatusCode(reply.status());
    if (reply.body() == null) {
      response.end();
    } else {
      response.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(reply.body().encode());
    }
  }

  static void authenticated(RoutingContext context, Principal principal) {
    context.put(PRINCIPAL, principal);
  }

  static Principal principal(RoutingContext context) {
    return context.get(PRINCIPAL);
  }

  /** The {@code limit} query parameter: 1 to {@link #MAX_PAGE_SIZE}, {@link #DEFAULT_PAGE_SIZE} when absent. */
  static int limit(RoutingContext context) {
    String value = context.queryParams().get("limit");
    if (value == null) {
      return DEFAULT_PAGE_SIZE;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_PAGE_SIZE) {
        return limit;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw ApiError.badRequest("limit", "limit must be an integer from 1 to " + MAX_PAGE_SIZE);
  }

  /** A page of items and where the next one starts ({@code null} on the last page). */
  static JsonObject page(io.vertx.core.json.JsonArray items, String next) {
    return new JsonObject().put("items", items).put("next", next);
  }

  /** The status and JSON body of a successful answer. */
  record Reply(int status, JsonObject body) {

    static Future<Reply> ok(JsonObject body) {
      return Future.succeededFuture(new Reply(200, body));
    }

    static Future<Reply> created(JsonObject body) {
      return Future.succeededFuture(new Reply(201, body));
    }

    static Future<Reply> accepted(JsonObject body) {
      return Future.succeededFuture(new Reply(202, body));
    }

    static Future<Reply> noContent() {
      return Future.succeededFuture(new Reply(204, null));
    }
  }
}
