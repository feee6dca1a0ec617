package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.AdminKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.regex.Pattern;

/** {@code GET /api/v1/audit}: the change log, newest first, for admins; {@code before} pages back. */
final class AuditApi {

  private static final Pattern STREAM_ID = Pattern.compile("\\d{1,20}-\\d{1,20}");

  private final Records records;

  AuditApi(Records records) {
    this.records = records;
  }

  void mount(Router router) {
    router.get("/api/v1/audit").handler(Api.handle(this::list));
  }

  private Future<Reply> list(RoutingContext context) {
    Api.principal(context).requireGlobalAdmin();
    String before = context.queryParams().get("before");
    if (before != null && !STREAM_ID.matcher(before).matches()) {
      throw ApiError.badRequest("before", "before is the id of an audit entry");
    }
    int limit = Api.limit(context);
    return records.send(Request.cmd(Command.XREVRANGE).arg(AdminKeys.AUDIT_STREAM)
            .arg(before == null ? "+" : "(" + before).arg("-").arg("COUNT").arg(limit))
        .map(response -> {
          JsonArray items = new JsonArray();
          String last = null;
          for (Response entry : response) {
            last = entry.get(0).toString();
            items.add(entry(last, entry.get(1)));
          }
          return new Reply(200, Api.page(items, items.size() == limit ? last : null));
        });
  }

  /** A before/after record: JSON as written, or the raw text of a record that was not JSON. */
  private static Object json(String value) {
    try {
      return new JsonObject(value);
    } catch (RuntimeException notJson) {
      return value;
    }
  }

  private static JsonObject entry(String id, Response fields) {
    JsonObject entry = new JsonObject().put("id", id).put("at", Long.parseLong(id.substring(0, id.indexOf('-'))));
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      String field = fields.get(i).toString();
      String value = fields.get(i + 1).toString();
      entry.put(field, value.isEmpty() ? null : (field.equals("before") || field.equals("after")) ? json(value) : value);
    }
    return entry;
  }
}
