package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.AdminKeys;
import dev.portico.contract.IndexKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.Objects;

/**
 * {@code /api/v1/users}: local users, for global admins only. The {@code role} of the requests
 * from before the permission model still works as a shortcut: {@code admin} is a grant of
 * {@code admin} at the global scope, {@code user} none.
 */
final class UsersApi {

  private final Records records;
  private final RequestBodies bodies;
  private final Users users;
  private final Grants grants;

  UsersApi(Records records, RequestBodies bodies, Users users, Grants grants) {
    this.records = records;
    this.bodies = bodies;
    this.users = users;
    this.grants = grants;
  }

  void mount(Router router) {
    router.get("/api/v1/users").handler(Api.handle(this::list));
    router.post("/api/v1/users").handler(Api.handle(this::create));
    router.get("/api/v1/users/:username").handler(Api.handle(this::read));
    router.patch("/api/v1/users/:username").handler(Api.handle(this::update));
    router.delete("/api/v1/users/:username").handler(Api.handle(this::delete));
  }

  private Future<Reply> list(RoutingContext context) {
    Api.principal(context).requireGlobalAdmin();
    return records.page(AdminKeys.USER_INDEX, context.queryParams().get("prefix"), context.queryParams().get("after"),
            Api.limit(context))
        .compose(page -> records.getAll(page.items().stream().map(AdminKeys::user).toList()).map(values -> {
          JsonArray items = new JsonArray();
          values.stream().filter(Objects::nonNull).map(JsonObject::new).forEach(user -> items.add(Users.masked(user)));
          return new Reply(200, Api.page(items, page.next()));
        }));
  }

  private Future<Reply> create(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireGlobalAdmin();
    principal.requireWrite();
    JsonObject body = bodies.parse(context, "NewUser");
    String username = body.getString("username");
    Users.checkName(username);
    Users.checkPassword("password", body.getString("password"));
    return users.create(principal.username(), username, body.getString("password"), "admin".equals(body.getString("role")))
        .compose(user -> Reply.created(Users.masked(user)));
  }

  private Future<Reply> read(RoutingContext context) {
    Api.principal(context).requireGlobalAdmin();
    return existing(context).compose(user -> Reply.ok(Users.masked(user)));
  }

  private Future<Reply> update(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireGlobalAdmin();
    principal.requireWrite();
    JsonObject body = bodies.parse(context, "UserChange");
    if (body.containsKey("password")) {
      Users.checkPassword("password", body.getString("password"));
    }
    return existing(context).compose(user -> {
      Future<JsonObject> withPassword = body.containsKey("password")
          ? users.hash(body.getString("password")).compose(hash -> {
            JsonObject changed = user.copy().put("passwordHash", hash);
            return users.update(principal.username(), "user.update", user, changed).map(changed);
          })
          : Future.succeededFuture(user);
      return withPassword.compose(changed -> role(principal, changed.getString("username"), body.getString("role"))
          .map(changed));
    }).compose(user -> Reply.ok(Users.masked(user)));
  }

  /**
   * The legacy {@code role} of a user change: {@code admin} grants admin at the global scope,
   * {@code user} revokes the user's global grant (domain grants and groups stay).
   */
  private Future<Void> role(Principal principal, String username, String role) {
    Grants.Subject subject = Grants.Subject.user(username);
    if (role == null) {
      return Future.succeededFuture();
    }
    if ("admin".equals(role)) {
      return grants.put(principal.username(), subject, Grants.Scope.GLOBAL, Role.ADMIN).mapEmpty();
    }
    return grants.delete(principal.username(), subject, Grants.Scope.GLOBAL)
        .recover(e -> e instanceof ApiError error && error.status() == 404 ? Future.succeededFuture()
            : Future.failedFuture(e));
  }

  private Future<Reply> delete(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireGlobalAdmin();
    principal.requireWrite();
    if (principal.username().equals(context.pathParam("username"))) {
      throw ApiError.conflict("you cannot delete yourself; sign in as another admin");
    }
    String username = context.pathParam("username");
    return existing(context)
        .compose(user -> records.send(Request.cmd(Command.ZCARD).arg(IndexKeys.sitesByOwner(username))).compose(owned ->
            owned.toLong() == 0 ? users.delete(principal.username(), user) : Future.failedFuture(ApiError.conflict(
                username + " owns " + owned.toLong() + " sites: delete them or give them another owner first (sites "
                    + "are owned by user name, and a later user of that name would own them)"))))
        .compose(v -> Reply.noContent());
  }

  private Future<JsonObject> existing(RoutingContext context) {
    String username = context.pathParam("username");
    return users.find(username).compose(user -> user == null
        ? Future.failedFuture(ApiError.notFound("no user " + username)) : Future.succeededFuture(user));
  }
}
