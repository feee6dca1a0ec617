package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.AdminKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;

/**
 * {@code /api/v1/groups}: groups of local users, for global admins only. A group's grants
 * ({@link GrantsApi}) hold for each member; an IdP sign-in whose groups claim names the group
 * holds them too.
 */
final class GroupsApi {

  private final Records records;
  private final RequestBodies bodies;
  private final Groups groups;

  GroupsApi(Records records, RequestBodies bodies, Groups groups) {
    this.records = records;
    this.bodies = bodies;
    this.groups = groups;
  }

  void mount(Router router) {
    router.get("/api/v1/groups").handler(Api.handle(this::list));
    router.post("/api/v1/groups").handler(Api.handle(this::create));
    router.get("/api/v1/groups/:group").handler(Api.handle(this::read));
    router.delete("/api/v1/groups/:group").handler(Api.handle(this::delete));
    router.put("/api/v1/groups/:group/members/:username").handler(Api.handle(context -> member(context, true)));
    router.delete("/api/v1/groups/:group/members/:username").handler(Api.handle(context -> member(context, false)));
  }

  private Future<Reply> list(RoutingContext context) {
    Api.principal(context).requireGlobalAdmin();
    return records.page(AdminKeys.GROUP_INDEX, context.queryParams().get("prefix"), context.queryParams().get("after"),
            Api.limit(context))
        .compose(page -> records.getAll(page.items().stream().map(AdminKeys::group).toList()).map(values -> {
          JsonArray items = new JsonArray();
          values.stream().filter(Objects::nonNull).map(JsonObject::new).forEach(items::add);
          return new Reply(200, Api.page(items, page.next()));
        }));
  }

  private Future<Reply> create(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireGlobalAdmin();
    principal.requireWrite();
    JsonObject body = bodies.parse(context, "NewGroup");
    String name = body.getString("name");
    checkName(name);
    return groups.create(principal.username(), name, body.getString("description"))
        .compose(group -> Reply.created(group.put("members", new JsonArray())));
  }

  private Future<Reply> read(RoutingContext context) {
    Api.principal(context).requireGlobalAdmin();
    String name = context.pathParam("group");
    return groups.find(name).compose(group -> group == null ? Future.failedFuture(ApiError.notFound("no group " + name))
        : groups.members(name).compose(members -> Reply.ok(group.put("members", new JsonArray(members)))));
  }

  private Future<Reply> delete(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireGlobalAdmin();
    principal.requireWrite();
    return groups.delete(principal.username(), context.pathParam("group")).compose(v -> Reply.noContent());
  }

  private Future<Reply> member(RoutingContext context, boolean add) {
    Principal principal = Api.principal(context);
    principal.requireGlobalAdmin();
    principal.requireWrite();
    String group = context.pathParam("group");
    String username = context.pathParam("username");
    return groups.member(principal.username(), group, username, add).compose(changed -> add || changed
        ? Reply.noContent()
        : Future.failedFuture(ApiError.notFound(username + " is not in group " + group)));
  }

  /** Group names follow user names' rules: an IdP's groups claim must name them exactly. */
  static void checkName(String name) {
    if (name == null || !Users.NAME.matcher(name).matches()) {
      throw ApiError.badRequest("name", "a group name is 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
    }
  }
}
