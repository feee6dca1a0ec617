package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Global records that hold a sealed secret (DNS providers, SSO providers): one key per id, an
 * index of the ids, and what the API and the audit show of each (never the secret). Their APIs
 * keep what differs — validation and how a secret is kept — and share the routes, the id rule,
 * the list, read, write and delete here. Only global admins reach any of them.
 *
 * @param kind     how errors name a record ("DNS provider")
 * @param audit    the audit's name for it ("dns-provider")
 * @param index    the Redis set of the ids
 * @param key      the Redis key of an id
 * @param shown    what the API and the audit show of a stored record
 */
record SecretRecords(Records records, String kind, String audit, String index, Function<String, String> key,
    UnaryOperator<JsonObject> shown) {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  /** Mounts list, read and delete under {@code path} (e.g. /api/v1/dns-providers), and {@code write} as PUT. */
  void mount(Router router, String path, Function<RoutingContext, Future<Reply>> write) {
    router.get(path).handler(Api.handle(context -> {
      Api.principal(context).requireGlobalAdmin();
      return list();
    }));
    router.get(path + "/:id").handler(Api.handle(context -> {
      Api.principal(context).requireGlobalAdmin();
      return read(id(context));
    }));
    router.put(path + "/:id").handler(Api.handle(write));
    router.delete(path + "/:id").handler(Api.handle(context -> {
      Principal principal = Api.principal(context);
      principal.requireGlobalAdmin();
      principal.requireWrite();
      return delete(principal, id(context));
    }));
  }

  /** The request's {@code :id}, checked. */
  static String id(RoutingContext context) {
    String id = context.pathParam("id");
    if (!ID.matcher(id).matches()) {
      throw ApiError.badRequest("id", "a provider id is 1-64 of a-z, 0-9, '_', '-'");
    }
    return id;
  }

  /** Every record, as stored (there are few: one per account). */
  Future<List<JsonObject>> all() {
    return records.page(index, null, null, Api.MAX_PAGE_SIZE)
        .compose(page -> records.getAll(page.items().stream().map(key).toList()))
        .map(values -> values.stream().filter(Objects::nonNull).map(JsonObject::new).toList());
  }

  Future<Reply> list() {
    return all().map(stored -> {
      JsonArray items = new JsonArray();
      stored.forEach(record -> items.add(shown.apply(record)));
      return new Reply(200, Api.page(items, null));
    });
  }

  Future<Reply> read(String id) {
    return records.get(key.apply(id)).compose(stored -> stored == null
        ? Future.failedFuture(ApiError.notFound("no " + kind + " " + id))
        : Reply.ok(shown.apply(new JsonObject(stored))));
  }

  /** Writes {@code stored} over {@code current} (null: a new record), indexed and audited. */
  Future<Reply> write(Principal principal, String id, String current, JsonObject stored) {
    return records.write(new Records.Write(key.apply(id), current, stored.encode(),
            List.of(new Records.IndexOp(index, id, true)), null, null,
            new Records.Audit(principal.username(), audit + (current == null ? ".create" : ".update"), audit + ":" + id,
                current == null ? "" : shown.apply(new JsonObject(current)).encode(), shown.apply(stored).encode())))
        .compose(v -> current == null ? Reply.created(shown.apply(stored)) : Reply.ok(shown.apply(stored)));
  }

  Future<Reply> delete(Principal principal, String id) {
    String recordKey = key.apply(id);
    return records.get(recordKey).compose(current -> current == null
        ? Future.failedFuture(ApiError.notFound("no " + kind + " " + id))
        : records.write(new Records.Write(recordKey, current, null, List.of(new Records.IndexOp(index, id, false)),
            null, null, new Records.Audit(principal.username(), audit + ".delete", audit + ":" + id,
                shown.apply(new JsonObject(current)).encode(), ""))))
        .compose(v -> Reply.noContent());
  }
}
