package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.Addresses;
import dev.portico.contract.AdminKeys;
import dev.portico.contract.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * {@code POST /api/v1/sites/{pattern}/cache/purge} with {@code {}} (the whole site),
 * {@code {"path": "/x"}} or {@code {"prefix": "/x/"}}: published on the event bus to the edges of
 * every node ({@link Addresses#CACHE_PURGE}), audited; the site's owner or an admin.
 */
final class CachePurgeApi {

  /** Longest path or prefix accepted. */
  static final int MAX_PATH = 2048;

  private final Vertx vertx;
  private final Records records;

  CachePurgeApi(Vertx vertx, Records records) {
    this.vertx = vertx;
    this.records = records;
  }

  void mount(Router router) {
    router.post("/api/v1/sites/:pattern/cache/purge").handler(Api.handle(this::purge));
  }

  private Future<Reply> purge(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireWrite();
    String pattern = SitesApi.pattern(context);
    JsonObject purge = scope(body(context)).put("pattern", pattern);
    return records.get(RedisKeys.site(pattern)).compose(stored -> {
      if (stored == null || !principal.mayRead(pattern, stored)) {
        return Future.failedFuture(ApiError.notFound("no site " + pattern));
      }
      if (!principal.mayManage(pattern, stored)) {
        return Future.failedFuture(ApiError.forbidden("purging site " + pattern + " needs the manager role at its domain"));
      }
      return records.send(Request.cmd(Command.XADD).arg(AdminKeys.AUDIT_STREAM).arg("MAXLEN").arg("~")
          .arg(Records.AUDIT_MAX_LENGTH).arg("*").arg("who").arg(principal.username()).arg("action")
          .arg("site.cache.purge").arg("resource").arg("site:" + pattern).arg("before").arg("")
          .arg("after").arg(purge.encode()));
    }).compose(v -> {
      vertx.eventBus().publish(Addresses.CACHE_PURGE, purge);
      return Reply.accepted(purge);
    });
  }

  private static JsonObject body(RoutingContext context) {
    try {
      return context.body().isEmpty() ? null : context.body().asJsonObject();
    } catch (RuntimeException notAnObject) {
      throw ApiError.badRequest("body", "the body is a JSON object");
    }
  }

  /** {@code {}}, or one of {@code path} and {@code prefix}: a string that starts with {@code /}, printable, bounded. */
  private static JsonObject scope(JsonObject body) {
    JsonObject scope = new JsonObject();
    if (body == null || body.isEmpty()) {
      return scope;
    }
    if (body.size() != 1 || !(body.containsKey("path") || body.containsKey("prefix"))) {
      throw ApiError.badRequest("body", "give {}, {\"path\": \"/x\"} or {\"prefix\": \"/x/\"}");
    }
    String field = body.containsKey("path") ? "path" : "prefix";
    if (!(body.getValue(field) instanceof String value) || !value.startsWith("/") || value.length() > MAX_PATH
        || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw ApiError.badRequest(field, field + " is a request path: /, then printable ASCII, at most " + MAX_PATH);
    }
    return scope.put(field, value);
  }
}
